// Resource "units" a real CloudFormation repository is made of: a launch path (launch template, instance,
// Auto Scaling group, EKS node group, launch configuration, ECS capacity) plus the security group and IAM
// role that usually travel with it. Metadata options are drawn from a mix that exercises every template
// rule: HttpTokens optional / unset / required / from a parameter / behind !If, hop limits 1/2/3 on hosts
// with and without containers, user data that boots EKS, ECS or Docker, and IMDS calls with and without
// a token.
import {
  base64,
  type CfnMap,
  type CfnValue,
  equals,
  getAtt,
  iff,
  Literal,
  ref,
  selectAz,
  sub,
  toJsonValue,
  toYamlLines,
} from "./cfn-model";
import type { Rng } from "./rng";

const TIERS = [
  "Web",
  "Api",
  "Worker",
  "Batch",
  "Ingest",
  "Search",
  "Cache",
  "Queue",
  "Report",
  "Admin",
  "Edge",
];
const TEAMS = ["payments", "identity", "catalog", "checkout", "platform", "data", "growth", "ml"];
const INSTANCE_TYPES = [
  "t3.micro",
  "t3.medium",
  "m6i.large",
  "m7g.xlarge",
  "c6i.2xlarge",
  "r6i.large",
  "m5.large",
];

interface TemplateShape {
  /** Parameters every unit may refer to. */
  parameters: CfnMap;
  conditions: CfnMap;
}

const SHARED_SHAPE: TemplateShape = {
  parameters: {
    Environment: { Type: "String", Default: "staging", AllowedValues: ["dev", "staging", "production"] },
    "//": "Teams flip this to required once MetadataNoToken has been zero for two weeks.",
    MetadataTokens: { Type: "String", Default: "optional", AllowedValues: ["optional", "required"] },
    ClusterName: { Type: "String", Default: "shared-eks" },
    EcsClusterName: { Type: "String", Default: "shared-ecs" },
    KeyName: { Type: "AWS::EC2::KeyPair::KeyName", Description: "No default: chosen at deploy time." },
    VpcId: { Type: "AWS::EC2::VPC::Id" },
    SubnetIds: { Type: "List<AWS::EC2::Subnet::Id>" },
    LatestAmiId: {
      Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
      Default: "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
    },
    EksAmiId: {
      Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
      Default: "/aws/service/eks/optimized-ami/1.29/amazon-linux-2/recommended/image_id",
    },
    EcsAmiId: {
      Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
      Default: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    },
  },
  conditions: {
    IsProduction: equals(ref("Environment"), "production"),
  },
};

type TokensChoice = "required" | "optional" | "unset-key" | "no-block" | "parameter" | "conditional";

/** `InstanceMetadataTags` exists on launch templates and instances, not on launch configurations. */
function metadataOptions(rng: Rng, containerHost: boolean, allowsTags: boolean): CfnMap | undefined {
  const tokens = rng.weighted<TokensChoice>([
    ["required", 45],
    ["optional", 18],
    ["unset-key", 10],
    ["no-block", 15],
    ["parameter", 6],
    ["conditional", 6],
  ]);
  if (tokens === "no-block") return undefined;
  const options: CfnMap = {};
  if (rng.chance(0.25)) options.HttpEndpoint = rng.chance(0.96) ? "enabled" : "disabled";
  if (tokens === "required" || tokens === "optional") options.HttpTokens = tokens;
  if (tokens === "parameter") options.HttpTokens = ref("MetadataTokens");
  if (tokens === "conditional") options.HttpTokens = iff("IsProduction", "required", "optional");
  const hop = containerHost
    ? rng.weighted<number | undefined>([
        [1, 30],
        [2, 50],
        [3, 10],
        [undefined, 10],
      ])
    : rng.weighted<number | undefined>([
        [1, 45],
        [2, 20],
        [3, 5],
        [undefined, 30],
      ]);
  if (hop !== undefined) {
    if (hop === 1 && containerHost && rng.chance(0.5))
      options["//"] = "TODO(platform): pods lose credentials at 1";
    options.HttpPutResponseHopLimit = hop;
  }
  if (allowsTags && rng.chance(0.2)) options.InstanceMetadataTags = "enabled";
  return options;
}

type Boot = "eks" | "ecs" | "docker" | "web" | "imds-v1" | "imds-v2";

