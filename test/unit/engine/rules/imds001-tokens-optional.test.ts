import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyFirstFix, assertFixed, findings, summary, yaml } from "../ruleTester";

describe("IMDS001 tokens-optional", () => {
  it("flags HttpTokens: optional on a launch template, at the value", () => {
    const text = yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: optional
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS001");
    assert.equal(finding.severity, "error");
    assert.deepEqual(finding.range, { start: { line: 6, character: 22 }, end: { line: 6, character: 30 } });
    assert.equal(finding.resource, "Lt");
  });

  it("keeps the quotes and the comment when fixing", () => {
    const text = yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: "optional" # legacy agent
`;
    assertFixed(text, "IMDS001", text.replace('"optional"', '"required"'));
  });

  it("fixes JSON in place", () => {
    const text = `{"Resources": {"I": {"Type": "AWS::EC2::Instance", "Properties": {"MetadataOptions": {"HttpTokens": "optional"}}}}}`;
    assertFixed(text, "IMDS001", text.replace('"optional"', '"required"'), "t.json");
  });

  it("an instance's own optional overrides its launch template's required", () => {
    const text = yaml`
Resources:
  Base:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: required
  Vendor:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate:
        LaunchTemplateId: !Ref Base
        Version: "1"
      MetadataOptions:
        HttpTokens: optional
`;
    assert.deepEqual(summary(text), ["IMDS001@15"]);
  });

  it("an instance that only inherits an optional template gets no duplicate: the template's finding lists it", () => {
    const text = yaml`
Resources:
  Permissive:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: optional
  App:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate:
        LaunchTemplateId: !GetAtt Permissive.LaunchTemplateId
        Version: "1"
`;
    const result = findings(text);
    assert.deepEqual(
      result.map((f) => `${f.ruleId}@${f.range.start.line + 1}`),
      ["IMDS001@7"],
    );
    assert.match(result[0].related?.[0].message ?? "", /App \(AWS::EC2::Instance\) launches instances/);
    assert.equal(result[0].related?.[0].range.start.line, 7);
  });

  it("reports the parameter default that makes it optional, with the use as related, once for two users", () => {
    const text = yaml`
Parameters:
  Tokens:
    Type: String
    Default: optional
Resources:
  A:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: !Ref Tokens
  B:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      MetadataOptions:
        HttpTokens: !Ref Tokens
`;
    const result = findings(text);
    assert.equal(result.length, 1);
    assert.equal(result[0].range.start.line, 3);
    assert.deepEqual(
      result[0].related?.map((r) => r.range.start.line + 1),
      [11, 16],
    );
    assertFixed(text, "IMDS001", text.replace("Default: optional", "Default: required"));
  });

  it("reports each !If branch that leaves IMDSv1 open, and names the condition", () => {
    const text = yaml`
Conditions:
  IsProd: !Equals [!Ref "AWS::AccountId", "123456789012"]
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: !If [IsProd, required, optional]
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS001");
    assert.match(finding.message, /when IsProd is false/);
    assert.equal(finding.range.start.character, 45);
  });

  it("says nothing when IMDS is disabled on the path", () => {
    const text = yaml`
Resources:
  Off:
    Type: AWS::EC2::Instance
    Properties:
      MetadataOptions:
        HttpEndpoint: disabled
        HttpTokens: optional
`;
    assert.deepEqual(summary(text), []);
  });

  it("flags the service switches that keep IMDSv1 on", () => {
    const text = yaml`
Resources:
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::123456789012:role/sm
      InstanceMetadataServiceConfiguration:
        MinimumInstanceMetadataServiceVersion: "1"
  Env:
    Type: AWS::ElasticBeanstalk::Environment
    Properties:
      ApplicationName: app
      OptionSettings:
        - Namespace: aws:autoscaling:launchconfiguration
          OptionName: DisableIMDSv1
          Value: "false"
  Streaming:
    Type: AWS::AppStream::Fleet
    Properties:
      DisableIMDSV1: false
`;
    assert.deepEqual(summary(text), ["IMDS001@8", "IMDS001@16", "IMDS001@20"]);
    const fixed = applyFirstFix(text, "IMDS001");
    assert.equal(fixed, text.replace('Version: "1"', 'Version: "2"'));
    assert.deepEqual(summary(fixed), ["IMDS001@16", "IMDS001@20"]);
  });

  it("gives no edit in a cdk.out template, and names the construct", () => {
    const text = `{"Resources": {"LtABC": {"Type": "AWS::EC2::LaunchTemplate", "Metadata": {"aws:cdk:path": "App/Workers/LaunchTemplate"},
      "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}}}}}`;
    const [finding] = findings(text, "cdk.out/App.template.json");
    assert.equal(finding.fixes, undefined);
    assert.match(finding.message, /App\/Workers\/LaunchTemplate/);
    assert.match(finding.message, /CDK code/);
  });
});

describe("IMDS001 on a parameter default", () => {
  it("offers no fix when AllowedValues would reject required", () => {
    const text = yaml`
Parameters:
  Tokens:
    Type: String
    AllowedValues: [optional]
    Default: optional
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: !Ref Tokens
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS001");
    assert.equal(finding.fixes, undefined);
  });
});
