// `imds-guard`: arguments → config → files → engine (→ fixes) → report → exit code.
// Every expected failure becomes a message on stderr and an exit code; only a bug throws (cli.ts reports it).
import { dirname, resolve } from "node:path";
import {
  ConfigError,
  type ConfigWarning,
  createGlobMatcher,
  type LoadedConfig,
  loadConfig,
  readConfigFile,
} from "../engine/config";
import { DEFAULT_SETTINGS, type EngineSettings, type FileProblem, type Finding } from "../engine/types";
import { collectFiles, findGitRoot, relativeInside } from "../project/walk";
import { type LintOptions, parseCommandLine, USAGE, UsageError } from "./args";
import { runFleet } from "./fleet";
import { formatJson } from "./format/json";
import { formatSarif } from "./format/sarif";
import { formatText } from "./format/text";
import { lintFile } from "./lintFile";
import { compareFindings, displayPath, isAtOrAbove, oneBased, type Report } from "./report";
import { toolVersion } from "./version";
import { writeFileAtomic } from "./write";

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliContext {
  stdout: CliStream;
  stderr: CliStream;
  cwd: string;
  env: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.stderr.write(`imds-guard: ${error.message}\nRun "imds-guard --help" for usage.\n`);
    return EXIT_ERROR;
  }
  switch (command.command) {
    case "help":
      context.stdout.write(USAGE);
      return EXIT_OK;
    case "version":
      context.stdout.write(`${toolVersion()}\n`);
      return EXIT_OK;
    case "fleet":
      return runFleet(command.argv, context);
    case "lint":
      return lint(command, context);
  }
}

function formatWarning(warning: ConfigWarning, cwd: string): string {
  const { line, character } = oneBased(warning.range.start);
  return `${displayPath({ cwd }, warning.file)}:${line}:${character}: warning: ${warning.message}`;
}

function loadProjectConfig(options: LintOptions, context: CliContext): LoadedConfig | undefined {
  try {
    return options.config ? readConfigFile(resolve(context.cwd, options.config)) : loadConfig(context.cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    context.stderr.write(`imds-guard: invalid config: ${error.message}\n`);
    return undefined;
  }
}

/** Colour only for a person at a terminal: never in files, never with NO_COLOR (no-color.org); FORCE_COLOR forces it. */
function useColour(options: LintOptions, context: CliContext): boolean {
  if (!options.color || options.output || options.format !== "text") return false;
  if (context.env.NO_COLOR) return false;
  if (context.env.FORCE_COLOR && context.env.FORCE_COLOR !== "0") return true;
  return context.stdout.isTTY === true;
}

async function lint(options: LintOptions, context: CliContext): Promise<number> {
  const { cwd, stderr } = context;
  const loaded = loadProjectConfig(options, context);
  if (!loaded) return EXIT_ERROR;
  for (const warning of loaded.warnings) stderr.write(`${formatWarning(warning, cwd)}\n`);
  const { config } = loaded;
  const settings: EngineSettings = {
    podsNeedImds: config.podsNeedImds ?? DEFAULT_SETTINGS.podsNeedImds,
    maxFileBytes: config.maxFileBytes ?? DEFAULT_SETTINGS.maxFileBytes,
  };
  // `exclude` and `ignore[].paths` are relative to the config file's folder (DESIGN.md), else to cwd.
  const configDir = loaded.file ? dirname(loaded.file) : cwd;
  const excluded = createGlobMatcher(config.exclude);
  const relativeToConfig = (file: string) => relativeInside(configDir, file);

  const walk = collectFiles(options.paths, cwd, (path, isDirectory) => {
    const rel = relativeToConfig(path);
    return rel !== undefined && excluded(isDirectory ? `${rel}/` : rel);
  });
  // Missing paths and unreadable folders or outputs are I/O errors (exit 2): CI must not go green on a
  // run that silently looked at less than it was asked to. Parse errors in a readable file are not.
  let ioFailed = walk.missing.length > 0 || walk.unreadable.length > 0;
  const errors: string[] = [
    ...walk.missing.map((path) => `no such file or directory: ${path}`),
    ...walk.unreadable.map(({ path, reason }) => `cannot read ${path}: ${reason}`),
  ];

  const findings: Finding[] = [];
  const problems: FileProblem[] = [];
  const fixed: Report["fixed"] = [];
  let filesRead = 0;
  let readErrors = 0;
  for (const file of walk.files) {
    const outcome = lintFile(file, {
      settings,
      config,
      relativePath: relativeToConfig(file),
      fix: options.fix,
    });
    if ("ioError" in outcome) {
      readErrors++;
      errors.push(outcome.ioError);
      continue;
    }
    if ("problem" in outcome) {
      problems.push(outcome.problem);
      continue;
    }
    filesRead++;
    findings.push(...outcome.result.findings);
    problems.push(...outcome.result.problems);
    if (outcome.fixesApplied) fixed.push({ file, fixes: outcome.fixesApplied });
    if (outcome.writeError) {
      ioFailed = true;
      errors.push(outcome.writeError);
    }
  }

  const report: Report = {
    version: toolVersion(),
    cwd,
    sourceRoot: findGitRoot(cwd) ?? cwd,
    filesChecked: filesRead,
    findings: findings.sort(compareFindings),
    problems,
    fixed,
    errors,
    threshold: options.threshold,
  };

  for (const problem of problems) {
    const { line, character } = oneBased(problem.range.start);
    stderr.write(
      `${displayPath(report, problem.file)}:${line}:${character}: ${problem.kind}: ${problem.message}\n`,
    );
  }
  for (const error of errors) stderr.write(`imds-guard: ${error}\n`);
  if (fixed.length > 0) {
    const total = fixed.reduce((sum, f) => sum + f.fixes, 0);
    stderr.write(
      `imds-guard: applied ${total} fix${total === 1 ? "" : "es"} in ${fixed.length} file${fixed.length === 1 ? "" : "s"}\n`,
    );
  }
  if (walk.files.length === 0 && errors.length === 0) stderr.write("imds-guard: no candidate files found\n");

  const rendered =
    options.format === "json"
      ? formatJson(report)
      : options.format === "sarif"
        ? formatSarif(report)
        : formatText(report, useColour(options, context));
  if (options.output) {
    try {
      writeFileAtomic(resolve(cwd, options.output), rendered);
    } catch (error) {
      stderr.write(`imds-guard: cannot write report to ${options.output}: ${(error as Error).message}\n`);
      return EXIT_ERROR;
    }
  } else {
    context.stdout.write(rendered);
  }

  // One unreadable file among many is reported and the rest still count; when nothing at all could be read, fail.
  if (ioFailed || (readErrors > 0 && filesRead === 0 && problems.length === 0)) return EXIT_ERROR;
  return findings.some((finding) => isAtOrAbove(finding.severity, options.threshold))
    ? EXIT_FINDINGS
    : EXIT_OK;
}
