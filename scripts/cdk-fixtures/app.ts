// A CDK app whose synthesised templates are the engine's `cdk.out` fixtures (test/fixtures/cdk/cdk.out).
// Each stack is one realistic way people launch EC2 capacity with the CDK; the comment on each says what
// DESIGN.md's rules should report on its template. Environment-agnostic and lookup-free, so
// `app.synth()` needs no AWS access. Regenerate with scripts/cdk-fixtures/regenerate.sh.
import {
  App,
  Aspects,
  Aws,
  CfnCondition,
  CfnParameter,
  Fn,
  Stack,
  type StackProps,
  Token,
} from "aws-cdk-lib";
import * as appstream from "aws-cdk-lib/aws-appstream";
import * as autoscaling from "aws-cdk-lib/aws-autoscaling";
import * as batch from "aws-cdk-lib/aws-batch";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as eks from "aws-cdk-lib/aws-eks";
import * as eksv2 from "aws-cdk-lib/aws-eks-v2";
import * as elasticbeanstalk from "aws-cdk-lib/aws-elasticbeanstalk";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as imagebuilder from "aws-cdk-lib/aws-imagebuilder";
import * as sagemaker from "aws-cdk-lib/aws-sagemaker";
import type { Construct } from "constructs";

// Feature flags that change what the CDK synthesises for these constructs (both default to false
// when an app has no cdk.json, and `cdk init` turns both on).
const UNIQUE_IMDSV2_TEMPLATE_NAME = "@aws-cdk/aws-ec2:uniqueImdsv2TemplateName";
const ASG_LAUNCH_TEMPLATE = "@aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig";

interface FixtureProps extends StackProps {
  /** Feature flags for this stack only (set before any construct is added). */
  flags?: Record<string, boolean>;
}

class FixtureStack extends Stack {
  constructor(scope: Construct, id: string, props: FixtureProps = {}) {
    super(scope, id, props);
    for (const [flag, value] of Object.entries(props.flags ?? {})) this.node.setContext(flag, value);
  }

  /** An existing VPC, imported without a lookup so the template stays small and needs no AWS call. */
  protected importedVpc(): ec2.IVpc {
    return ec2.Vpc.fromVpcAttributes(this, "Vpc", {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      availabilityZones: ["us-east-1a", "us-east-1b"],
      privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
      publicSubnetIds: ["subnet-0ccccccccccccccc3", "subnet-0ddddddddddddddd4"],
    });
  }
}

const SMALL = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO);
const AL2 = () => ec2.MachineImage.latestAmazonLinux2();

/** Clean: `requireImdsv2` makes the CDK add a launch template that the instance names by a literal name. */
class InstanceRequireImdsv2Stack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.Instance(this, "Bastion", {
      vpc: this.importedVpc(),
      instanceType: SMALL,
      machineImage: AL2(),
      requireImdsv2: true,
    });
  }
}

/** IMDS002 (warning) on the instance: nothing sets HttpTokens and the Amazon Linux 2 AMI is not v2.0. */
class InstanceDefaultStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.Instance(this, "LegacyApp", {
      vpc: this.importedVpc(),
      instanceType: SMALL,
      machineImage: AL2(),
    });
  }
}

/** IMDS002 as a hint: the AL2023 AMI (ImdsSupport v2.0) makes tokens required, not the template. */
class InstanceAl2023Stack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.Instance(this, "Worker", {
      vpc: this.importedVpc(),
      instanceType: SMALL,
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
  }
}

/**
 * The instance's own MetadataOptions (CloudFormation's 2025 schema, CDK's `httpTokens` & co.):
 * IMDS001 on `optional`; nothing for an instance whose endpoint is off; IMDS009 on hop limit 3.
 */
class InstanceMetadataOptionsStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const vpc = this.importedVpc();
    new ec2.Instance(this, "ReportingServer", {
      vpc,
      instanceType: SMALL,
      machineImage: AL2(),
      httpTokens: ec2.HttpTokens.OPTIONAL,
    });
    new ec2.Instance(this, "IsolatedBox", {
      vpc,
      instanceType: SMALL,
      machineImage: AL2(),
      httpEndpoint: false,
    });
    new ec2.Instance(this, "ProxyHost", {
      vpc,
      instanceType: SMALL,
      machineImage: AL2(),
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpPutResponseHopLimit: 3,
    });
  }
}

/**
 * Instances that run Docker (their user data installs it), with `requireImdsv2: true`: the CDK's
 * separate launch template sets only HttpTokens, so the hop limit comes from the AMI. On Amazon
 * Linux 2 it is 1: IMDS003 on that launch template's MetadataOptions (the instance only inherits).
 * On AL2023 (ImdsSupport v2.0) it is 2: clean. An AL2023 Docker host with no options at all is the
 * IMDS002 hint only (the AMI gives tokens required and hop limit 2).
 */
class DockerHostInstanceStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const vpc = this.importedVpc();
    const docker = () => {
      const userData = ec2.UserData.forLinux();
      userData.addCommands("yum install -y docker", "systemctl enable --now docker");
      return userData;
    };
    new ec2.Instance(this, "Al2DockerHost", {
      vpc,
      instanceType: SMALL,
      machineImage: AL2(),
      userData: docker(),
      requireImdsv2: true,
    });
    new ec2.Instance(this, "Al2023DockerHost", {
      vpc,
      instanceType: SMALL,
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      userData: docker(),
      requireImdsv2: true,
    });
    new ec2.Instance(this, "Al2023DockerDefaults", {
      vpc,
      instanceType: SMALL,
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      userData: docker(),
    });
  }
}

/**
 * The escape hatch people reach for because the CDK refuses `requireImdsv2` together with
 * `httpPutResponseHopLimit` on an instance: requireImdsv2 plus a property override of the hop limit.
 * The instance's own value overrides the template's field by field (DESIGN.md): tokens required
 * (from the template), hop limit 2 (on the instance) on a Docker host. Nothing to report.
 */
class DockerHostOverrideStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const userData = ec2.UserData.forLinux();
    userData.addCommands("yum install -y docker", "systemctl enable --now docker");
    const host = new ec2.Instance(this, "BuildAgent", {
      vpc: this.importedVpc(),
      instanceType: SMALL,
      machineImage: AL2(),
      userData,
      requireImdsv2: true,
    });
    host.instance.addPropertyOverride("MetadataOptions.HttpPutResponseHopLimit", 2);
  }
}

/**
 * Findings suppressed from the CDK source with resource metadata (DESIGN.md: `Metadata:
 * {"imds-guard": {"ignore": [...]}}`), which the CDK writes beside `aws:cdk:path`: a legacy box
 * that ignores IMDS002 on purpose (nothing reported), and one that ignores the wrong rule (IMDS002
 * still reported).
 */
class SuppressedStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const vpc = this.importedVpc();
    for (const [name, ignore] of [
      ["VendorAppliance", "IMDS002"],
      ["MislabelledBox", "IMDS003"],
    ] as const) {
      const box = new ec2.Instance(this, name, { vpc, instanceType: SMALL, machineImage: AL2() });
      box.instance.addMetadata("imds-guard", { ignore: [ignore] });
    }
  }
}

/** Clean: both launch templates require tokens (the aspect of `requireImdsv2`, and `httpTokens`). */
class LaunchTemplateRequiredStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.LaunchTemplate(this, "AppTemplate", {
      instanceType: SMALL,
      machineImage: AL2(),
      requireImdsv2: true,
    });
    new ec2.LaunchTemplate(this, "JobsTemplate", {
      instanceType: SMALL,
      machineImage: AL2(),
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
    });
  }
}

/** IMDS001 on the `optional` value. */
class LaunchTemplateOptionalStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.LaunchTemplate(this, "LegacyTemplate", {
      instanceType: SMALL,
      machineImage: AL2(),
      httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL,
    });
  }
}

