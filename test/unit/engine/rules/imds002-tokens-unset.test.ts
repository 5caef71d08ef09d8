import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { assertFixed, findings, summary, yaml } from "../ruleTester";

const fixture = (name: string) => readFileSync(`test/fixtures/cfn/${name}`, "utf8");

describe("IMDS002 tokens-unset", () => {
  it("points at the logical id when there is no MetadataOptions, and inserts the block in YAML block style above the first property's comment", () => {
    const text = yaml`
Resources:
  Bastion:
    Type: AWS::EC2::Instance
    Properties:
      # Ubuntu 22.04
      ImageId: ami-0c1a7f89451184c8b
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS002");
    assert.equal(finding.severity, "warning");
    assert.deepEqual(finding.range.start, { line: 1, character: 2 });
    assertFixed(
      text,
      "IMDS002",
      yaml`
Resources:
  Bastion:
    Type: AWS::EC2::Instance
    Properties:
      MetadataOptions:
        HttpTokens: required
      # Ubuntu 22.04
      ImageId: ami-0c1a7f89451184c8b
`,
    );
  });

  it("uses the file's own indentation (4 spaces) and line endings (CRLF)", () => {
    const text =
      "Resources:\r\n    Lt:\r\n        Type: AWS::EC2::LaunchTemplate\r\n        Properties:\r\n            LaunchTemplateData:\r\n                InstanceType: t3.micro\r\n";
    assertFixed(
      text,
      "IMDS002",
      "Resources:\r\n    Lt:\r\n        Type: AWS::EC2::LaunchTemplate\r\n        Properties:\r\n            LaunchTemplateData:\r\n                MetadataOptions:\r\n                    HttpTokens: required\r\n                InstanceType: t3.micro\r\n",
    );
  });

  it("points at the MetadataOptions key when the block lacks HttpTokens, and adds it in flow style", () => {
    const text = yaml`
Resources:
  Workers:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      MetadataOptions: {HttpEndpoint: enabled}
`;
    assert.deepEqual(summary(text), ["IMDS002@5"]);
    assertFixed(
      text,
      "IMDS002",
      text.replace("{HttpEndpoint: enabled}", "{HttpEndpoint: enabled, HttpTokens: required}"),
    );
  });

  it("adds the option to a JSON block with the block's indentation", () => {
    const text = `{
  "Resources": {
    "Metrics": {
      "Type": "AWS::EC2::Instance",
      "Properties": {
        "MetadataOptions": {
          "HttpEndpoint": "enabled"
        }
      }
    }
  }
}`;
    assertFixed(
      text,
      "IMDS002",
      text.replace(
        '"HttpEndpoint": "enabled"',
        '"HttpEndpoint": "enabled",\n          "HttpTokens": "required"',
      ),
      "t.json",
    );
  });

  it("inserts a whole JSON block after the last property", () => {
    const text = `{
    "Resources": {
        "Host": {
            "Type": "AWS::EC2::Instance",
            "Properties": {
                "ImageId": "ami-1"
            }
        }
    }
}`;
    assertFixed(
      text,
      "IMDS002",
      text.replace(
        '"ImageId": "ami-1"',
        '"ImageId": "ami-1",\n                "MetadataOptions": {\n                    "HttpTokens": "required"\n                }',
      ),
      "t.json",
    );
  });

  it("drops to a hint when the AMI is Amazon Linux 2023's public SSM parameter (ImdsSupport v2.0)", () => {
    const [finding] = findings(fixture("al2023-ssm-parameter.yaml"));
    assert.equal(finding.ruleId, "IMDS002");
    assert.equal(finding.severity, "hint");
    assert.match(finding.message, /al2023-ami-kernel-default-x86_64/);
  });

  it("also recognises the {{resolve:ssm:…}} dynamic reference", () => {
    const text = yaml`
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64}}"
`;
    assert.equal(findings(text)[0].severity, "hint");
  });

  it("an instance inheriting from a template that has no HttpTokens: one finding, on the template", () => {
    const text = yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: web
      LaunchTemplateData:
        InstanceType: t3.micro
  Web:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate:
        LaunchTemplateName: web
        Version: "1"
`;
    assert.deepEqual(summary(text), ["IMDS002@2"]);
  });

  it("a launch template outside the template is unknown: info, on the reference", () => {
    const text = yaml`
Parameters:
  SharedTemplateId:
    Type: String
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate:
        LaunchTemplateId: !Ref SharedTemplateId
        Version: "1"
`;
    const [finding] = findings(text);
    assert.equal(finding.severity, "info");
    assert.equal(finding.range.start.line, 8);
    assert.match(finding.message, /cannot know/);
    assert.match(finding.message, /launch template !Ref SharedTemplateId,/);
  });

  it("a parameter without a default is unknown: info at the value, never assumed optional", () => {
    const text = yaml`
Parameters:
  Tokens:
    Type: String
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: !Ref Tokens
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS002");
    assert.equal(finding.severity, "info");
    assert.equal(finding.range.start.line, 9);
    assert.match(finding.message, /no default/);
  });

  it("a Spot Fleet's inline launch specifications cannot set metadata options", () => {
    const text = yaml`
Resources:
  Fleet:
    Type: AWS::EC2::SpotFleet
    Properties:
      SpotFleetRequestConfigData:
        IamFleetRole: arn:aws:iam::123456789012:role/fleet
        TargetCapacity: 2
        LaunchSpecifications:
          - ImageId: ami-1
            InstanceType: c5.large
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS002");
    assert.equal(finding.range.start.line, 8);
    assert.equal(finding.fixes, undefined);
  });
});

