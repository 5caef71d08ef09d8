// The peers' IMDS test cases (../shared/peer-fixtures, re-created from checkov, trivy and KICS), with
// the verdict DESIGN.md gives each: every expected finding at its line, and nothing else.
// Terraform is not analysed yet (no open issue covers it); those rows are listed in docs/rules/ pages.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyze } from "../../../server/src/engine/index";

const FIXTURES = join(__dirname, "..", "..", "..", "..", "shared", "peer-fixtures");

interface Verdict {
  file: string;
  resource: string;
  imdsGuard: { ruleId: string; line: number; severity: string }[];
}

describe("peer fixtures (CloudFormation and CDK output)", () => {
  assert.ok(existsSync(join(FIXTURES, "verdicts.json")), `peer fixtures expected at ${FIXTURES}`);
  const verdicts: Verdict[] = JSON.parse(readFileSync(join(FIXTURES, "verdicts.json"), "utf8"));
  const files = [...new Set(verdicts.map((v) => v.file).filter((f) => f.startsWith("cloudformation/")))];

  it("covers every CloudFormation fixture", () => assert.ok(files.length >= 20));

  for (const file of files) {
    it(file, () => {
      const expected = verdicts
        .filter((v) => v.file === file)
        .flatMap((v) => v.imdsGuard.map((f) => `${f.ruleId}@${f.line}`))
        .sort();
      const { result } = analyze(file, readFileSync(join(FIXTURES, file), "utf8"));
      assert.deepEqual(result.problems, []);
      const actual = result.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort();
      assert.deepEqual(actual, expected);
    });
  }
});