/** IMDS009 on hop limit 3 (no container signal, tokens required). */
class LaunchTemplateHopLimitStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.LaunchTemplate(this, "GatewayTemplate", {
      instanceType: SMALL,
      machineImage: AL2(),
      requireImdsv2: true,
      httpPutResponseHopLimit: 3,
    });
  }
}

/**
 * A launch template whose AMI EC2 resolves at launch from AL2023's public parameter
 * (`resolve:ssm:…`): tokens are required by the AMI (ImdsSupport v2.0), so IMDS002 is a hint.
 */
class LaunchTemplateAl2023AtLaunchStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.LaunchTemplate(this, "ApiTemplate", {
      instanceType: SMALL,
      machineImage: ec2.MachineImage.resolveSsmParameterAtLaunch(
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      ),
    });
  }
}

/** A MetadataOptions block that only turns on instance tags: IMDS002 on the block's key. */
class LaunchTemplateTagsOnlyStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    new ec2.LaunchTemplate(this, "TaggedTemplate", {
      instanceType: SMALL,
      machineImage: AL2(),
      instanceMetadataTags: true,
    });
  }
}

/**
 * L1 launch templates whose HttpTokens comes from a CfnParameter (default `optional`: IMDS001 on the
 * parameter's default) and from `Fn::If` on a CfnCondition (IMDS001 on the `optional` branch only),
 * and one whose whole MetadataOptions block is conditional.
 */
class LaunchTemplateParametersStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const tokens = new CfnParameter(this, "HttpTokensMode", {
      type: "String",
      default: "optional",
      allowedValues: ["optional", "required"],
    });
    const stage = new CfnParameter(this, "Stage", { type: "String", default: "dev" });
    const isProduction = new CfnCondition(this, "IsProduction", {
      expression: Fn.conditionEquals(stage.valueAsString, "prod"),
    });
    new ec2.CfnLaunchTemplate(this, "ParameterTemplate", {
      launchTemplateData: { metadataOptions: { httpTokens: tokens.valueAsString } },
    });
    // The whole options block exists only in production: elsewhere HttpTokens is unset (IMDS002 on
    // the AWS::NoValue branch). Keys inside a token are written as CloudFormation spells them.
    new ec2.CfnLaunchTemplate(this, "ProdOnlyTemplate", {
      launchTemplateData: {
        metadataOptions: Fn.conditionIf(isProduction.logicalId, { HttpTokens: "required" }, Aws.NO_VALUE),
      },
    });
    new ec2.CfnLaunchTemplate(this, "StageTemplate", {
      launchTemplateData: {
        metadataOptions: {
          httpTokens: Token.asString(Fn.conditionIf(isProduction.logicalId, "required", "optional")),
        },
      },
    });
  }
}

/**
 * A Spot-heavy group with a mixed instances policy: its main template requires tokens, the Graviton
 * override's template leaves them optional (IMDS001 on that template, not on the group).
 */
class AutoScalingMixedInstancesStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const main = new ec2.LaunchTemplate(this, "X86Template", {
      machineImage: AL2(),
      requireImdsv2: true,
    });
    const arm = new ec2.LaunchTemplate(this, "ArmTemplate", {
      machineImage: ec2.MachineImage.latestAmazonLinux2({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL,
    });
    new autoscaling.AutoScalingGroup(this, "SpotFleet", {
      vpc: this.importedVpc(),
      mixedInstancesPolicy: {
        launchTemplate: main,
        instancesDistribution: { onDemandPercentageAboveBaseCapacity: 0 },
        launchTemplateOverrides: [
          { instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE) },
          {
            instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
            launchTemplate: arm,
          },
        ],
      },
    });
  }
}

/**
 * Auto Scaling groups; with the launch-template flag the CDK writes a launch template per group,
 * without it a launch configuration. `requireImdsv2: true` is clean; without it IMDS002 sits on the
 * generated template / configuration (not on the group, which only inherits). A group given an
 * explicit template with `httpTokens: OPTIONAL` gets IMDS001 on that template's value.
 */
