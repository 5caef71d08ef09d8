// The engine on real `cdk synth` output: the templates in test/fixtures/cdk/cdk.out were written by
// aws-cdk-lib itself (scripts/cdk-fixtures, versions in its README), one stack per way people launch
// EC2 capacity with the CDK. Expectations come from DESIGN.md's rules, not from the engine's output.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyze } from "../../../server/src/engine/index";
import type { EngineSettings, Finding, RuleId, Severity } from "../../../server/src/engine/types";

const CDK_OUT = join(__dirname, "..", "..", "fixtures", "cdk", "cdk.out");
/** The path a person (or the CLI) would pass: a `cdk.out` folder inside the repository. */
const relative = (name: string) => `test/fixtures/cdk/cdk.out/${name}`;
const read = (name: string) => readFileSync(join(CDK_OUT, name), "utf8");

interface Expected {
  rule: RuleId;
  /** 1-based line, as the CLI and SARIF print it. */
  line: number;
  severity: Severity;
  /** Text on that line: if a regenerated fixture moved things, this fails first and says so. */
  on: string;
  /** `Metadata."aws:cdk:path"` of the resource the finding sits on: the message must name it. */
  construct: string;
  /** Constructs that launch from this resource and only inherit: listed as related, not reported again. */
  users?: string[];
  /** Other 1-based lines the finding must list as related (the `Ref` that reads a parameter default). */
  relatedAt?: number[];
  /** What the message must say (why it is a container host, which policy applied…). */
  says?: RegExp[];
}

interface Case {
  template: string;
  scenario: string;
  /** Only findings on these constructs or their children belong to this case (a template split in several cases). */
  scope?: string[];
  expected: Expected[];
  settings?: Partial<EngineSettings>;
}

const CONTAINER_POLICY = /policy imdsGuard\.containers\.podsNeedImds = true/;