function userData(boot: Boot, name: string): CfnValue {
  const lines: Record<Boot, string> = {
    eks: `#!/bin/bash
set -o xtrace
# Join the cluster; kubelet extra args keep system pods on on-demand capacity.
/etc/eks/bootstrap.sh \${ClusterName} --kubelet-extra-args '--node-labels=tier=${name.toLowerCase()}'
/opt/aws/bin/cfn-signal --exit-code $? --stack \${AWS::StackName} --resource ${name}Group --region \${AWS::Region}
`,
    ecs: `#!/bin/bash
echo ECS_CLUSTER=\${EcsClusterName} >> /etc/ecs/ecs.config
echo ECS_ENABLE_CONTAINER_METADATA=true >> /etc/ecs/ecs.config
`,
    docker: `#!/bin/bash
yum update -y
yum install -y docker
systemctl enable --now docker
docker run -d --restart always -p 80:8080 public.ecr.aws/${name.toLowerCase()}/app:latest
`,
    web: `#!/bin/bash
yum install -y httpd
echo "<h1>${name} in \${AWS::Region}</h1>" > /var/www/html/index.html
systemctl enable --now httpd
`,
    "imds-v1": `#!/bin/bash
# Legacy bootstrap: reads the instance id the old way.
INSTANCE_ID=$(curl -s http://169.254.169.254/latest/meta-data/instance-id)
aws ec2 create-tags --resources "$INSTANCE_ID" --tags Key=Bootstrapped,Value=true --region \${AWS::Region}
`,
    "imds-v2": `#!/bin/bash
TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
INSTANCE_ID=$(curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id)
echo "booted $INSTANCE_ID" | logger -t ${name.toLowerCase()}
`,
  };
  const script = lines[boot];
  // Fn::Sub only where the script interpolates something (cfn-lint W1020 otherwise).
  return base64(script.includes("${") ? sub(script) : new Literal(script));
}

function tags(rng: Rng, name: string, extra: CfnMap[] = []): CfnMap[] {
  const out: CfnMap[] = [
    { Key: "Name", Value: sub(`\${AWS::StackName}-${name.toLowerCase()}`) },
    { Key: "Environment", Value: ref("Environment") },
    { Key: "Team", Value: rng.pick(TEAMS) },
  ];
  if (rng.chance(0.4)) out.push({ Key: "CostCenter", Value: String(rng.int(1000, 9999)) });
  return [...out, ...extra];
}

function securityGroup(rng: Rng, name: string): CfnMap {
  const rules: CfnMap[] = [];
  const count = rng.int(1, 5);
  for (let i = 0; i < count; i++) {
    const port = rng.pick([22, 80, 443, 8080, 8443, 5432, 6379, 9200]);
    rules.push({
      IpProtocol: "tcp",
      FromPort: port,
      ToPort: port,
      CidrIp: `10.${rng.int(0, 255)}.0.0/16`,
      Description: `${name} port ${port}`,
    });
  }
  return {
    Type: "AWS::EC2::SecurityGroup",
    Properties: {
      GroupDescription: `${name} hosts`,
      VpcId: ref("VpcId"),
      SecurityGroupIngress: rules,
      Tags: tags(rng, `${name}-sg`),
    },
  };
}

function instanceRole(rng: Rng, name: string): CfnMap {
  const policies = [
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
  ];
  if (rng.chance(0.3)) policies.push("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com"] }, Action: ["sts:AssumeRole"] },
        ],
      },
      ManagedPolicyArns: policies,
      Policies: [
        {
          PolicyName: `${name}-logs`,
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: sub(
                  `arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/${name.toLowerCase()}/*`,
                ),
              },
            ],
          },
        },
      ],
    },
  };
}

export type Resources = Record<string, CfnMap>;

