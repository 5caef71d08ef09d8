// CDK synthesis output (`cdk.out/<Stack>.template.json`): JSON with one-space indent, hashed logical ids,
// `aws:cdk:path` metadata on every resource, the bootstrap-version parameter and rule, and the pattern
// that trips other tools: `ec2.Instance({ requireImdsv2: true })` becomes a separate launch template that
// the instance names by a *literal* `LaunchTemplateName` (DESIGN.md, "CDK output").
import { base64, type CfnMap, getAtt, importValue, ref, toJsonValue } from "./cfn-model";
import type { Rng } from "./rng";

const CONSTRUCTS = ["WebServer", "Bastion", "Worker", "Builder", "Jumpbox", "Agent", "Runner", "Collector"];

function withPath(resource: CfnMap, path: string): CfnMap {
  return { ...resource, Metadata: { "aws:cdk:path": path } };
}

function cdkUnit(rng: Rng, stack: string, index: number, resources: Record<string, CfnMap>): void {
  const construct = `${rng.pick(CONSTRUCTS)}${index}`;
  const roleId = `${construct}InstanceRole${rng.hex(8)}`;
  const profileId = `${construct}InstanceProfile${rng.hex(8)}`;
  const groupId = `${construct}InstanceSecurityGroup${rng.hex(8)}`;
  resources[groupId] = withPath(
    {
      Type: "AWS::EC2::SecurityGroup",
      Properties: {
        GroupDescription: `${stack}/${construct}/InstanceSecurityGroup`,
        SecurityGroupEgress: [
          { CidrIp: "0.0.0.0/0", Description: "Allow all outbound traffic by default", IpProtocol: "-1" },
        ],
        Tags: [{ Key: "Name", Value: `${stack}/${construct}` }],
        VpcId: importValue(`${stack}-VpcId`),
      },
    },
    `${stack}/${construct}/InstanceSecurityGroup/Resource`,
  );
  resources[roleId] = withPath(
    {
      Type: "AWS::IAM::Role",
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" } },
          ],
          Version: "2012-10-17",
        },
        Tags: [{ Key: "Name", Value: `${stack}/${construct}` }],
      },
    },
    `${stack}/${construct}/InstanceRole/Resource`,
  );
  resources[profileId] = withPath(
    { Type: "AWS::IAM::InstanceProfile", Properties: { Roles: [ref(roleId)] } },
    `${stack}/${construct}/InstanceProfile`,
  );
  const pattern = rng.weighted([
    ["instance-require-imdsv2", 40],
    ["instance-default", 20],
    ["launch-template-optional", 10],
    ["launch-template-required-asg", 20],
    ["nodegroup-default-template", 10],
  ] as const);
  const instanceProps: CfnMap = {
    AvailabilityZone: "us-east-1a",
    IamInstanceProfile: ref(profileId),
    ImageId: ref(
      "SsmParameterValueawsserviceamiamazonlinuxlatestamzn2amihvmx8664gp2C96584B6F00A464EAD1953AFF4B05118Parameter",
    ),
    InstanceType: rng.pick(["t3.micro", "t3.large", "m6i.large"]),
    SecurityGroupIds: [getAtt(groupId, "GroupId")],
    SubnetId: importValue(`${stack}-PrivateSubnet1`),
    Tags: [{ Key: "Name", Value: `${stack}/${construct}` }],
    UserData: base64("#!/bin/bash"),
  };
  const templateId = `${construct}LaunchTemplate${rng.hex(8)}`;
  switch (pattern) {
    case "instance-require-imdsv2": {
      const literalName = `${stack}${construct}LaunchTemplate${rng.hex(8)}`;
      resources[templateId] = withPath(
        {
          Type: "AWS::EC2::LaunchTemplate",
          Properties: {
            LaunchTemplateData: { MetadataOptions: { HttpTokens: "required" } },
            LaunchTemplateName: literalName,
          },
        },
        `${stack}/${construct}/LaunchTemplate`,
      );
      resources[`${construct}${rng.hex(8)}`] = withPath(
        {
          Type: "AWS::EC2::Instance",
          Properties: {
            ...instanceProps,
            LaunchTemplate: {
              LaunchTemplateName: literalName,
              Version: getAtt(templateId, "LatestVersionNumber"),
            },
          },
          DependsOn: [roleId],
        },
        `${stack}/${construct}/Resource`,
      );
      return;
    }
    case "instance-default":
      resources[`${construct}${rng.hex(8)}`] = withPath(
        { Type: "AWS::EC2::Instance", Properties: instanceProps, DependsOn: [roleId] },
        `${stack}/${construct}/Resource`,
      );
      return;
    case "launch-template-optional":
    case "launch-template-required-asg": {
      const tokens = pattern === "launch-template-optional" ? "optional" : "required";
      resources[templateId] = withPath(
        {
          Type: "AWS::EC2::LaunchTemplate",
          Properties: {
            LaunchTemplateData: {
              IamInstanceProfile: { Arn: getAtt(profileId, "Arn") },
              ImageId: instanceProps.ImageId ?? "",
              InstanceType: instanceProps.InstanceType ?? "t3.micro",
              MetadataOptions: { HttpPutResponseHopLimit: rng.int(1, 2), HttpTokens: tokens },
              SecurityGroupIds: [getAtt(groupId, "GroupId")],
              TagSpecifications: [
                {
                  ResourceType: "instance",
                  Tags: [{ Key: "Name", Value: `${stack}/${construct}/LaunchTemplate` }],
                },
              ],
            },
            LaunchTemplateName: `${stack}${construct}LaunchTemplate`,
          },
        },
        `${stack}/${construct}/LaunchTemplate/Resource`,
      );
      resources[`${construct}ASG${rng.hex(8)}`] = withPath(
        {
          Type: "AWS::AutoScaling::AutoScalingGroup",
          Properties: {
            LaunchTemplate: {
              LaunchTemplateId: ref(templateId),
              Version: getAtt(templateId, "LatestVersionNumber"),
            },
            MaxSize: "4",
            MinSize: "1",
            VPCZoneIdentifier: [importValue(`${stack}-PrivateSubnet1`)],
          },
          UpdatePolicy: { AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true } },
        },
        `${stack}/${construct}/ASG/ASG`,
      );
      return;
    }
    case "nodegroup-default-template":
      resources[templateId] = withPath(
        {
          Type: "AWS::EC2::LaunchTemplate",
          Properties: {
            LaunchTemplateData: {
              TagSpecifications: [
                { ResourceType: "instance", Tags: [{ Key: "Name", Value: `${stack}/${construct}` }] },
              ],
            },
          },
        },
        `${stack}/${construct}/LaunchTemplate/Resource`,
      );
      resources[`${construct}Nodegroup${rng.hex(8)}`] = withPath(
        {
          Type: "AWS::EKS::Nodegroup",
          Properties: {
            ClusterName: importValue(`${stack}-ClusterName`),
            LaunchTemplate: { Id: ref(templateId), Version: getAtt(templateId, "LatestVersionNumber") },
            NodeRole: getAtt(roleId, "Arn"),
            ScalingConfig: { DesiredSize: 2, MaxSize: 10, MinSize: 1 },
            Subnets: [importValue(`${stack}-PrivateSubnet1`)],
          },
        },
        `${stack}/${construct}/Nodegroup/Resource`,
      );
      return;
  }
}

