import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertFixed, findings, summary, yaml } from "../ruleTester";

const template = (hop: string) => yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: required
          HttpPutResponseHopLimit: ${hop}
`;

describe("IMDS009 hop-limit-excessive", () => {
  it("flags a hop limit above 2 as info, at the value", () => {
    const [finding] = findings(template("3"));
    assert.equal(finding.ruleId, "IMDS009");
    assert.equal(finding.severity, "info");
    assert.deepEqual(finding.range.start, { line: 7, character: 35 });
    assertFixed(template("3"), "IMDS009", template("2"));
  });

  it("keeps a quoted value quoted", () => {
    assertFixed(template('"64"'), "IMDS009", template('"2"'));
  });

  it("1 and 2 are fine when nothing says the host runs no containers", () => {
    assert.deepEqual(summary(template("1")), []);
    assert.deepEqual(summary(template("2")), []);
  });

  it("on an EKS node with podsNeedImds=false the value is IMDS003's, not a second finding", () => {
    const text = `${template("4")}  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: r
      Subnets: [s]
      LaunchTemplate: {Id: !Ref Lt}
`;
    assert.deepEqual(summary(text, "t.yaml", { settings: { podsNeedImds: false } }), ["IMDS003@8"]);
    assert.deepEqual(summary(text, "t.yaml", { settings: { podsNeedImds: true } }), ["IMDS009@8"]);
  });
});
