// Editor latency against the bundled language server, driven by the same real LSP client the protocol
// tests use (test/lsp/lspSession.ts): time from `didChange` to the `publishDiagnostics` of that version,
// time from spawn to `initialize` answered, and the start-up workspace scan (to the end of its
// `$/progress`) with the server's peak resident memory.
import { readdirSync, readFileSync } from "node:fs";
import type { TextEdit } from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { ParseFailure, parseStructured } from "../../server/src/engine/parsers";
import { LspSession, SERVER_BUNDLE } from "../../test/lsp/lspSession";
import type { Corpus, EditorSize } from "./corpus";
import { log, median, percentile } from "./measure";

export interface EditorLatency {
  size: EditorSize;
  bytes: number;
  edits: number;
  parse_ms: number;
  p50_ms: number;
  p95_ms: number;
  /** The target: p95 ≤ 1.3 × parse + 15 ms. */
  budget_ms: number;
  diagnostics: number;
}

/**
 * Parse-only time for `text` with the engine's parser, warm: a few warm-up parses (the server's parser
 * is warm after the first edits too), then the median of at least `runs`, more for small texts so the
 * median is over about two seconds of parsing.
 */
export function parseOnlyMs(text: string, runs: number): number {
  const parse = () => {
    const started = performance.now();
    try {
      parseStructured(text);
    } catch (error) {
      if (!(error instanceof ParseFailure)) throw error;
    }
    return performance.now() - started;
  };
  let estimate = Number.POSITIVE_INFINITY;
  for (let warmUp = 0; warmUp < 3; warmUp++) estimate = Math.min(estimate, parse());
  const count = Math.max(runs, Math.min(200, Math.ceil(2000 / Math.max(estimate, 1))));
  return median(Array.from({ length: count }, parse));
}

/**
 * Small edits a person makes while fixing a template, each paired with its undo so the document stays
 * the same size: flip a HttpTokens value, change a hop limit, type into a tag value, add a comment line.
 */
