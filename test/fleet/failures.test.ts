// What a real account does to a scan, one region at a time: denied by policy, throttled past the
// adaptive retries, no answer at all, CloudWatch denied while EC2 works; plus no credentials and a
// broken profile. Each failure stays in its region, the other regions are reported in full, and
// no credential ever appears in what the scan returns.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { forgetCredentials } from "../../server/src/fleet/aws";
import { scanFleet } from "../../server/src/fleet/scan";
import type { FleetScanResult, RegionScan } from "../../server/src/shared/fleetProtocol";
import { type Moto, startMoto, useMotoEnvironment } from "./moto";
import { seedRegion } from "./seed";

let moto: Moto;
let restoreEnv: () => void;
let scan: FleetScanResult;
let elapsedMs: number;

function regionScan(name: string): RegionScan {
  const found = scan.regions.find((r) => r.region === name);
  assert.ok(found, name);
  return found;
}

describe("per-region failures against moto", { timeout: 240_000 }, () => {
  before(async () => {
    moto = await startMoto({
      faults: [
        "eu-south-1:ec2:denied",
        "ap-southeast-2:ec2:throttled",
        "ca-central-1:ec2:slow",
        "eu-west-1:monitoring:denied",
      ],
    });
    restoreEnv = useMotoEnvironment(moto.endpoint);
    await seedRegion({
      region: "us-east-1",
      instances: [{ name: "healthy", metadata: { HttpTokens: "optional" } }],
    });
    await seedRegion({
      region: "eu-west-1",
      instances: [{ name: "no-metrics", metadata: { HttpTokens: "optional" } }],
    });
    const started = Date.now();
    scan = await scanFleet({
      // ap-east-1 is an opt-in region that moto, like a fresh account, reports as not opted in.
      regions: ["us-east-1", "eu-south-1", "ap-southeast-2", "ca-central-1", "eu-west-1", "ap-east-1"],
      requestTimeoutMs: 1500,
      maxAttempts: 2,
    });
    elapsedMs = Date.now() - started;
  });

  after(async () => {
    restoreEnv?.();
    await moto?.stop();
  });

  it("keeps the healthy region intact beside the failing ones", () => {
    const healthy = regionScan("us-east-1");
    assert.ok(healthy.ok);
    assert.deepEqual(
      healthy.instances.map((i) => [i.name, i.findings.map((f) => f.ruleId)]),
      [["healthy", ["IMDS001"]]],
    );
    assert.equal(scan.regions.length, 6);
  });

  it("shows access denied in place, with the policy that fixes it", () => {
    const denied = regionScan("eu-south-1");
    assert.ok(!denied.ok);
    assert.equal(denied.error.code, "access-denied");
    assert.match(denied.error.message, /Access denied in eu-south-1/);
    assert.match(denied.error.remedy ?? "", /iam-read-only\.json/);
  });

  it("reports an opt-in region that is not enabled, with the command that enables it", () => {
    const optIn = regionScan("ap-east-1");
    assert.ok(!optIn.ok);
    assert.equal(optIn.error.code, "opt-in-required");
    assert.equal(optIn.error.remedy, "aws account enable-region --region-name ap-east-1");
  });

  it("gives up on a region that stays throttled after adaptive retries", () => {
    const throttled = regionScan("ap-southeast-2");
    assert.ok(!throttled.ok);
    assert.equal(throttled.error.code, "throttled");
  });

  it("times out a region that does not answer without holding up the scan", () => {
    const slow = regionScan("ca-central-1");
    assert.ok(!slow.ok);
    assert.equal(slow.error.code, "timeout");
    assert.ok(elapsedMs < 20_000, `scan took ${elapsedMs} ms`);
  });

  it("reports a region whose CloudWatch is denied with unknown usage and a warning", () => {
    const noMetrics = regionScan("eu-west-1");
    assert.ok(noMetrics.ok);
    assert.equal(noMetrics.instances[0]?.imdsV1Calls, null);
    assert.match(noMetrics.instances[0]?.findings[0]?.message ?? "", /usage over the last 14 d is unknown/);
    assert.match(noMetrics.warnings[0]?.message ?? "", /IMDSv1 usage \(CloudWatch\): Access denied/);
  });

  it("never returns the credentials it used", () => {
    const text = JSON.stringify(scan);
    assert.ok(!text.includes(process.env.AWS_ACCESS_KEY_ID as string));
    assert.ok(!text.includes(process.env.AWS_SECRET_ACCESS_KEY as string));
  });

  it("says clearly when there are no credentials at all", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    forgetCredentials();
    try {
      const none = await scanFleet({ regions: ["us-east-1"] });
      assert.equal(none.error?.code, "no-credentials");
      assert.match(none.error?.message ?? "", /No AWS credentials found/);
      assert.match(none.error?.remedy ?? "", /aws configure/);
      assert.deepEqual(none.regions, []);
    } finally {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: saved.id, AWS_SECRET_ACCESS_KEY: saved.secret });
      forgetCredentials();
    }
  });

  it("names a profile that does not exist, and an SSO profile whose session is gone", async () => {
    const missing = await scanFleet({ profile: "does-not-exist", regions: ["us-east-1"] });
    assert.equal(missing.error?.code, "profile-invalid");
    assert.match(missing.error?.message ?? "", /does-not-exist/);

    const dir = mkdtempSync(join(tmpdir(), "imds-guard-sso-"));
    writeFileSync(
      join(dir, "config"),
      [
        "[profile dev]",
        "sso_session = corp",
        "sso_account_id = 123456789012",
        "sso_role_name = ReadOnly",
        "region = us-east-1",
        "[sso-session corp]",
        "sso_start_url = https://corp.awsapps.com/start",
        "sso_region = us-east-1",
      ].join("\n"),
    );
    const savedConfig = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = join(dir, "config");
    // No cached SSO token under this HOME: the SDK cannot refresh the session.
    const savedHome = process.env.HOME;
    process.env.HOME = dir;
    try {
      const expired = await scanFleet({ profile: "dev", regions: ["us-east-1"] });
      assert.equal(expired.error?.code, "sso-expired");
      assert.equal(expired.error?.remedy, "aws sso login --profile dev");
    } finally {
      process.env.AWS_CONFIG_FILE = savedConfig;
      process.env.HOME = savedHome;
    }
  });
});