/** One launch path with its companions; logical ids are prefixed with `prefix` so units never collide. */
export function launchPathUnit(rng: Rng, prefix: string): Resources {
  const name = `${prefix}${rng.pick(TIERS)}`;
  const kind = rng.weighted([
    ["instance-from-template", 22],
    ["asg-from-template", 20],
    ["eks-nodegroup", 14],
    ["ecs-capacity", 8],
    ["launch-configuration", 12],
    ["standalone-instance", 16],
    ["instance-by-template-name", 8],
  ] as const);
  const containerHost = kind === "eks-nodegroup" || kind === "ecs-capacity" || rng.chance(0.1);
  const boot: Boot =
    kind === "eks-nodegroup"
      ? "eks"
      : kind === "ecs-capacity"
        ? "ecs"
        : containerHost
          ? "docker"
          : rng.weighted<Boot>([
              ["web", 60],
              ["imds-v1", 15],
              ["imds-v2", 25],
            ]);
  const image = kind === "eks-nodegroup" ? "EksAmiId" : kind === "ecs-capacity" ? "EcsAmiId" : "LatestAmiId";
  const resources: Resources = {};
  resources[`${name}SecurityGroup`] = securityGroup(rng, name);
  resources[`${name}Role`] = instanceRole(rng, name);
  resources[`${name}InstanceProfile`] = {
    Type: "AWS::IAM::InstanceProfile",
    Properties: { Roles: [ref(`${name}Role`)] },
  };
  const options = metadataOptions(rng, containerHost, kind !== "launch-configuration");
  const templateName = `${name.toLowerCase()}-${rng.hex(6).toLowerCase()}`;
  const templateData: CfnMap = {
    ImageId: ref(image),
    InstanceType: rng.pick(INSTANCE_TYPES),
    IamInstanceProfile: { Arn: getAtt(`${name}InstanceProfile`, "Arn") },
    SecurityGroupIds: [ref(`${name}SecurityGroup`)],
    UserData: userData(boot, name),
  };
  if (rng.chance(0.3)) templateData.KeyName = ref("KeyName");
  if (options) templateData.MetadataOptions = options;
  if (rng.chance(0.5))
    templateData.BlockDeviceMappings = [
      {
        DeviceName: "/dev/xvda",
        Ebs: { VolumeSize: rng.pick([20, 50, 100]), VolumeType: "gp3", Encrypted: true },
      },
    ];
  const launchTemplate: CfnMap = {
    Type: "AWS::EC2::LaunchTemplate",
    Properties: { LaunchTemplateName: templateName, LaunchTemplateData: templateData },
  };
  const templateRef: CfnMap = {
    LaunchTemplateId: ref(`${name}LaunchTemplate`),
    Version: getAtt(`${name}LaunchTemplate`, "LatestVersionNumber"),
  };
  switch (kind) {
    case "instance-from-template":
    case "instance-by-template-name": {
      resources[`${name}LaunchTemplate`] = launchTemplate;
      const instance: CfnMap = {
        LaunchTemplate:
          kind === "instance-by-template-name"
            ? {
                LaunchTemplateName: templateName,
                Version: getAtt(`${name}LaunchTemplate`, "LatestVersionNumber"),
              }
            : templateRef,
        SubnetId: rng.pick(["subnet-0a1b2c3d", "subnet-0e4f5a6b"]),
        Tags: tags(rng, name),
      };
      // Field by field, the instance's own options override the template's (seed 001).
      if (rng.chance(0.15)) instance.MetadataOptions = { HttpPutResponseHopLimit: rng.int(1, 3) };
      resources[`${name}Instance`] = { Type: "AWS::EC2::Instance", Properties: instance };
      break;
    }
    case "asg-from-template": {
      resources[`${name}LaunchTemplate`] = launchTemplate;
      const kubernetes = containerHost ? [{ Key: "kubernetes.io/cluster/shared-eks", Value: "owned" }] : [];
      resources[`${name}Group`] = {
        Type: "AWS::AutoScaling::AutoScalingGroup",
        Properties: {
          MinSize: "1",
          MaxSize: String(rng.int(2, 20)),
          DesiredCapacity: iff("IsProduction", "3", "1"),
          LaunchTemplate: templateRef,
          VPCZoneIdentifier: ref("SubnetIds"),
          Tags: tags(rng, name, kubernetes).map((tag) => ({ ...tag, PropagateAtLaunch: true })),
        },
        UpdatePolicy: { AutoScalingRollingUpdate: { MinInstancesInService: 1, MaxBatchSize: 2 } },
      };
      break;
    }
    case "eks-nodegroup": {
      resources[`${name}LaunchTemplate`] = launchTemplate;
      resources[`${name}Group`] = {
        Type: "AWS::EKS::Nodegroup",
        Properties: {
          ClusterName: ref("ClusterName"),
          NodeRole: getAtt(`${name}Role`, "Arn"),
          Subnets: ref("SubnetIds"),
          ScalingConfig: { MinSize: 1, DesiredSize: 2, MaxSize: rng.int(3, 30) },
          LaunchTemplate: {
            Id: ref(`${name}LaunchTemplate`),
            Version: getAtt(`${name}LaunchTemplate`, "LatestVersionNumber"),
          },
          Labels: { tier: name.toLowerCase() },
        },
      };
      break;
    }
    case "ecs-capacity": {
      resources[`${name}LaunchTemplate`] = launchTemplate;
      resources[`${name}Group`] = {
        Type: "AWS::AutoScaling::AutoScalingGroup",
        Properties: {
          MinSize: "0",
          MaxSize: String(rng.int(2, 20)),
          LaunchTemplate: templateRef,
          VPCZoneIdentifier: ref("SubnetIds"),
          Tags: [{ Key: "AmazonECSManaged", Value: "", PropagateAtLaunch: true }],
        },
      };
      resources[`${name}CapacityProvider`] = {
        Type: "AWS::ECS::CapacityProvider",
        Properties: {
          AutoScalingGroupProvider: {
            AutoScalingGroupArn: ref(`${name}Group`),
            ManagedScaling: { Status: "ENABLED", TargetCapacity: 90 },
            ManagedTerminationProtection: "DISABLED",
          },
        },
      };
      break;
    }
    case "launch-configuration": {
      const configuration: CfnMap = {
        ImageId: ref(image),
        InstanceType: rng.pick(INSTANCE_TYPES),
        IamInstanceProfile: ref(`${name}InstanceProfile`),
        SecurityGroups: [ref(`${name}SecurityGroup`)],
        UserData: userData(boot, name),
      };
      if (options) configuration.MetadataOptions = options;
      resources[`${name}LaunchConfiguration`] = {
        Type: "AWS::AutoScaling::LaunchConfiguration",
        Properties: configuration,
      };
      resources[`${name}Group`] = {
        Type: "AWS::AutoScaling::AutoScalingGroup",
        Properties: {
          MinSize: "1",
          MaxSize: "4",
          LaunchConfigurationName: ref(`${name}LaunchConfiguration`),
          VPCZoneIdentifier: ref("SubnetIds"),
        },
      };
      break;
    }
    case "standalone-instance": {
      const instance: CfnMap = {
        ImageId: ref(image),
        InstanceType: rng.pick(INSTANCE_TYPES),
        IamInstanceProfile: ref(`${name}InstanceProfile`),
        SecurityGroupIds: [ref(`${name}SecurityGroup`)],
        SubnetId: iff("IsProduction", "subnet-0a1b2c3d", "subnet-0e4f5a6b"),
        AvailabilityZone: selectAz(rng.int(0, 1)),
        UserData: userData(boot, name),
        Tags: tags(rng, name),
      };
      if (options) instance.MetadataOptions = options;
      resources[`${name}Instance`] = { Type: "AWS::EC2::Instance", Properties: instance };
      break;
    }
  }
  if (rng.chance(0.4))
    resources[`${name}CpuAlarm`] = {
      Type: "AWS::CloudWatch::Alarm",
      Properties: {
        AlarmDescription: `${name} CPU above 80% for 10 minutes`,
        Namespace: "AWS/EC2",
        MetricName: "CPUUtilization",
        Statistic: "Average",
        Period: 300,
        EvaluationPeriods: 2,
        Threshold: 80,
        ComparisonOperator: "GreaterThanThreshold",
      },
    };
  return resources;
}