const CASES: Case[] = [
  {
    template: "InstanceRequireImdsv2Stack.template.json",
    scenario:
      "ec2.Instance with requireImdsv2: the separate launch template, named by a literal LaunchTemplateName, requires tokens",
    expected: [],
  },
  {
    template: "InstanceRequireImdsv2UniqueNameStack.template.json",
    scenario: "the same with @aws-cdk/aws-ec2:uniqueImdsv2TemplateName (a hashed literal name)",
    expected: [],
  },
  {
    template: "InstanceDefaultStack.template.json",
    scenario: "ec2.Instance on Amazon Linux 2 without metadata options: IMDS002 on the instance",
    expected: [
      {
        rule: "IMDS002",
        line: 65,
        severity: "warning",
        on: '"LegacyAppA0410596": {',
        construct: "InstanceDefaultStack/LegacyApp/Resource",
      },
    ],
  },
  {
    template: "InstanceAl2023Stack.template.json",
    scenario:
      "ec2.Instance on latestAmazonLinux2023() without requireImdsv2: the AMI requires tokens, a hint",
    expected: [
      {
        rule: "IMDS002",
        line: 65,
        severity: "hint",
        on: '"Worker11F36D0F": {',
        construct: "InstanceAl2023Stack/Worker/Resource",
        says: [/ImdsSupport v2\.0/],
      },
    ],
  },
  {
    template: "InstanceMetadataOptionsStack.template.json",
    scenario:
      "ec2.Instance's own metadata options: optional tokens, endpoint disabled (nothing), hop limit 3 off a container host",
    expected: [
      {
        rule: "IMDS001",
        line: 77,
        severity: "error",
        on: '"HttpTokens": "optional"',
        construct: "InstanceMetadataOptionsStack/ReportingServer/Resource",
      },
      {
        rule: "IMDS009",
        line: 281,
        severity: "info",
        on: '"HttpPutResponseHopLimit": 3',
        construct: "InstanceMetadataOptionsStack/ProxyHost/Resource",
      },
    ],
  },
  {
    template: "DockerHostInstanceStack.template.json",
    scenario:
      "Docker host on Amazon Linux 2 with requireImdsv2: hop limit 1 on the generated template (the instance inherits)",
    scope: ["DockerHostInstanceStack/Al2DockerHost"],
    expected: [
      {
        rule: "IMDS003",
        line: 115,
        severity: "warning",
        on: '"MetadataOptions": {',
        construct: "DockerHostInstanceStack/Al2DockerHost/LaunchTemplate",
        users: ["DockerHostInstanceStack/Al2DockerHost/Resource"],
        says: [/Docker/, CONTAINER_POLICY],
      },
    ],
  },
  {
    template: "DockerHostInstanceStack.template.json",
    scenario:
      "Docker host on AL2023 with requireImdsv2: the instance's AMI (ImdsSupport v2.0) gives hop limit 2, nothing to report",
    scope: ["DockerHostInstanceStack/Al2023DockerHost"],
    expected: [],
  },
  {
    template: "DockerHostInstanceStack.template.json",
    scenario: "Docker host on AL2023 without options: the IMDS002 hint only (AMI gives required and hop 2)",
    scope: ["DockerHostInstanceStack/Al2023DockerDefaults"],
    expected: [
      {
        rule: "IMDS002",
        line: 309,
        severity: "hint",
        on: '"Al2023DockerDefaults7568F595": {',
        construct: "DockerHostInstanceStack/Al2023DockerDefaults/Resource",
      },
    ],
  },
  {
    template: "DockerHostOverrideStack.template.json",
    scenario:
      "Docker host with requireImdsv2 and an addPropertyOverride hop limit 2 on the instance: field by field it launches required + 2",
    expected: [],
  },
  {
    template: "SuppressedStack.template.json",
    scenario:
      "instances whose CDK code adds Metadata imds-guard.ignore: IMDS002 ignored on one, the wrong rule ignored on the other",
    expected: [
      {
        rule: "IMDS002",
        line: 169,
        severity: "warning",
        on: '"MislabelledBox062F564C": {',
        construct: "SuppressedStack/MislabelledBox/Resource",
      },
    ],
  },
  {
    template: "LaunchTemplateRequiredStack.template.json",
    scenario: "ec2.LaunchTemplate with requireImdsv2, and with httpTokens REQUIRED + hop limit 1",
    expected: [],
  },
  {
    template: "LaunchTemplateOptionalStack.template.json",
    scenario: "ec2.LaunchTemplate with httpTokens OPTIONAL",
    expected: [
      {
        rule: "IMDS001",
        line: 12,
        severity: "error",
        on: '"HttpTokens": "optional"',
        construct: "LaunchTemplateOptionalStack/LegacyTemplate/Resource",
      },
    ],
  },
  {
    template: "LaunchTemplateHopLimitStack.template.json",
    scenario: "ec2.LaunchTemplate with requireImdsv2 and httpPutResponseHopLimit 3",
    expected: [
      {
        rule: "IMDS009",
        line: 12,
        severity: "info",
        on: '"HttpPutResponseHopLimit": 3',
        construct: "LaunchTemplateHopLimitStack/GatewayTemplate/Resource",
      },
    ],
  },
  {
    template: "LaunchTemplateTagsOnlyStack.template.json",
    scenario: "ec2.LaunchTemplate with only instanceMetadataTags: the MetadataOptions block lacks HttpTokens",
    expected: [
      {
        rule: "IMDS002",
        line: 11,
        severity: "warning",
        on: '"MetadataOptions": {',
        construct: "LaunchTemplateTagsOnlyStack/TaggedTemplate/Resource",
      },
    ],
  },
  {
    template: "LaunchTemplateAl2023AtLaunchStack.template.json",
    scenario: "ec2.LaunchTemplate on AL2023 resolved at launch (resolve:ssm:…) without options: a hint",
    expected: [
      {
        rule: "IMDS002",
        line: 3,
        severity: "hint",
        on: '"ApiTemplate3DE40799": {',
        construct: "LaunchTemplateAl2023AtLaunchStack/ApiTemplate/Resource",
      },
    ],
  },
  {
    template: "LaunchTemplateParametersStack.template.json",
    scenario:
      "CfnLaunchTemplate tokens from a CfnParameter (default optional), a MetadataOptions block only in production, Fn::If on the value",
    expected: [
      {
        rule: "IMDS001",
        line: 5,
        severity: "error",
        on: '"Default": "optional"',
        construct: "LaunchTemplateParametersStack/ParameterTemplate",
        relatedAt: [301],
      },
      {
        rule: "IMDS002",
        line: 321,
        severity: "warning",
        on: "{",
        construct: "LaunchTemplateParametersStack/ProdOnlyTemplate",
        says: [/IsProduction is false/],
      },
      {
        rule: "IMDS001",
        line: 341,
        severity: "error",
        on: '"optional"',
        construct: "LaunchTemplateParametersStack/StageTemplate",
        says: [/IsProduction is false/],
      },
    ],
  },
  {
    template: "AutoScalingLaunchTemplateStack.template.json",
    scenario:
      "AutoScalingGroups (launch-template flag): requireImdsv2 true is clean, false leaves the generated template open, an explicit OPTIONAL template",
    expected: [
      {
        rule: "IMDS002",
        line: 237,
        severity: "warning",
        on: '"BatchFleetLaunchTemplateCA041ABC": {',
        construct: "AutoScalingLaunchTemplateStack/BatchFleet/LaunchTemplate/Resource",
        users: ["AutoScalingLaunchTemplateStack/BatchFleet/ASG"],
      },
      {
        rule: "IMDS001",
        line: 353,
        severity: "error",
        on: '"HttpTokens": "optional"',
        construct: "AutoScalingLaunchTemplateStack/LegacyTemplate/Resource",
        users: ["AutoScalingLaunchTemplateStack/LegacyFleet/ASG"],
      },
    ],
  },
  {
    template: "AutoScalingLaunchConfigurationStack.template.json",
    scenario:
      "AutoScalingGroups on legacy launch configurations: requireImdsv2 true is clean, false is IMDS002",
    expected: [
      {
        rule: "IMDS002",
        line: 188,
        severity: "warning",
        on: '"BatchFleetLaunchConfigE66A9EAB": {',
        construct: "AutoScalingLaunchConfigurationStack/BatchFleet/LaunchConfig",
        users: ["AutoScalingLaunchConfigurationStack/BatchFleet/ASG"],
      },
    ],
  },
  {
    template: "AutoScalingMixedInstancesStack.template.json",
    scenario: "a mixed instances policy whose Graviton override's template leaves tokens optional",
    expected: [
      {
        rule: "IMDS001",
        line: 58,
        severity: "error",
        on: '"HttpTokens": "optional"',
        construct: "AutoScalingMixedInstancesStack/ArmTemplate/Resource",
        users: ["AutoScalingMixedInstancesStack/SpotFleet/ASG"],
      },
    ],
  },
  {
    template: "EcsAl2Stack.template.json",
    scenario:
      "ECS on the ECS-optimized AL2 AMI: addCapacity leaves tokens and hop limit at EC2's defaults; capacity providers with and without hop limit 2",
    expected: [
      {
        rule: "IMDS002",
        line: 132,
        severity: "warning",
        on: '"ClusterDefaultCapacityLaunchTemplate34A0EF14": {',
        construct: "EcsAl2Stack/Cluster/DefaultCapacity/LaunchTemplate/Resource",
        users: ["EcsAl2Stack/Cluster/DefaultCapacity/ASG"],
      },
      {
        rule: "IMDS003",
        line: 132,
        severity: "warning",
        on: '"ClusterDefaultCapacityLaunchTemplate34A0EF14": {',
        construct: "EcsAl2Stack/Cluster/DefaultCapacity/LaunchTemplate/Resource",
        users: ["EcsAl2Stack/Cluster/DefaultCapacity/ASG"],
        says: [/ECS-optimized AMI/, /joins an ECS cluster/, CONTAINER_POLICY],
      },
      {
        rule: "IMDS003",
        line: 915,
        severity: "warning",
        on: '"MetadataOptions": {',
        construct: "EcsAl2Stack/UntunedTemplate/Resource",
        users: ["EcsAl2Stack/UntunedGroup/ASG"],
        says: [/capacity provider/, CONTAINER_POLICY],
      },
    ],
  },
  {
    template: "EcsAl2Stack.template.json",
    scenario:
      "the ECS cluster under podsNeedImds = false: that policy only judges EKS nodes, tokens still count",
    settings: { podsNeedImds: false },
    expected: [
      {
        rule: "IMDS002",
        line: 132,
        severity: "warning",
        on: '"ClusterDefaultCapacityLaunchTemplate34A0EF14": {',
        construct: "EcsAl2Stack/Cluster/DefaultCapacity/LaunchTemplate/Resource",
      },
    ],
  },
  {
    template: "EcsAl2023Stack.template.json",
    scenario:
      "ECS on the ECS-optimized AL2023 AMI (ImdsSupport v2.0: tokens required, hop limit 2): capacity with the IMDSv2 aspect is clean, capacity without options is the IMDS002 hint",
    expected: [
      {
        rule: "IMDS002",
        line: 693,
        severity: "hint",
        on: '"ClusterSpotCapacityLaunchTemplate729262E2": {',
        construct: "EcsAl2023Stack/Cluster/SpotCapacity/LaunchTemplate/Resource",
        says: [/ImdsSupport v2\.0/],
      },
    ],
  },
  {
    template: "EksNodegroupStack.template.json",
    scenario: "eks.Nodegroup launch templates with hop limit 1 (IMDS003) and 2 (clean)",
    expected: [
      {
        rule: "IMDS003",
        line: 8,
        severity: "warning",
        on: '"HttpPutResponseHopLimit": 1',
        construct: "EksNodegroupStack/SystemNodeTemplate/Resource",
        users: ["EksNodegroupStack/SystemNodes/Resource"],
        says: [/EKS node group/, CONTAINER_POLICY],
      },
    ],
  },
  {
    template: "EksNodegroupStack.template.json",
    scenario: "the node groups under podsNeedImds = false: hop limit 2 is the finding, 1 is right",
    settings: { podsNeedImds: false },
    expected: [
      {
        rule: "IMDS003",
        line: 150,
        severity: "warning",
        on: '"HttpPutResponseHopLimit": 2',
        construct: "EksNodegroupStack/AppsNodeTemplate/Resource",
        users: ["EksNodegroupStack/AppsNodes/Resource"],
        says: [/podsNeedImds = false/],
      },
    ],
  },
  {
    template: "EksSelfManagedStack.template.json",
    scenario: "self-managed EKS nodes (aws-eks-v2 addAutoScalingGroupCapacity) on the EKS-optimized AMI",
    scope: ["EksSelfManagedStack/Cluster/SelfManagedNodes"],
    expected: [
      {
        rule: "IMDS002",
        line: 653,
        severity: "warning",
        on: '"ClusterSelfManagedNodesLaunchTemplateD39D6299": {',
        construct: "EksSelfManagedStack/Cluster/SelfManagedNodes/LaunchTemplate/Resource",
        users: ["EksSelfManagedStack/Cluster/SelfManagedNodes/ASG"],
      },
      {
        rule: "IMDS003",
        line: 653,
        severity: "warning",
        on: '"ClusterSelfManagedNodesLaunchTemplateD39D6299": {',
        construct: "EksSelfManagedStack/Cluster/SelfManagedNodes/LaunchTemplate/Resource",
        users: ["EksSelfManagedStack/Cluster/SelfManagedNodes/ASG"],
        says: [/EKS-optimized AMI/, CONTAINER_POLICY],
      },
    ],
  },
  {
    template: "EksSelfManagedStack.template.json",
    scenario:
      "self-managed EKS nodes on a hardened AMI: only the kubernetes.io/cluster/<name> tag (an Fn::Join key) says Kubernetes",
    scope: ["EksSelfManagedStack/HardenedNodes"],
    expected: [
      {
        rule: "IMDS002",
        line: 1105,
        severity: "warning",
        on: '"HardenedNodesLaunchTemplateAA7FA5CE": {',
        construct: "EksSelfManagedStack/HardenedNodes/LaunchTemplate/Resource",
        users: ["EksSelfManagedStack/HardenedNodes/ASG"],
      },
      {
        rule: "IMDS003",
        line: 1105,
        severity: "warning",
        on: '"HardenedNodesLaunchTemplateAA7FA5CE": {',
        construct: "EksSelfManagedStack/HardenedNodes/LaunchTemplate/Resource",
        users: ["EksSelfManagedStack/HardenedNodes/ASG"],
        says: [/kubernetes\.io\/cluster\//, CONTAINER_POLICY],
      },
    ],
  },
  {
    template: "EksSelfManagedStack.template.json",
    scenario: "self-managed EKS nodes under podsNeedImds = false: hop limit 1 is right, tokens still count",
    scope: ["EksSelfManagedStack/Cluster/SelfManagedNodes"],
    settings: { podsNeedImds: false },
    expected: [
      {
        rule: "IMDS002",
        line: 653,
        severity: "warning",
        on: '"ClusterSelfManagedNodesLaunchTemplateD39D6299": {',
        construct: "EksSelfManagedStack/Cluster/SelfManagedNodes/LaunchTemplate/Resource",
      },
    ],
  },
  {
    template: "BatchStack.template.json",
    scenario: "Batch managed EC2 compute environments: a template without hop limit (IMDS003) and one with 2",
    expected: [
      {
        rule: "IMDS003",
        line: 7,
        severity: "warning",
        on: '"MetadataOptions": {',
        construct: "BatchStack/GenomicsTemplate/Resource",
        users: ["BatchStack/GenomicsCompute/Resource"],
        says: [/Batch compute environment/, CONTAINER_POLICY],
      },
    ],
  },
  {
    template: "ImageBuilderStack.template.json",
    scenario:
      "Image Builder: a container build infrastructure with hop limit 1, an AMI build infrastructure with optional tokens",
    expected: [
      {
        rule: "IMDS003",
        line: 54,
        severity: "warning",
        on: '"HttpPutResponseHopLimit": 1',
        construct: "ImageBuilderStack/ContainerBuildInfra",
        users: ["ImageBuilderStack/AppContainerPipeline"],
        says: [/container image/, CONTAINER_POLICY],
      },
      {
        rule: "IMDS001",
        line: 70,
        severity: "error",
        on: '"HttpTokens": "optional"',
        construct: "ImageBuilderStack/AmiBuildInfra",
      },
    ],
  },
  {
    template: "ImageBuilderStack.template.json",
    scenario: "the AMI pipeline that builds on the optional-token infrastructure is named on the finding",
    scope: ["ImageBuilderStack/AmiBuildInfra"],
    expected: [
      {
        rule: "IMDS001",
        line: 70,
        severity: "error",
        on: '"HttpTokens": "optional"',
        construct: "ImageBuilderStack/AmiBuildInfra",
        users: ["ImageBuilderStack/GoldenAmiPipeline"],
      },
    ],
  },
  {
    template: "SageMakerNotebookStack.template.json",
    scenario: "CfnNotebookInstance with minimumInstanceMetadataServiceVersion '1' (IMDS001) and '2' (clean)",
    expected: [
      {
        rule: "IMDS001",
        line: 27,
        severity: "error",
        on: '"MinimumInstanceMetadataServiceVersion": "1"',
        construct: "SageMakerNotebookStack/ResearchNotebook",
      },
    ],
  },
  {
    template: "ServiceSwitchesStack.template.json",
    scenario: "AppStream disableImdsv1: false (a JSON boolean) and Elastic Beanstalk DisableIMDSv1 'false'",
    expected: [
      {
        rule: "IMDS001",
        line: 9,
        severity: "error",
        on: '"DisableIMDSV1": false',
        construct: "ServiceSwitchesStack/KioskFleet",
      },
      {
        rule: "IMDS001",
        line: 41,
        severity: "error",
        on: '"Value": "false"',
        construct: "ServiceSwitchesStack/ApiEnvironment",
      },
    ],
  },
  {
    template: "WebAppStack.template.json",
    scenario:
      "a whole web tier (VPC, NAT, load balancer, AL2023 group with requireImdsv2): nothing to report",
    expected: [],
  },
  {
    template: "SharedTemplateStack.template.json",
    scenario: "a launch template exported for other stacks, with requireImdsv2",
    expected: [],
  },
  {
    template: "CrossStackInstanceStack.template.json",
    scenario:
      "an instance launched from another stack's template (Fn::ImportValue): unknown here, an info on the import",
    expected: [
      {
        rule: "IMDS002",
        line: 7,
        severity: "info",
        on: '"LaunchTemplateId": {',
        construct: "CrossStackInstanceStack/Worker",
        says: [/not in this template/],
      },
    ],
  },
];

/** The construct a finding sits on, from its `resource` ("LogicalId (aws:cdk:path)"). */
function constructOf(finding: Finding): string | undefined {
  return /\((.+)\)$/.exec(finding.resource ?? "")?.[1];
}

function inScope(finding: Finding, scope: string[] | undefined): boolean {
  if (!scope) return true;
  const construct = constructOf(finding) ?? "";
  return scope.some((prefix) => construct === prefix || construct.startsWith(`${prefix}/`));
}

/** 0-based line of the logical id of the resource synthesised by `construct`. */
function resourceLine(text: string, construct: string): number {
  const resources = (JSON.parse(text) as { Resources: Record<string, { Metadata?: Record<string, string> }> })
    .Resources;
  const logicalId = Object.keys(resources).find(
    (id) => resources[id].Metadata?.["aws:cdk:path"] === construct,
  );
  assert.ok(logicalId, `no resource for construct ${construct}`);
  const line = text.split("\n").findIndex((l) => l.startsWith(`  "${logicalId}": {`));
  assert.ok(line >= 0, `logical id ${logicalId} not found`);
  return line;
}

const brief = (f: { rule?: string; ruleId?: string; line: number; severity: string }) =>
  `${f.rule ?? f.ruleId}@${f.line} ${f.severity}`;

describe("the engine on real CDK output (test/fixtures/cdk/cdk.out)", () => {
  for (const testCase of CASES) {
    it(`${testCase.template}: ${testCase.scenario}`, () => {
      const text = read(testCase.template);
      const lines = text.split("\n");
      for (const e of testCase.expected)
        assert.ok(
          lines[e.line - 1]?.includes(e.on),
          `fixture line ${e.line} should hold ${e.on} (was the fixture regenerated?): ${lines[e.line - 1]}`,
        );

      const { result } = analyze(relative(testCase.template), text, { settings: testCase.settings });
      assert.deepEqual(result.problems, []);
      assert.equal(result.format, "cloudformation-json");
      const findings = result.findings.filter((f) => inScope(f, testCase.scope));
      assert.deepEqual(
        findings.map((f) => brief({ ...f, line: f.range.start.line + 1 })),
        testCase.expected.map(brief),
      );

      findings.forEach((finding, i) => {
        const expected = testCase.expected[i];
        // cdk.out is regenerated by every synth: an edit there is lost, so no quick fix is offered.
        assert.equal(finding.fixes, undefined, `${brief(expected)} offers no fix on generated output`);
        assert.equal(constructOf(finding), expected.construct);
        assert.ok(
          finding.message.includes(expected.construct),
          `${brief(expected)} names construct ${expected.construct}: ${finding.message}`,
        );
        for (const pattern of expected.says ?? [])
          assert.match(finding.message, pattern, `${brief(expected)} says ${pattern}`);
        for (const line of expected.relatedAt ?? [])
          assert.ok(
            finding.related?.some((r) => r.range.start.line === line - 1),
            `${brief(expected)} lists line ${line} as related`,
          );
        for (const user of expected.users ?? []) {
          const line = resourceLine(text, user);
          assert.ok(
            finding.related?.some((r) => r.range.start.line === line),
            `${brief(expected)} lists ${user} (line ${line + 1}) as related`,
          );
        }
      });
    });
  }

  it("every template in the fixture folder has its cases", () => {
    const templates = readdirSync(CDK_OUT).filter((name) => name.endsWith(".template.json"));
    const covered = new Set(CASES.map((c) => c.template));
    assert.deepEqual(
      templates.filter((t) => !covered.has(t)),
      [],
    );
  });

  it("templates split into cases by construct have no finding outside those cases", () => {
    const defaultPolicy = CASES.filter((c) => !c.settings);
    const split = new Set(defaultPolicy.filter((c) => c.scope).map((c) => c.template));
    for (const template of split) {
      const cases = defaultPolicy.filter((c) => c.template === template);
      if (cases.some((c) => !c.scope)) continue;
      const scope = cases.flatMap((c) => c.scope ?? []);
      const { result } = analyze(relative(template), read(template));
      const outside = result.findings.filter((f) => !inScope(f, scope));
      assert.deepEqual(
        outside.map((f) => `${f.ruleId}@${f.range.start.line + 1} ${constructOf(f)}`),
        [],
        template,
      );
    }
  });

  it("manifest.json mentions AWS:: but is not a template: no findings, no problems", () => {
    const { result } = analyze(relative("manifest.json"), read("manifest.json"));
    assert.equal(result.format, undefined);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.problems, []);
  });

  it("a CDK template copied out of cdk.out is still known as generated by its aws:cdk:path metadata", () => {
    const { result } = analyze("deploy/LegacyStack.json", read("LaunchTemplateOptionalStack.template.json"));
    assert.deepEqual(
      result.findings.map((f) => brief({ ...f, line: f.range.start.line + 1 })),
      ["IMDS001@12 error"],
    );
    assert.equal(result.findings[0].fixes, undefined);
    assert.match(result.findings[0].message, /LaunchTemplateOptionalStack\/LegacyTemplate\/Resource/);
  });

  // `requireImdsv2` is the CDK prop for tokens on instances, launch templates and Auto Scaling groups;
  // it cannot fix a hop limit (the CDK even refuses it beside httpPutResponseHopLimit on an instance)
  // and does not exist on SageMaker, AppStream or Elastic Beanstalk constructs.
  it("the CDK advice fits the finding: hop-limit and service-switch findings do not suggest requireImdsv2", {}, () => {
    const offTopic: string[] = [];
    for (const template of new Set(CASES.map((c) => c.template))) {
      const { result } = analyze(relative(template), read(template));
      for (const f of result.findings) {
        const hopLimit = f.ruleId === "IMDS003" || f.ruleId === "IMDS009";
        const serviceSwitch = /^AWS::(SageMaker|AppStream|ElasticBeanstalk)::/.test(f.message);
        if ((hopLimit || serviceSwitch) && f.message.includes("requireImdsv2"))
          offTopic.push(`${template} ${f.ruleId}@${f.range.start.line + 1}`);
      }
    }
    assert.deepEqual(offTopic, []);
  });
});
