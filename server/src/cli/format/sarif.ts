// SARIF 2.1.0 as GitHub code scanning accepts it: rule metadata with help URIs, repo-relative
// URIs under `%SRCROOT%`, 1-based regions, fixes as artifact changes.
import { pathToFileURL } from "node:url";
import type * as Sarif from "sarif";
import { RULE_CATALOGUE } from "../../engine/rules/catalogue";
import type { FileProblem, Finding, Range, Severity } from "../../engine/types";
import { relativeInside } from "../../project/walk";
import { oneBasedRange, type Report } from "../report";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SOURCE_ROOT = "%SRCROOT%";
export const INFORMATION_URI = "https://github.com/imds-guard/imds-guard";

/** SARIF has no `info`/`hint`; both are advice, which SARIF calls `note`. */
const LEVEL: Record<Severity, Sarif.Result.level> = {
  error: "error",
  warning: "warning",
  info: "note",
  hint: "note",
};

function region(range: Range): Sarif.Region {
  const { start, end } = oneBasedRange(range);
  return { startLine: start.line, startColumn: start.character, endLine: end.line, endColumn: end.character };
}

/** Percent-encodes each segment so spaces, `#` and `?` in file names survive as a URI reference. */
function encodePath(relativePath: string): string {
  return relativePath.split("/").map(encodeURIComponent).join("/");
}

function artifactLocation(report: Report, file: string): Sarif.ArtifactLocation {
  const inside = relativeInside(report.sourceRoot, file);
  return inside !== undefined
    ? { uri: encodePath(inside), uriBaseId: SOURCE_ROOT }
    : { uri: pathToFileURL(file).href };
}

function physicalLocation(report: Report, file: string, range: Range): Sarif.PhysicalLocation {
  return { artifactLocation: artifactLocation(report, file), region: region(range) };
}

function result(report: Report, finding: Finding): Sarif.Result {
  const ruleIndex = RULE_CATALOGUE.findIndex((rule) => rule.id === finding.ruleId);
  const location: Sarif.Location = {
    physicalLocation: physicalLocation(report, finding.file, finding.range),
  };
  if (finding.resource) location.logicalLocations = [{ name: finding.resource, kind: "resource" }];
  const sarifResult: Sarif.Result = {
    ruleId: finding.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [location],
  };
  if (finding.related?.length) {
    sarifResult.relatedLocations = finding.related.map((related, id) => ({
      id,
      physicalLocation: physicalLocation(report, related.file, related.range),
      message: { text: related.message },
    }));
  }
  if (finding.fixes?.length) {
    sarifResult.fixes = finding.fixes.map((fix) => ({
      description: { text: fix.title },
      artifactChanges: [
        {
          artifactLocation: artifactLocation(report, finding.file),
          replacements: fix.edits.map((edit) => ({
            deletedRegion: region(edit.range),
            insertedContent: { text: edit.newText },
          })),
        },
      ],
    }));
  }
  return sarifResult;
}

function notification(report: Report, problem: FileProblem): Sarif.Notification {
  return {
    level: problem.kind === "parse-error" ? "error" : "warning",
    descriptor: { id: problem.kind },
    message: { text: problem.message },
    locations: [{ physicalLocation: physicalLocation(report, problem.file, problem.range) }],
  };
}

export function formatSarif(report: Report): string {
  const rules: Sarif.ReportingDescriptor[] = RULE_CATALOGUE.map((rule) => ({
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary },
    helpUri: rule.docsUrl,
    help: { text: `${rule.summary} See ${rule.docsUrl}` },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: ["security", "aws", "ec2", "imds"] },
  }));
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: "imds-guard", informationUri: INFORMATION_URI, version: report.version, rules },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(`${report.sourceRoot}/`).href } },
        columnKind: "utf16CodeUnits",
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.problems.map((problem) => notification(report, problem)),
              ...report.errors.map((text): Sarif.Notification => ({ level: "error", message: { text } })),
            ],
          },
        ],
        results: report.findings.map((finding) => result(report, finding)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