/** A unit's own YAML lines under `Resources:` (2-space indented), with a comment naming it. */
function unitYaml(resources: Resources, comment: string): string {
  return `  # ${comment}\n${toYamlLines(resources, 2).join("\n")}\n`;
}

function headerYaml(description: string): string {
  return `${[
    `AWSTemplateFormatVersion: "2010-09-09"`,
    `Description: ${JSON.stringify(description)}`,
    "",
    "Parameters:",
    ...toYamlLines(SHARED_SHAPE.parameters, 2),
    "",
    "Conditions:",
    ...toYamlLines(SHARED_SHAPE.conditions, 2),
    "",
    "Resources:",
  ].join("\n")}\n`;
}

const FOOTER_YAML = `
Outputs:
  StackEnvironment:
    Value: !Ref Environment
    Export:
      Name: !Sub \${AWS::StackName}-environment
`;

/** A hand-written style YAML template of about `targetBytes` (never less than one unit). */
export function yamlTemplate(rng: Rng, targetBytes: number, description: string): string {
  let text = headerYaml(description);
  let unit = 0;
  while (text.length + FOOTER_YAML.length < targetBytes || unit === 0) {
    const prefix = unit === 0 ? "" : `U${unit}`;
    text += unitYaml(launchPathUnit(rng, prefix), `launch path ${unit + 1}`);
    unit++;
  }
  return text + FOOTER_YAML;
}

/** The same kind of template as plain CloudFormation JSON (2-space indent, long-form intrinsics). */
export function jsonTemplate(rng: Rng, targetBytes: number, description: string): string {
  const resources: Resources = {};
  let size = 2000;
  let unit = 0;
  while (size < targetBytes || unit === 0) {
    const part = launchPathUnit(rng, unit === 0 ? "" : `U${unit}`);
    Object.assign(resources, part);
    size += JSON.stringify(toJsonValue(part), null, 2).length + 20;
    unit++;
  }
  const template: CfnMap = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: description,
    Parameters: SHARED_SHAPE.parameters,
    Conditions: SHARED_SHAPE.conditions,
    Resources: resources,
  };
  return `${JSON.stringify(toJsonValue(template), null, 2)}\n`;
}
