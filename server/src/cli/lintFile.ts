// One file through the engine: read (size and binary checks first), analyse, and with `--fix` fix and
// write. Self-contained and never throws: one bad file costs nothing but its own report.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { ProjectConfig } from "../engine/config";
import { analyze } from "../engine/index";
import type { AnalysisResult, EngineSettings, FileProblem } from "../engine/types";
import { cdkSourcesFor } from "../project/cdkSources";
import { fixText } from "./fix";
import { writeFileAtomic } from "./write";

const BINARY_SNIFF_BYTES = 8000;

type ReadOutcome = { text: string } | { problem: FileProblem } | { ioError: string };

const FILE_START_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Reads a file for the engine. The size is checked before reading, so a 50 MB log is never loaded
 * only to be skipped; the engine's own size check then never fires for the CLI, and the file is
 * reported once, as a `skipped` problem from here. Binary content (a NUL byte, as git decides) is
 * skipped the same way.
 */
function readCandidate(file: string, settings: EngineSettings): ReadOutcome {
  let fd: number | undefined;
  try {
    const stats = statSync(file);
    // A FIFO or device named on the command line would block or never end: only regular files are read.
    if (!stats.isFile()) return { ioError: `cannot read ${file}: not a regular file` };
    const size = stats.size;
    if (size > settings.maxFileBytes) {
      return {
        problem: {
          kind: "skipped",
          file,
          range: FILE_START_RANGE,
          message: `not analysed: ${size} bytes is over the ${settings.maxFileBytes}-byte limit (maxFileBytes)`,
        },
      };
    }
    fd = openSync(file, "r");
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buffer.subarray(0, read);
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      return {
        problem: { kind: "skipped", file, range: FILE_START_RANGE, message: "not analysed: binary content" },
      };
    }
    return { text: bytes.toString("utf8") };
  } catch (error) {
    return { ioError: `cannot read ${file}: ${(error as Error).message}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface FileScope {
  settings: EngineSettings;
  config: ProjectConfig;
  /** Path relative to the config file's folder, for `ignore[].paths`. */
  relativePath: string | undefined;
  fix: boolean;
}

export type FileOutcome =
  | { ioError: string }
  | { problem: FileProblem }
  | { result: AnalysisResult; fixesApplied?: number; writeError?: string };

/** Reads, analyses and (with `--fix`) fixes one file. Never throws. */
export function lintFile(file: string, scope: FileScope): FileOutcome {
  const read = readCandidate(file, scope.settings);
  if (!("text" in read)) return read;
  const { settings, config, relativePath } = scope;
  const analyse = (text: string): AnalysisResult => {
    try {
      return analyze(file, text, { settings, config, relativePath, cdkSources: cdkSourcesFor }).result;
    } catch (error) {
      // An engine bug on one file must not cost the report on every other file.
      const message = `internal error while analysing: ${(error as Error).message}`;
      return {
        file,
        findings: [],
        problems: [{ kind: "parse-error", file, range: FILE_START_RANGE, message }],
      };
    }
  };
  const result = analyse(read.text);
  if (!scope.fix || !result.findings.some((finding) => finding.fixes?.length)) return { result };
  const fixed = fixText(read.text, analyse);
  if (fixed.text === read.text) return { result };
  try {
    writeFileAtomic(file, fixed.text);
    return { result: fixed.result, fixesApplied: fixed.applied };
  } catch (error) {
    // The file on disk is unchanged, so its findings are the ones of the text as read.
    return { result, writeError: `cannot write fixes to ${file}: ${(error as Error).message}` };
  }
}
