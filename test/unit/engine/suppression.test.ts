import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EMPTY_CONFIG } from "../../../server/src/engine/config";
import { findings, summary, yaml } from "./ruleTester";

const optional = (comment = "", metadata = "") => yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate${metadata}
    Properties:
      LaunchTemplateData:
        MetadataOptions:
${comment}          HttpTokens: optional
`;

describe("suppression", () => {
  it("an imds-guard-ignore comment on the line above silences that rule only", () => {
    assert.deepEqual(
      summary(optional("          # imds-guard-ignore IMDS001 vendor agent, ticket OPS-12\n")),
      [],
    );
    assert.deepEqual(summary(optional("          # imds-guard-ignore IMDS002 wrong rule\n")), ["IMDS001@8"]);
  });

  it("a comment on the same line works too", () => {
    const text = optional().replace(
      "HttpTokens: optional",
      "HttpTokens: optional # imds-guard-ignore IMDS001 legacy",
    );
    assert.deepEqual(summary(text), []);
  });

  it("CloudFormation Metadata on the resource silences the listed rules (the way for JSON)", () => {
    const metadata = '\n    Metadata:\n      imds-guard:\n        ignore: ["IMDS001"]';
    assert.deepEqual(summary(optional("", metadata)), []);
    const json = `{"Resources": {"I": {"Type": "AWS::EC2::Instance", "Metadata": {"imds-guard": {"ignore": ["IMDS002"]}}, "Properties": {}}}}`;
    assert.deepEqual(summary(json, "t.json"), []);
  });

  it(".imds-guard.yaml: severities, off, and ignores limited to paths", () => {
    const config = (extra: Partial<typeof EMPTY_CONFIG>) => ({ config: { ...EMPTY_CONFIG, ...extra } });
    assert.deepEqual(summary(optional(), "t.yaml", config({ rules: { IMDS001: "off" } })), []);
    const text = optional();
    const [downgraded] = findings(text, "t.yaml", config({ rules: { IMDS001: "warning" } }));
    assert.equal(downgraded.severity, "warning");
    const ignoreLegacy = config({ ignore: [{ rule: "IMDS001", paths: ["legacy/**"] }] });
    assert.deepEqual(summary(text, "t.yaml", { ...ignoreLegacy, relativePath: "legacy/app.yaml" }), []);
    assert.deepEqual(summary(text, "t.yaml", { ...ignoreLegacy, relativePath: "new/app.yaml" }), [
      "IMDS001@7",
    ]);
  });
});
