import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { assertFixed, findings, summary, yaml } from "../ruleTester";

const fixture = (name: string) => readFileSync(`test/fixtures/cfn/${name}`, "utf8");
const pods = (podsNeedImds: boolean) => ({ settings: { podsNeedImds } });

describe("IMDS003 container-hop-limit", () => {
  it("flags hop limit 1 on a launch template an EKS node group uses, and says why it is a container host", () => {
    const text = fixture("eks-nodegroup-hop1.yaml");
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS003");
    assert.equal(finding.range.start.line, 10);
    assert.match(finding.message, /EKS node group Nodes uses it/);
    assert.match(finding.message, /podsNeedImds = true/);
    assertFixed(text, "IMDS003", text.replace("HttpPutResponseHopLimit: 1", "HttpPutResponseHopLimit: 2"));
  });

  it("with podsNeedImds=false hop 1 on EKS nodes is right, and 2 is flagged with 1 recommended", () => {
    assert.deepEqual(summary(fixture("eks-nodegroup-hop1.yaml"), "t.yaml", pods(false)), []);
    const hop2 = fixture("eks-nodegroup-hop1.yaml").replace("HopLimit: 1", "HopLimit: 2");
    assert.deepEqual(summary(hop2, "t.yaml", pods(true)), []);
    const [finding] = findings(hop2, "t.yaml", pods(false));
    assert.equal(finding.ruleId, "IMDS003");
    assert.match(finding.message, /podsNeedImds = false/);
    assertFixed(hop2, "IMDS003", fixture("eks-nodegroup-hop1.yaml"), "t.yaml", pods(false));
  });

  it("an unset hop limit resolves to 1 on an ECS capacity provider's group: inserted into the block", () => {
    const text = fixture("asg-mixed-instances-ecs.yaml");
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS003");
    assert.equal(finding.range.start.line, 10, "the MetadataOptions key");
    assert.match(finding.message, /ECS-optimized AMI/);
    assert.match(finding.message, /capacity provider Provider/);
    assertFixed(
      text,
      "IMDS003",
      text.replace("HttpTokens: required", "HttpPutResponseHopLimit: 2\n          HttpTokens: required"),
    );
  });

  it("user data that joins an ECS cluster makes a container host", () => {
    const text = yaml`
Resources:
  Hosts:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: required
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            echo ECS_CLUSTER=orders >> /etc/ecs/ecs.config
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS003");
    assert.match(finding.message, /user data joins an ECS cluster/);
  });

  it("an instance whose user data runs Docker makes its launch template a container host", () => {
    const text = yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}
  Box:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: "1"}
      UserData: !Base64 "#!/bin/bash\nyum install -y docker\nsystemctl start docker\n"
`;
    const result = findings(text);
    assert.deepEqual(
      result.map((f) => `${f.ruleId}@${f.range.start.line + 1}`),
      ["IMDS003@6"],
    );
    assert.match(result[0].message, /instance Box uses it and its user data installs or runs Docker/);
  });

  it("Image Builder container builds are container hosts", () => {
    assert.deepEqual(summary(fixture("imagebuilder-container.yaml")), ["IMDS003@10"]);
  });

  it("a Kubernetes tag on the Auto Scaling group is enough", () => {
    const text = yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: "1"}
      Tags:
        - Key: kubernetes.io/cluster/prod
          Value: owned
          PropagateAtLaunch: true
`;
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS003");
    assert.match(finding.message, /kubernetes\.io\/cluster\/prod/);
  });

  it("no container signal, no finding for hop 1", () => {
    const text = yaml`
Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}
`;
    assert.deepEqual(summary(text), []);
  });
});

describe("IMDS003 with a hop limit the template cannot tell", () => {
  it("is reported at info on the value, never guessed", () => {
    const text = readFileSync("test/fixtures/cfn/eks-nodegroup-hop1.yaml", "utf8")
      .replace("Resources:", "Parameters:\n  Hops:\n    Type: Number\nResources:")
      .replace("HttpPutResponseHopLimit: 1", "HttpPutResponseHopLimit: !Ref Hops");
    const [finding] = findings(text);
    assert.equal(finding.ruleId, "IMDS003");
    assert.equal(finding.severity, "info");
    assert.match(finding.message, /cannot be known/);
    assert.equal(finding.range.start.line, 13);
  });
});