class AutoScalingStack extends FixtureStack {
  constructor(scope: Construct, id: string, props: FixtureProps & { explicitTemplate: boolean }) {
    super(scope, id, props);
    const vpc = this.importedVpc();
    new autoscaling.AutoScalingGroup(this, "WebFleet", {
      vpc,
      instanceType: SMALL,
      machineImage: AL2(),
      requireImdsv2: true,
    });
    new autoscaling.AutoScalingGroup(this, "BatchFleet", {
      vpc,
      instanceType: SMALL,
      machineImage: AL2(),
      requireImdsv2: false,
    });
    if (!props.explicitTemplate) return;
    const legacy = new ec2.LaunchTemplate(this, "LegacyTemplate", {
      instanceType: SMALL,
      machineImage: AL2(),
      httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL,
    });
    new autoscaling.AutoScalingGroup(this, "LegacyFleet", { vpc, launchTemplate: legacy });
  }
}

/**
 * An ECS cluster on the ECS-optimized Amazon Linux 2 AMI. `addCapacity` without requireImdsv2:
 * IMDS002 and IMDS003 (hop limit 1 on a container host) on the generated launch template. A
 * capacity provider whose template requires tokens and sets hop 2 is clean; one whose template
 * requires tokens but leaves the hop limit gets IMDS003 on its MetadataOptions.
 */
class EcsAl2Stack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const vpc = this.importedVpc();
    const cluster = new ecs.Cluster(this, "Cluster", { vpc });
    cluster.addCapacity("DefaultCapacity", {
      instanceType: SMALL,
      machineImage: ecs.EcsOptimizedImage.amazonLinux2(),
      minCapacity: 1,
    });
    for (const [name, hopLimit] of [
      ["Tuned", 2],
      ["Untuned", undefined],
    ] as const) {
      const template = new ec2.LaunchTemplate(this, `${name}Template`, {
        instanceType: SMALL,
        machineImage: ecs.EcsOptimizedImage.amazonLinux2(),
        userData: ec2.UserData.forLinux(),
        role: new iam.Role(this, `${name}Role`, { assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com") }),
        requireImdsv2: true,
        httpPutResponseHopLimit: hopLimit,
      });
      const group = new autoscaling.AutoScalingGroup(this, `${name}Group`, {
        vpc,
        launchTemplate: template,
        minCapacity: 1,
      });
      cluster.addAsgCapacityProvider(
        new ecs.AsgCapacityProvider(this, `${name}CapacityProvider`, { autoScalingGroup: group }),
      );
    }
  }
}

/**
 * The same cluster on the ECS-optimized Amazon Linux 2023 AMI, which is registered with ImdsSupport
 * v2.0: an ECS maintainer says so (aws/amazon-ecs-ami#248, "AL2023 ECS Optimized AMIs have IMDSv2
 * enabled by default"), and although its Packer template sets no `imds_support`, the attribute
 * survives CreateImage from the AL2023 base (EC2: the only way to reset it is a new AMI from the
 * snapshot). So tokens are required and the hop limit is 2 unless the launch says otherwise:
 * capacity with IMDSv2 required the documented way (`AutoScalingGroupRequireImdsv2Aspect`) and no
 * hop limit is clean; capacity without options is the IMDS002 hint only.
 */
class EcsAl2023Stack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const cluster = new ecs.Cluster(this, "Cluster", { vpc: this.importedVpc() });
    const required = cluster.addCapacity("DefaultCapacity", {
      instanceType: SMALL,
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    });
    Aspects.of(required).add(new autoscaling.AutoScalingGroupRequireImdsv2Aspect());
    cluster.addCapacity("SpotCapacity", {
      instanceType: SMALL,
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
      spotPrice: "0.01",
    });
  }
}

/**
 * EKS managed node groups with custom launch templates on an existing cluster: hop limit 1 is
 * IMDS003 under the default policy (podsNeedImds = true), 2 is clean; the other policy flips both.
 */
class EksNodegroupStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const vpc = this.importedVpc();
    const cluster = eks.Cluster.fromClusterAttributes(this, "Cluster", { clusterName: "platform", vpc });
    for (const [name, hopLimit] of [
      ["System", 1],
      ["Apps", 2],
    ] as const) {
      const template = new ec2.LaunchTemplate(this, `${name}NodeTemplate`, {
        requireImdsv2: true,
        httpPutResponseHopLimit: hopLimit,
      });
      new eks.Nodegroup(this, `${name}Nodes`, {
        cluster,
        subnets: { subnets: vpc.privateSubnets },
        instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE)],
        launchTemplateSpec: { id: template.launchTemplateId ?? "", version: template.latestVersionNumber },
      });
    }
  }
}

/**
 * Self-managed EKS nodes (aws-eks-v2, which synthesises without the kubectl handler): an Auto Scaling
 * group on the EKS-optimized AMI whose user data runs bootstrap.sh. Nothing sets metadata options, so
 * the generated launch template gets IMDS002 and, under the default policy, IMDS003 (hop limit 1).
 */
class EksSelfManagedStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const cluster = new eksv2.Cluster(this, "Cluster", {
      version: eksv2.KubernetesVersion.V1_33,
      vpc: this.importedVpc(),
      defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
    });
    cluster.addAutoScalingGroupCapacity("SelfManagedNodes", {
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE),
      minCapacity: 2,
    });
    // A team's own hardened node AMI (an id, no EKS name in it) that bootstraps itself: the only
    // container signal left in the template is the `kubernetes.io/cluster/<name>` tag the CDK adds,
    // whose key is an Fn::Join. Still a Kubernetes node (DESIGN.md): IMDS002 and IMDS003.
    const hardened = new autoscaling.AutoScalingGroup(this, "HardenedNodes", {
      vpc: cluster.vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE),
      machineImage: ec2.MachineImage.genericLinux({ "us-east-1": "ami-0f00dbeefcafe0001" }),
      minCapacity: 2,
    });
    cluster.connectAutoScalingGroupCapacity(hardened, { bootstrapEnabled: false });
  }
}

/**
 * AWS Batch managed EC2 compute environments with launch templates: Batch runs container jobs, so
 * a template without a hop limit is IMDS003 (on its MetadataOptions); hop 2 is clean.
 */
class BatchStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const vpc = this.importedVpc();
    for (const [name, hopLimit] of [
      ["Genomics", undefined],
      ["Render", 2],
    ] as const) {
      const launchTemplate = new ec2.LaunchTemplate(this, `${name}Template`, {
        requireImdsv2: true,
        httpPutResponseHopLimit: hopLimit,
      });
      new batch.ManagedEc2EcsComputeEnvironment(this, `${name}Compute`, {
        vpc,
        launchTemplate,
        instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.C6I, ec2.InstanceSize.XLARGE)],
        useOptimalInstanceClasses: false,
      });
    }
  }
}

/**
 * EC2 Image Builder: the infrastructure that builds a container image with hop limit 1 is IMDS003
 * (on the value); the AMI build infrastructure with `HttpTokens: optional` is IMDS001.
 */
class ImageBuilderStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const role = new iam.Role(this, "BuildRole", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("EC2InstanceProfileForImageBuilder")],
    });
    const profile = new iam.CfnInstanceProfile(this, "BuildProfile", { roles: [role.roleName] });
    const containerInfra = new imagebuilder.CfnInfrastructureConfiguration(this, "ContainerBuildInfra", {
      name: "container-build",
      instanceProfileName: profile.ref,
      instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
    });
    const amiInfra = new imagebuilder.CfnInfrastructureConfiguration(this, "AmiBuildInfra", {
      name: "ami-build",
      instanceProfileName: profile.ref,
      instanceMetadataOptions: { httpTokens: "optional" },
    });
    const containerRecipe = new imagebuilder.CfnContainerRecipe(this, "AppContainerRecipe", {
      name: "app",
      version: "1.0.0",
      containerType: "DOCKER",
      parentImage: "amazonlinux:2023",
      components: [
        {
          componentArn: "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/x.x.x",
        },
      ],
      dockerfileTemplateData:
        "FROM {{{ imagebuilder:parentImage }}}\n{{{ imagebuilder:environments }}}\n{{{ imagebuilder:components }}}\n",
      targetRepository: { service: "ECR", repositoryName: "app" },
    });
    new imagebuilder.CfnImagePipeline(this, "AppContainerPipeline", {
      name: "app-container",
      containerRecipeArn: containerRecipe.attrArn,
      infrastructureConfigurationArn: containerInfra.attrArn,
    });
    const imageRecipe = new imagebuilder.CfnImageRecipe(this, "GoldenAmiRecipe", {
      name: "golden-ami",
      version: "1.0.0",
      parentImage: "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2-x86/x.x.x",
      components: [
        {
          componentArn: "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/x.x.x",
        },
      ],
    });
    new imagebuilder.CfnImagePipeline(this, "GoldenAmiPipeline", {
      name: "golden-ami",
      imageRecipeArn: imageRecipe.attrArn,
      infrastructureConfigurationArn: amiInfra.attrArn,
    });
  }
}

/**
 * A typical web tier in a VPC of its own (subnets, NAT gateway, load balancer, listener, scaling
 * group with requireImdsv2): many resources, none of which is an IMDS problem. Nothing to report.
 */
class WebAppStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, "Network", { maxAzs: 2, natGateways: 1 });
    const web = new autoscaling.AutoScalingGroup(this, "Web", {
      vpc,
      instanceType: SMALL,
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      requireImdsv2: true,
      minCapacity: 2,
    });
    const balancer = new elbv2.ApplicationLoadBalancer(this, "Balancer", { vpc, internetFacing: true });
    balancer.addListener("Http", { port: 80 }).addTargets("Web", { port: 80, targets: [web] });
  }
}

/**
 * A launch template shared across stacks (`SharedTemplateStack` exports it, this stack imports it):
 * the L1 instance here cannot know what the template sets, so IMDS002 is an info on the import.
 */
class SharedTemplateStack extends FixtureStack {
  readonly template: ec2.LaunchTemplate;
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    this.template = new ec2.LaunchTemplate(this, "BaseTemplate", { requireImdsv2: true });
  }
}

class CrossStackInstanceStack extends FixtureStack {
  constructor(scope: Construct, id: string, props: FixtureProps & { template: ec2.LaunchTemplate }) {
    super(scope, id, props);
    new ec2.CfnInstance(this, "Worker", {
      launchTemplate: {
        launchTemplateId: props.template.launchTemplateId,
        version: props.template.latestVersionNumber,
      },
    });
  }
}

/**
 * Services with their own IMDSv1 switch besides SageMaker: an AppStream fleet with
 * `disableImdsv1: false` (a JSON boolean) and an Elastic Beanstalk environment with the
 * `DisableIMDSv1` option "false": IMDS001 on each value; the fleet with `true` is clean.
 */
class ServiceSwitchesStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    for (const [name, disableImdsv1] of [
      ["KioskFleet", false],
      ["AnalystFleet", true],
    ] as const) {
      new appstream.CfnFleet(this, name, {
        name: name.toLowerCase(),
        instanceType: "stream.standard.medium",
        computeCapacity: { desiredInstances: 1 },
        imageName: "AppStream-WinServer2022-01-01-2026",
        disableImdsv1,
      });
    }
    new elasticbeanstalk.CfnEnvironment(this, "ApiEnvironment", {
      applicationName: "api",
      solutionStackName: "64bit Amazon Linux 2023 v6.6.0 running Node.js 22",
      optionSettings: [
        { namespace: "aws:autoscaling:launchconfiguration", optionName: "DisableIMDSv1", value: "false" },
        { namespace: "aws:autoscaling:launchconfiguration", optionName: "InstanceType", value: "t3.small" },
      ],
    });
  }
}

