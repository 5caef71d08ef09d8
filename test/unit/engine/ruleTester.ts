// A small RuleTester (in the spirit of ESLint's): analyse a template, compare findings by rule and
// 1-based line, apply fixes and check the result.
import assert from "node:assert/strict";
import { applyEdits } from "../../../server/src/engine/fixes/apply";
import { type AnalyzeOptions, analyze } from "../../../server/src/engine/index";
import type { Finding, RuleId } from "../../../server/src/engine/types";

export function findings(text: string, file = "template.yaml", options: AnalyzeOptions = {}): Finding[] {
  const { result } = analyze(file, text, options);
  assert.deepEqual(result.problems, [], "the test's template parses");
  return result.findings;
}

/** `["IMDS001@11", …]` — rule id and 1-based line, in order. */
export function summary(text: string, file = "template.yaml", options: AnalyzeOptions = {}): string[] {
  return findings(text, file, options).map((f) => `${f.ruleId}@${f.range.start.line + 1}`);
}

/** Apply the first fix of the first finding of `ruleId`, and return the new text. */
export function applyFirstFix(
  text: string,
  ruleId: RuleId,
  file = "template.yaml",
  options: AnalyzeOptions = {},
): string {
  const finding = findings(text, file, options).find((f) => f.ruleId === ruleId);
  assert.ok(finding, `expected a ${ruleId} finding`);
  const fix = finding.fixes?.[0];
  assert.ok(fix, `expected ${ruleId} to offer a fix`);
  return applyEdits(text, fix.edits);
}

/** Apply a finding's fix and check that the result parses and no longer has that rule's finding. */
export function assertFixed(
  text: string,
  ruleId: RuleId,
  expected: string,
  file = "template.yaml",
  options: AnalyzeOptions = {},
) {
  const fixed = applyFirstFix(text, ruleId, file, options);
  assert.equal(fixed, expected);
  const after = analyze(file, fixed, options).result;
  assert.deepEqual(after.problems, [], "the fixed document still parses");
  assert.ok(!after.findings.some((f) => f.ruleId === ruleId), `no ${ruleId} after the fix`);
}

/** A template literal kept raw (`\n` stays two characters, as in a YAML file), without its first line break. */
export const yaml = (strings: TemplateStringsArray, ...values: unknown[]): string =>
  String.raw(strings, ...values).replace(/^\n/, "");
