// The machine format: the engine's Finding shape with every position made 1-based (line and
// column, UTF-16 code units, end exclusive) and every path shown relative to the working folder.
import type { FileProblem, Finding, Fix, RelatedLocation } from "../../engine/types";
import { countBySeverity, displayPath, isAtOrAbove, oneBasedRange, type Report } from "../report";

/** Bumped when the shape changes incompatibly. */
export const JSON_REPORT_SCHEMA_VERSION = 1;

export function formatJson(report: Report): string {
  const path = (file: string) => displayPath(report, file);
  const fix = (f: Fix): Fix => ({
    title: f.title,
    edits: f.edits.map((edit) => ({ range: oneBasedRange(edit.range), newText: edit.newText })),
  });
  const related = (r: RelatedLocation): RelatedLocation => ({
    ...r,
    file: path(r.file),
    range: oneBasedRange(r.range),
  });
  const finding = (f: Finding): Finding => ({
    ...f,
    file: path(f.file),
    range: oneBasedRange(f.range),
    ...(f.fixes ? { fixes: f.fixes.map(fix) } : {}),
    ...(f.related ? { related: f.related.map(related) } : {}),
  });
  const problem = (p: FileProblem): FileProblem => ({
    ...p,
    file: path(p.file),
    range: oneBasedRange(p.range),
  });
  const document = {
    tool: "imds-guard",
    version: report.version,
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    positions: "1-based line and character (UTF-16 code units); range end is exclusive",
    summary: {
      filesChecked: report.filesChecked,
      findings: report.findings.length,
      ...countBySeverity(report.findings),
      problems: report.problems.length,
      threshold: report.threshold,
      failed: report.findings.some((f) => isAtOrAbove(f.severity, report.threshold)),
    },
    findings: report.findings.map(finding),
    problems: report.problems.map(problem),
    errors: report.errors,
    fixed: report.fixed.map((f) => ({ file: path(f.file), fixes: f.fixes })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
