// The human format: one line per finding, `path:line:col  severity  RULE  message  [resource]`,
// which terminals and editors turn into links, then a summary line with counts by severity.
import type { Finding, Severity } from "../../engine/types";
import { countBySeverity, displayPath, oneBased, type Report } from "../report";

const ANSI = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  blue: "\u001b[34m",
  green: "\u001b[32m",
};

type Paint = (code: keyof typeof ANSI, text: string) => string;

const SEVERITY_COLOUR: Record<Severity, keyof typeof ANSI> = {
  error: "red",
  warning: "yellow",
  info: "blue",
  hint: "dim",
};
const SEVERITY_WIDTH = Math.max(...Object.keys(SEVERITY_COLOUR).map((s) => s.length));

function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** Messages and resource names come from templates: keep each finding on one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

function location(report: Report, file: string, position: Finding["range"]["start"]): string {
  const { line, character } = oneBased(position);
  return `${displayPath(report, file)}:${line}:${character}`;
}

export function formatText(report: Report, colour: boolean): string {
  const paint: Paint = colour ? (code, text) => `${ANSI[code]}${text}${ANSI.reset}` : (_code, text) => text;
  const lines: string[] = [];
  let previousFile: string | undefined;
  for (const finding of report.findings) {
    if (previousFile !== undefined && finding.file !== previousFile) lines.push("");
    previousFile = finding.file;
    const severity = paint(SEVERITY_COLOUR[finding.severity], finding.severity.padEnd(SEVERITY_WIDTH));
    const resource = finding.resource ? `  ${paint("dim", `[${oneLine(finding.resource)}]`)}` : "";
    lines.push(
      `${paint("bold", location(report, finding.file, finding.range.start))}  ${severity}  ${paint("dim", finding.ruleId)}  ${oneLine(finding.message)}${resource}`,
    );
    for (const related of finding.related ?? []) {
      lines.push(
        `    ${paint("dim", "related:")} ${location(report, related.file, related.range.start)}  ${oneLine(related.message)}`,
      );
    }
  }
  if (lines.length > 0) lines.push("");
  lines.push(summary(report, paint));
  return `${lines.join("\n")}\n`;
}

function summary(report: Report, paint: Paint): string {
  const files = plural(report.filesChecked, "file");
  const notAnalysed =
    report.problems.length > 0
      ? `; ${plural(report.problems.length, "file problem")} reported on stderr`
      : "";
  if (report.findings.length === 0) return paint("green", `No findings (${files} checked${notAnalysed}).`);
  const counts = countBySeverity(report.findings);
  const bySeverity = [
    plural(counts.error, "error"),
    plural(counts.warning, "warning"),
    `${counts.info} info`,
    plural(counts.hint, "hint"),
  ].join(", ");
  const fixable = report.findings.filter((finding) => (finding.fixes?.length ?? 0) > 0).length;
  const fixHint = fixable > 0 ? `; ${fixable} fixable with --fix` : "";
  const headline = `${plural(report.findings.length, "finding")}: ${bySeverity}`;
  return `${paint(counts.error > 0 ? "red" : "yellow", paint("bold", headline))} (${files} checked${notAnalysed}${fixHint}).`;
}
