// Suppression, the same in the CLI and the editor (DESIGN.md): an `imds-guard-ignore IMDS002 reason…`
// comment on the finding's line or the line above; CloudFormation `Metadata: {"imds-guard": {"ignore": [...]}}`
// on the resource; and `.imds-guard.yaml` (`rules` severities, `ignore` entries with optional paths).
import { createGlobMatcher, type ProjectConfig } from "./config";
import type { CfnTemplate } from "./model/template";
import { get, isSeq, scalarText } from "./parsers/tree";
import type { LineIndex } from "./text";
import type { Finding, RuleId } from "./types";

const COMMENT = /(?:#|\/\/)\s*imds-guard-ignore\b(.*)$/;

/** The rule ids an ignore comment names; an empty list means every rule. */
function commentIgnores(lines: LineIndex, line: number): string[] | undefined {
  if (line < 0 || line >= lines.lineCount) return undefined;
  const match = COMMENT.exec(lines.lineText(line));
  if (!match) return undefined;
  return match[1].match(/IMDS\d{3}/g) ?? [];
}

function ignoredByComment(lines: LineIndex, finding: Finding): boolean {
  for (const line of [finding.range.start.line, finding.range.start.line - 1]) {
    const ids = commentIgnores(lines, line);
    if (ids && (ids.length === 0 || ids.includes(finding.ruleId))) return true;
  }
  return false;
}

function metadataIgnores(template: CfnTemplate, logicalId: string): string[] {
  const resource = template.resources.get(logicalId);
  const list = get(get(get(resource?.body, "Metadata"), "imds-guard"), "ignore");
  return isSeq(list) ? list.items.map((item) => scalarText(item) ?? "") : [];
}

function configIgnores(config: ProjectConfig, ruleId: RuleId, relativePath: string | undefined): boolean {
  return config.ignore.some((entry) => {
    if (entry.rule !== "*" && entry.rule !== ruleId) return false;
    if (!entry.paths || entry.paths.length === 0) return true;
    return relativePath !== undefined && createGlobMatcher(entry.paths)(relativePath);
  });
}

export function applySuppressions(
  findings: Finding[],
  lines: LineIndex,
  template: CfnTemplate | undefined,
  config: ProjectConfig,
  relativePath: string | undefined,
): Finding[] {
  const kept: Finding[] = [];
  for (const finding of findings) {
    const severity = config.rules[finding.ruleId];
    if (severity === "off") continue;
    if (ignoredByComment(lines, finding)) continue;
    const logicalId = finding.resource?.split(" ")[0];
    if (template && logicalId && metadataIgnores(template, logicalId).includes(finding.ruleId)) continue;
    if (configIgnores(config, finding.ruleId, relativePath)) continue;
    kept.push(severity ? { ...finding, severity } : finding);
  }
  return kept;
}
