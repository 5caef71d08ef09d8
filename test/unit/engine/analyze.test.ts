// Bad input never crashes or hangs the engine: it says what is wrong and where, or skips with a notice.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze } from "../../../server/src/engine/index";

const LT =
  "Resources:\n  Lt:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData: {}\n";

describe("analyze: bad input", () => {
  it("a malformed template is one parse error with its position", () => {
    const { result } = analyze(
      "bad.yaml",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [unclosed\n",
    );
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].kind, "parse-error");
    assert.match(result.problems[0].message, /YAML syntax error/);
    assert.ok(result.problems[0].range.start.line >= 2);
  });

  it("malformed JSON says what was expected and where", () => {
    const { result } = analyze("bad.json", '{"Resources": {"X": {"Type": "AWS::EC2::Instance",}}');
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /JSON syntax error/);
  });

  it("a binary file is not analysed", () => {
    const bytes = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0x41, 0x57, 0x53, 0x3a, 0x3a]);
    assert.deepEqual(analyze("a.out", bytes).result, { file: "a.out", findings: [], problems: [] });
  });

  it("a file over the size limit is skipped with a notice", () => {
    const { result } = analyze("big.yaml", LT + "#".repeat(2000), { settings: { maxFileBytes: 1000 } });
    assert.equal(result.problems[0].kind, "skipped");
    assert.match(result.problems[0].message, /over the 1 KB limit/);
  });

  it("deep nesting is an error, not a crash", () => {
    const deep = `AWSTemplateFormatVersion: x\nResources: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    const { result } = analyze("deep.yaml", deep);
    assert.equal(result.problems.length, 1);
  });

  it("unknown tags and templates that are not CloudFormation are fine", () => {
    assert.equal(analyze("t.yaml", `${LT}      Other: !Custom thing\n`).result.findings.length, 1);
    assert.deepEqual(analyze("k8s.yaml", "apiVersion: v1\nkind: Pod\n").result.findings, []);
    assert.equal(analyze("k8s.yaml", "apiVersion: v1\nkind: Pod\n").result.format, undefined);
  });

  it("a file that names AWS:: types but has no Resources map is not a template", () => {
    assert.equal(analyze("notes.yaml", "text: 'AWS::EC2::Instance is a type'\n").result.format, undefined);
  });

  it("a YAML document with a byte-order mark and CRLF line endings", () => {
    const { result } = analyze("t.yaml", `\uFEFF${LT.replace(/\n/g, "\r\n")}`);
    assert.deepEqual(result.findings[0].range.start, { line: 1, character: 2 });
  });

  // A hang fails through the test's timeout; nothing here is a timing assertion.
  it("a billion-laughs alias bomb inside a template is analysed without expanding it", {
    timeout: 30_000,
  }, () => {
    const levels = ["    a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`    ${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    // Nine levels of nine aliases: 9^9 nodes if anything expanded them naively.
    const text = `Metadata:\n${levels.join("\n")}\nResources:\n  Lt:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateName: *i\n      LaunchTemplateData: {}\n  Box:\n    Type: AWS::EC2::Instance\n    Properties:\n      LaunchTemplate: {LaunchTemplateName: *i}\n`;
    const { result } = analyze("bomb.yaml", text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`),
      ["IMDS002@12"],
    );
  });
});
