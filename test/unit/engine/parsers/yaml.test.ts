import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParseFailure } from "../../../../server/src/engine/parsers/errors";
import { get, intrinsic, isMap, isSeq, scalarText } from "../../../../server/src/engine/parsers/tree";
import { parseYaml } from "../../../../server/src/engine/parsers/yaml";

describe("parseYaml", () => {
  it("normalises every CloudFormation short-form tag to its long form", () => {
    const tags = [
      ["!Ref X", "Ref"],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} syntax
      ["!Sub 'a-${X}'", "Fn::Sub"],
      ["!GetAtt A.B", "Fn::GetAtt"],
      ["!If [C, a, b]", "Fn::If"],
      ["!Join ['', [a, b]]", "Fn::Join"],
      ["!Select [0, [a]]", "Fn::Select"],
      ["!Base64 abc", "Fn::Base64"],
      ["!FindInMap [M, a, b]", "Fn::FindInMap"],
      ["!ImportValue Out", "Fn::ImportValue"],
      ["!Split [',', 'a,b']", "Fn::Split"],
      ["!Cidr [10.0.0.0/16, 4, 8]", "Fn::Cidr"],
      ["!GetAZs ''", "Fn::GetAZs"],
      ["!Equals [a, b]", "Fn::Equals"],
      ["!Not [!Condition C]", "Fn::Not"],
      ["!And [!Condition C, !Condition D]", "Fn::And"],
      ["!Or [!Condition C, !Condition D]", "Fn::Or"],
      ["!Condition C", "Condition"],
      ["!Transform {Name: AWS::Include}", "Fn::Transform"],
    ];
    for (const [source, name] of tags) {
      const root = parseYaml(`v: ${source}\n`);
      assert.equal(intrinsic(get(root, "v"))?.name, name, source);
    }
  });

  it("splits !GetAtt's dotted scalar form into [resource, attribute]", () => {
    const arg = intrinsic(get(parseYaml("v: !GetAtt Lt.LatestVersionNumber\n"), "v"))?.arg;
    assert.ok(isSeq(arg));
    assert.deepEqual(
      arg.items.map((i) => scalarText(i)),
      ["Lt", "LatestVersionNumber"],
    );
  });

  it("keeps offsets of values", () => {
    const text = "a:\n  b: optional # why\n";
    const value = get(get(parseYaml(text), "a"), "b");
    assert.ok(value && value.kind === "scalar");
    assert.equal(text.slice(value.start, value.end), "optional");
    assert.equal(value.style, "plain");
  });

  it("reports syntax errors with an offset", () => {
    assert.throws(
      () => parseYaml("a: [1, 2\nb: c\n"),
      (error: unknown) => error instanceof ParseFailure && /YAML syntax error/.test(error.message),
    );
  });

  it("expands aliases by reference, so an alias bomb stays small", () => {
    const ok = parseYaml("base: &b {HttpTokens: required}\nother: *b\n");
    assert.ok(isMap(get(ok, "other")));
    assert.equal(get(ok, "other"), get(ok, "base"), "one shared node");
  });

  it("gives up on a document with more aliases than any template needs", () => {
    const many = `a: &a x\nb: [${Array(10_001).fill("*a").join(", ")}]\n`;
    assert.throws(() => parseYaml(many), /more than 10000 YAML aliases/);
  });

  it("accepts a quoted scalar continued at its key's indentation, as CloudFormation does, with the file's own offsets", () => {
    const text =
      'Parameters:\n  Name:\n    Type: String\n    Description: "first line,\n    second line"\n    Default: optional\n';
    const root = parseYaml(text);
    const description = get(get(get(root, "Parameters"), "Name"), "Description");
    assert.equal(scalarText(description), "first line, second line");
    const value = get(get(get(root, "Parameters"), "Name"), "Default");
    assert.ok(value);
    assert.equal(text.slice(value.start, value.end), "optional");
  });

  it("still reports a quote that never closes", () => {
    assert.throws(() => parseYaml('a: "open\nb: c\n'), /YAML syntax error/);
  });
});