/** A synthesised stack template of about `targetBytes`. */
export function cdkTemplate(rng: Rng, stack: string, targetBytes: number): string {
  const resources: Record<string, CfnMap> = {};
  let index = 0;
  let size = 3000;
  while (size < targetBytes || index === 0) {
    const before = Object.keys(resources).length;
    cdkUnit(rng, stack, index, resources);
    for (const id of Object.keys(resources).slice(before))
      size += JSON.stringify(toJsonValue(resources[id] ?? {}), null, 1).length;
    index++;
  }
  resources.CDKMetadata = {
    Type: "AWS::CDK::Metadata",
    Properties: { Analytics: `v2:deflate64:H4sIAAAAAAAA/${rng.hex(120).toLowerCase()}` },
    Metadata: { "aws:cdk:path": `${stack}/CDKMetadata/Default` },
    Condition: "CDKMetadataAvailable",
  };
  const template = {
    Resources: toJsonValue(resources),
    Parameters: {
      SsmParameterValueawsserviceamiamazonlinuxlatestamzn2amihvmx8664gp2C96584B6F00A464EAD1953AFF4B05118Parameter:
        {
          Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
          Default: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
        },
      BootstrapVersion: {
        Type: "AWS::SSM::Parameter::Value<String>",
        Default: "/cdk-bootstrap/hnb659fds/version",
        Description:
          "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]",
      },
    },
    Conditions: {
      CDKMetadataAvailable: {
        "Fn::Or": [
          { "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"] },
          { "Fn::Equals": [{ Ref: "AWS::Region" }, "eu-west-1"] },
        ],
      },
    },
    Rules: {
      CheckBootstrapVersion: {
        Assertions: [
          {
            Assert: {
              "Fn::Not": [{ "Fn::Contains": [["1", "2", "3", "4", "5"], { Ref: "BootstrapVersion" }] }],
            },
            AssertDescription:
              "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
          },
        ],
      },
    },
  };
  return `${JSON.stringify(template, null, 1)}\n`;
}

/** `cdk.out/manifest.json`: present in every synthesis, not a template (the engine must pass over it). */
export function cdkManifest(stacks: readonly string[]): string {
  const artifacts: Record<string, unknown> = {};
  for (const stack of stacks)
    artifacts[stack] = {
      type: "aws:cloudformation:stack",
      environment: "aws://unknown-account/unknown-region",
      properties: { templateFile: `${stack}.template.json`, validateOnSynth: false },
      displayName: stack,
    };
  return `${JSON.stringify({ version: "38.0.1", artifacts }, null, 2)}\n`;
}
