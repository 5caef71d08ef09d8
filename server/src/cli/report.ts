// What one run of `imds-guard` found, before it is formatted. Paths are absolute here; each
// formatter turns them into what its readers expect (cwd-relative text, repo-relative SARIF URIs).
import type { FileProblem, Finding, Position, Range, Severity } from "../engine/types";
import { SEVERITIES } from "../engine/types";
import { relativeInside } from "../project/walk";

export interface Report {
  version: string;
  cwd: string;
  /** Base of SARIF's `%SRCROOT%`: the git repository root around `cwd`, else `cwd`. */
  sourceRoot: string;
  filesChecked: number;
  /** Sorted by file, line, column, rule id. */
  findings: Finding[];
  /** Files that could not be analysed (parse errors, skipped, unreadable). */
  problems: FileProblem[];
  /** With `--fix`: files rewritten and how many fixes each received. */
  fixed: { file: string; fixes: number }[];
  /** Run-level I/O errors (a path that does not exist, an unreadable folder): they make the exit code 2. */
  errors: string[];
  threshold: Severity;
}

/** Severity rank: 0 for error … 3 for hint. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** How a person reads a path: relative to where they ran the command, `/`-separated; absolute when outside. */
export function displayPath(report: Pick<Report, "cwd">, file: string): string {
  return relativeInside(report.cwd, file) ?? file;
}

/** 1-based line and column, as editors, terminals and SARIF count them (columns in UTF-16 code units, like LSP). */
export function oneBased(position: Position): Position {
  return { line: position.line + 1, character: position.character + 1 };
}

export function oneBasedRange(range: Range): Range {
  return { start: oneBased(range.start), end: oneBased(range.end) };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