describe("IMDS002 with a computed options block", () => {
  it("reports the branch that leaves HttpTokens unset, and none for the branch that requires it", () => {
    const text = yaml`
Conditions:
  Hardened: !Equals [!Ref "AWS::Region", eu-west-1]
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: !If
          - Hardened
          - HttpTokens: required
          - !Ref AWS::NoValue
`;
    const [finding, ...rest] = findings(text);
    assert.deepEqual(rest, []);
    assert.equal(finding.ruleId, "IMDS002");
    assert.equal(finding.severity, "warning");
    assert.equal(finding.range.start.line, 10);
    assert.match(finding.message, /when Hardened is false/);
  });
});

describe("IMDS002 with an AMI chosen at deploy time", () => {
  it("is info, and says the AMI decides, when ImageId is a parameter without default", () => {
    const text = yaml`
Parameters:
  Ami:
    Type: AWS::EC2::Image::Id
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Ami
`;
    const [finding] = findings(text);
    assert.equal(finding.severity, "info");
    assert.match(finding.message, /parameter Ami has no default/);
  });

  it("stays a warning for a literal AMI id or a public AWS parameter that is not v2.0", () => {
    const literal = yaml`
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0c1a7f89451184c8b
`;
    assert.equal(findings(literal)[0].severity, "warning");
    const al2 = literal.replace(
      "ami-0c1a7f89451184c8b",
      '"{{resolve:ssm:/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2}}"',
    );
    assert.equal(findings(al2)[0].severity, "warning");
  });
});

describe("IMDS002 with AMIs from a mapping", () => {
  it("a region → architecture → AMI map of literal ids is known, so it stays a warning", () => {
    const text = yaml`
Mappings:
  Arch:
    t3.micro: {Arch: HVM64}
  RegionAmi:
    us-east-1: {HVM64: ami-0ff8a91507f77f867}
    eu-west-1: {HVM64: ami-047bb4163c506cd98}
Parameters:
  InstanceType:
    Type: String
    Default: t3.micro
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [RegionAmi, !Ref "AWS::Region", !FindInMap [Arch, !Ref InstanceType, Arch]]
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS002");
    assert.equal(finding.severity, "warning");
  });
});