function editCycle(text: string): { forward: TextEdit; back: TextEdit }[] {
  const original = TextDocument.create("file:///bench", "yaml", 1, text);
  const replace = (offset: number, before: string, after: string) => {
    // The undo's range is in the edited text, where `after` (possibly a whole line) now stands.
    const edited = TextDocument.create(
      "file:///bench",
      "yaml",
      2,
      text.slice(0, offset) + after + text.slice(offset + before.length),
    );
    return {
      forward: {
        range: { start: original.positionAt(offset), end: original.positionAt(offset + before.length) },
        newText: after,
      },
      back: {
        range: { start: edited.positionAt(offset), end: edited.positionAt(offset + after.length) },
        newText: before,
      },
    };
  };
  const cycle: { forward: TextEdit; back: TextEdit }[] = [];
  const middle = Math.floor(text.length / 2);
  const near = (pattern: RegExp): RegExpExecArray | null => {
    // The first match after the middle of the document, else the first one at all.
    pattern.lastIndex = middle;
    const after = pattern.exec(text);
    if (after) return after;
    pattern.lastIndex = 0;
    return pattern.exec(text);
  };
  const tokens = near(/HttpTokens: (optional|required)\n/g);
  if (tokens?.[1]) {
    const value = tokens[1];
    cycle.push(
      replace(tokens.index + "HttpTokens: ".length, value, value === "optional" ? "required" : "optional"),
    );
  }
  const hop = near(/HttpPutResponseHopLimit: ([123])\n/g);
  if (hop?.[1])
    cycle.push(replace(hop.index + "HttpPutResponseHopLimit: ".length, hop[1], hop[1] === "1" ? "2" : "1"));
  const tag = near(/Value: ([a-z]+)\n/g);
  if (tag?.[1]) cycle.push(replace(tag.index + "Value: ".length + tag[1].length, "", "x"));
  const comment = near(/\n {2}# launch path \d+\n/g);
  if (comment) cycle.push(replace(comment.index + 1, "", "  # reviewed with the platform team\n"));
  if (cycle.length === 0) throw new Error("the editor template has nothing to edit");
  return cycle;
}

const WARM_UP_EDITS = 3;

export async function measureEditorLatency(
  corpus: Corpus,
  editsPerSize: Record<EditorSize, number>,
  parseRuns: number,
): Promise<EditorLatency[]> {
  const results: EditorLatency[] = [];
  for (const [size, path] of Object.entries(corpus.editor) as [EditorSize, string][]) {
    const text = readFileSync(path, "utf8");
    const parseMs = parseOnlyMs(text, parseRuns);
    // No workspace folder: only the open document is linted, as when a single file is opened.
    const session = await LspSession.start();
    try {
      const uri = await session.open(path, text);
      const first = await session.diagnostics(uri, () => true);
      const cycle = editCycle(text);
      const latencies: number[] = [];
      const total = editsPerSize[size] + WARM_UP_EDITS;
      let diagnostics = first.length;
      for (let i = 0; i < total; i++) {
        const step = cycle[Math.floor(i / 2) % cycle.length];
        if (!step) throw new Error("empty edit cycle");
        const started = performance.now();
        await session.edit(uri, [i % 2 === 0 ? step.forward : step.back]);
        diagnostics = (await session.diagnostics(uri, () => true)).length;
        if (i >= WARM_UP_EDITS) latencies.push(performance.now() - started);
      }
      const result: EditorLatency = {
        size,
        bytes: Buffer.byteLength(text),
        edits: latencies.length,
        parse_ms: parseMs,
        p50_ms: median(latencies),
        p95_ms: percentile(latencies, 95),
        budget_ms: 1.3 * parseMs + 15,
        diagnostics,
      };
      log(
        `editor ${size}: parse ${parseMs.toFixed(1)} ms, didChange→diagnostics p50 ${result.p50_ms.toFixed(1)} ms, ` +
          `p95 ${result.p95_ms.toFixed(1)} ms (budget ${result.budget_ms.toFixed(1)} ms), ${diagnostics} diagnostics`,
      );
      results.push(result);
    } finally {
      await session.dispose();
    }
  }
  return results;
}

/** Spawn → `initialize` answered, median over `runs` fresh servers. */
export async function measureServerReady(runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const session = await LspSession.start();
    times.push(performance.now() - started);
    await session.dispose();
  }
  log(`server ready (spawn → initialize answered): median ${median(times).toFixed(0)} ms of ${runs}`);
  return median(times);
}

/** The language server among this process's children (the session keeps its process to itself). */
function serverPid(): number {
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const children = readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim();
    for (const pid of children.split(/\s+/).filter(Boolean)) {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (commandLine.includes(SERVER_BUNDLE)) return Number(pid);
    }
  }
  throw new Error("the language server process was not found among this process's children");
}

/** Peak resident set size so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  if (!match?.[1]) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]) / 1024;
}

export interface WorkspaceScan {
  files: number;
  templates: number;
  /** Spawn → the scan's `$/progress` end. */
  ms: number;
  peak_rss_mb: number;
  diagnostics_files: number;
}

export async function measureWorkspaceScan(corpus: Corpus): Promise<WorkspaceScan> {
  const started = performance.now();
  const session = await LspSession.start({ rootPath: corpus.workspace.dir });
  try {
    const pid = serverPid();
    await session.waitFor(
      "the workspace scan's progress to end",
      () => (session.progress.some((p) => p.value.kind === "end") ? true : undefined),
      10 * 60_000,
    );
    const ms = performance.now() - started;
    const peak = peakRssMb(pid);
    const withDiagnostics = new Set(
      session.published.filter((p) => p.diagnostics.length > 0).map((p) => p.uri),
    ).size;
    log(
      `workspace scan: ${corpus.workspace.files} files (${corpus.workspace.templates} templates) in ${ms.toFixed(0)} ms, ` +
        `peak RSS ${peak.toFixed(0)} MB, ${withDiagnostics} files with diagnostics`,
    );
    return {
      files: corpus.workspace.files,
      templates: corpus.workspace.templates,
      ms,
      peak_rss_mb: peak,
      diagnostics_files: withDiagnostics,
    };
  } finally {
    await session.dispose();
  }
}