/** SageMaker notebooks: MinimumInstanceMetadataServiceVersion "1" re-enables IMDSv1 (IMDS001); "2" is clean. */
class SageMakerNotebookStack extends FixtureStack {
  constructor(scope: Construct, id: string, props?: FixtureProps) {
    super(scope, id, props);
    const role = new iam.Role(this, "NotebookRole", {
      assumedBy: new iam.ServicePrincipal("sagemaker.amazonaws.com"),
    });
    for (const [name, version] of [
      ["ResearchNotebook", "1"],
      ["TeamNotebook", "2"],
    ] as const) {
      new sagemaker.CfnNotebookInstance(this, name, {
        instanceType: "ml.t3.medium",
        roleArn: role.roleArn,
        instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: version },
      });
    }
  }
}

// What `cdk synth` passes to an app by default (path metadata, version reporting), so the templates
// look like the CLI's: every resource carries `Metadata."aws:cdk:path"` and the stack a CDKMetadata
// resource. Stack traces and the tree are left out: they only feed the files that are not kept.
const app = new App({
  outdir: "cdk.out",
  analyticsReporting: true,
  stackTraces: false,
  treeMetadata: false,
  context: { "aws:cdk:enable-path-metadata": true },
});
new InstanceRequireImdsv2Stack(app, "InstanceRequireImdsv2Stack");
new InstanceRequireImdsv2Stack(app, "InstanceRequireImdsv2UniqueNameStack", {
  flags: { [UNIQUE_IMDSV2_TEMPLATE_NAME]: true },
});
new InstanceDefaultStack(app, "InstanceDefaultStack");
new InstanceAl2023Stack(app, "InstanceAl2023Stack");
new InstanceMetadataOptionsStack(app, "InstanceMetadataOptionsStack");
new DockerHostInstanceStack(app, "DockerHostInstanceStack");
new DockerHostOverrideStack(app, "DockerHostOverrideStack");
new SuppressedStack(app, "SuppressedStack");
new LaunchTemplateRequiredStack(app, "LaunchTemplateRequiredStack");
new LaunchTemplateOptionalStack(app, "LaunchTemplateOptionalStack");
new LaunchTemplateHopLimitStack(app, "LaunchTemplateHopLimitStack");
new LaunchTemplateTagsOnlyStack(app, "LaunchTemplateTagsOnlyStack");
new LaunchTemplateAl2023AtLaunchStack(app, "LaunchTemplateAl2023AtLaunchStack");
new LaunchTemplateParametersStack(app, "LaunchTemplateParametersStack");
new AutoScalingStack(app, "AutoScalingLaunchTemplateStack", {
  flags: { [ASG_LAUNCH_TEMPLATE]: true },
  explicitTemplate: true,
});
new AutoScalingStack(app, "AutoScalingLaunchConfigurationStack", {
  flags: { [ASG_LAUNCH_TEMPLATE]: false },
  explicitTemplate: false,
});
new AutoScalingMixedInstancesStack(app, "AutoScalingMixedInstancesStack");
new EcsAl2Stack(app, "EcsAl2Stack", { flags: { [ASG_LAUNCH_TEMPLATE]: true } });
new EcsAl2023Stack(app, "EcsAl2023Stack", { flags: { [ASG_LAUNCH_TEMPLATE]: true } });
new EksNodegroupStack(app, "EksNodegroupStack");
new EksSelfManagedStack(app, "EksSelfManagedStack", { flags: { [ASG_LAUNCH_TEMPLATE]: true } });
new BatchStack(app, "BatchStack");
new ImageBuilderStack(app, "ImageBuilderStack");
new SageMakerNotebookStack(app, "SageMakerNotebookStack");
new ServiceSwitchesStack(app, "ServiceSwitchesStack");
new WebAppStack(app, "WebAppStack", { flags: { [ASG_LAUNCH_TEMPLATE]: true } });
const shared = new SharedTemplateStack(app, "SharedTemplateStack");
new CrossStackInstanceStack(app, "CrossStackInstanceStack", { template: shared.template });
app.synth();
