// The scan against moto: inventory, classification with the engine's rule ids, IMDSv1 usage from
// CloudWatch, the account default, launch templates, and two regions at once.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { scanFleet } from "../../server/src/fleet/scan";
import type { FleetScanResult, InstanceRecord, RegionScanOk } from "../../server/src/shared/fleetProtocol";
import { type Moto, startMoto, useMotoEnvironment } from "./moto";
import { seedRegion } from "./seed";

let moto: Moto;
let restoreEnv: () => void;
let scan: FleetScanResult;

function region(name: string): RegionScanOk {
  const found = scan.regions.find((r) => r.region === name);
  assert.ok(found?.ok, `region ${name} scanned: ${JSON.stringify(found)}`);
  return found;
}

function instance(regionName: string, name: string): InstanceRecord {
  const found = region(regionName).instances.find((i) => i.name === name);
  assert.ok(found, `instance ${name} in ${regionName}`);
  return found;
}

function ruleIds(record: { findings: { ruleId: string }[] }): string[] {
  return record.findings.map((f) => f.ruleId).sort();
}

describe("fleet scan against moto", { timeout: 240_000 }, () => {
  before(async () => {
    moto = await startMoto();
    restoreEnv = useMotoEnvironment(moto.endpoint);
    await seedRegion({
      region: "us-east-1",
      accountDefault: { HttpTokens: "optional" },
      templates: [
        { name: "lt-optional", metadata: { HttpTokens: "optional" } },
        { name: "lt-unset" },
        { name: "lt-required", metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 2 } },
        {
          name: "lt-eks-hop1",
          metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 1 },
          instanceTags: { "eks:cluster-name": "prod" },
        },
        {
          name: "lt-ecs-userdata",
          metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 1 },
          userData: "#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n",
        },
      ],
      instances: [
        {
          name: "web-optional",
          metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 },
          imdsV1Calls: [
            [1, 7],
            [3, 5],
            [20, 1000],
          ],
        },
        { name: "web-required", metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 1 } },
        {
          name: "eks-node-hop1",
          metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 1 },
          tags: { "eks:cluster-name": "prod", "aws:autoscaling:groupName": "eks-prod-ng" },
        },
        {
          name: "eks-node-hop2",
          metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 2 },
          tags: { "eks:cluster-name": "prod" },
        },
        {
          name: "ecs-optional-hop2",
          metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 2 },
          tags: { AmazonECSManaged: "" },
        },
        { name: "far-hop", metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 5 } },
        { name: "stopped-optional", metadata: { HttpTokens: "optional" }, stop: true },
        { name: "imds-off", metadata: { HttpTokens: "optional", HttpEndpoint: "disabled" } },
      ],
    });
    await seedRegion({
      region: "eu-west-1",
      accountDefault: { HttpTokens: "required" },
      templates: [{ name: "lt-unset-eu" }],
      instances: [{ name: "eu-optional", metadata: { HttpTokens: "optional" } }, { name: "eu-from-default" }],
    });
    scan = await scanFleet({ regions: ["us-east-1", "eu-west-1"], days: 14 });
  });

  after(async () => {
    restoreEnv?.();
    await moto?.stop();
  });

  it("identifies the account through STS and scans both regions", () => {
    assert.equal(scan.error, undefined);
    assert.equal(scan.accountId, "123456789012");
    assert.deepEqual(
      scan.regions.map((r) => [r.region, r.ok]),
      [
        ["us-east-1", true],
        ["eu-west-1", true],
      ],
    );
  });

  it("inventories every instance with its metadata options, state and tags", () => {
    assert.equal(region("us-east-1").instances.length, 8);
    const web = instance("us-east-1", "web-optional");
    assert.match(web.instanceId, /^i-/);
    assert.equal(web.instanceType, "t3.micro");
    assert.equal(web.state, "running");
    assert.deepEqual(
      [web.metadata.httpTokens, web.metadata.hopLimit, web.metadata.endpoint],
      ["optional", 1, "enabled"],
    );
    assert.equal(instance("us-east-1", "stopped-optional").state, "stopped");
    assert.equal(instance("us-east-1", "eks-node-hop1").autoScalingGroup, "eks-prod-ng");
  });

  it("flags tokens optional as IMDS001 and states the IMDSv1 calls inside the window only", () => {
    const web = instance("us-east-1", "web-optional");
    assert.equal(web.imdsV1Calls, 12, "the 1,000 calls 20 days ago are outside the 14-day window");
    assert.deepEqual(ruleIds(web), ["IMDS001"]);
    assert.match(web.findings[0]?.message ?? "", /12 IMDSv1 calls in the last 14 d/);
    const eu = instance("eu-west-1", "eu-optional");
    assert.equal(eu.imdsV1Calls, 0);
    assert.match(eu.findings[0]?.message ?? "", /No IMDSv1 calls in the last 14 d/);
    assert.deepEqual(ruleIds(instance("us-east-1", "stopped-optional")), ["IMDS001"]);
  });

  it("applies the hop-limit policy on container hosts (IMDS003) and flags hop limits above 2 (IMDS009)", () => {
    const eks = instance("us-east-1", "eks-node-hop1");
    assert.match(eks.containerHost ?? "", /EKS tag eks:cluster-name/);
    assert.deepEqual(ruleIds(eks), ["IMDS003"]);
    assert.match(eks.findings[0]?.message ?? "", /podsNeedImds=true/);
    assert.deepEqual(ruleIds(instance("us-east-1", "eks-node-hop2")), []);
    assert.deepEqual(ruleIds(instance("us-east-1", "ecs-optional-hop2")), ["IMDS001"]);
    assert.deepEqual(ruleIds(instance("us-east-1", "far-hop")), ["IMDS009"]);
    assert.deepEqual(ruleIds(instance("us-east-1", "web-required")), []);
  });

  it("reports nothing for an instance whose metadata endpoint is disabled", () => {
    assert.deepEqual(ruleIds(instance("us-east-1", "imds-off")), []);
  });

  it("reads the account default per region (IMDS007 when it allows IMDSv1)", () => {
    const us = region("us-east-1").accountDefault;
    assert.ok(!("error" in us));
    assert.equal(us.httpTokens, "optional");
    assert.deepEqual(ruleIds(us), ["IMDS007"]);
    const eu = region("eu-west-1").accountDefault;
    assert.ok(!("error" in eu));
    assert.equal(eu.httpTokens, "required");
    assert.deepEqual(ruleIds(eu), []);
    // The account default applies to launches that do not set HttpTokens (seed 001).
    assert.equal(instance("eu-west-1", "eu-from-default").metadata.httpTokens, "required");
  });

  it("resolves launch templates' default versions through the account default (seed 001)", () => {
    const byName = new Map(region("us-east-1").launchTemplates.map((t) => [t.name, t]));
    assert.deepEqual(ruleIds(byName.get("lt-optional") ?? { findings: [] }), ["IMDS001"]);
    const unset = byName.get("lt-unset");
    assert.deepEqual(unset?.httpTokens, { value: "optional", source: "account-default" });
    assert.deepEqual(ruleIds(unset ?? { findings: [] }), ["IMDS002"]);
    assert.deepEqual(ruleIds(byName.get("lt-required") ?? { findings: [] }), []);
    assert.deepEqual(ruleIds(byName.get("lt-eks-hop1") ?? { findings: [] }), ["IMDS003"]);
    const ecs = byName.get("lt-ecs-userdata");
    assert.equal(ecs?.containerHost, "its user data joins an ECS cluster");
    assert.deepEqual(ruleIds(ecs ?? { findings: [] }), ["IMDS003"]);
    const eu = region("eu-west-1").launchTemplates[0];
    assert.deepEqual(eu?.httpTokens, { value: "required", source: "account-default" });
    assert.deepEqual(ruleIds(eu ?? { findings: [] }), []);
  });

  it("follows the other policy when pods must not reach IMDS (podsNeedImds=false)", async () => {
    const strict = await scanFleet({ regions: ["us-east-1"], podsNeedImds: false });
    const found = strict.regions[0];
    assert.ok(found?.ok);
    const byName = new Map(found.instances.map((i) => [i.name, i]));
    assert.deepEqual(ruleIds(byName.get("eks-node-hop1") ?? { findings: [] }), []);
    assert.deepEqual(ruleIds(byName.get("eks-node-hop2") ?? { findings: [] }), ["IMDS003"]);
    assert.match(byName.get("eks-node-hop2")?.findings[0]?.message ?? "", /Set it to 1.*podsNeedImds=false/);
  });
});
