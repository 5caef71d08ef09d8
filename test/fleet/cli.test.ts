// `imds-guard fleet` against moto: the same inventory in each format, exit codes, and --fix that
// changes nothing without --yes and, with it, only what seed 000 calls safe.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runFleetCommand } from "../../server/src/fleet/cli";
import type { FleetScanResult } from "../../server/src/shared/fleetProtocol";
import { type Moto, startMoto, useMotoEnvironment } from "./moto";
import { describeInstance, seedRegion } from "./seed";

let moto: Moto;
let restoreEnv: () => void;
let ids: Map<string, string[]>;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runFleetCommand(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

function idOf(name: string): string {
  const id = ids.get(name)?.[0];
  assert.ok(id, name);
  return id;
}

describe("imds-guard fleet", { timeout: 240_000 }, () => {
  before(async () => {
    moto = await startMoto({ faults: ["eu-south-1:ec2:denied"] });
    restoreEnv = useMotoEnvironment(moto.endpoint);
    ids = await seedRegion({
      region: "us-east-1",
      accountDefault: { HttpTokens: "required" },
      instances: [
        { name: "quiet", metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 } },
        { name: '=HYPERLINK("x")', metadata: { HttpTokens: "optional" }, imdsV1Calls: [[1, 3]] },
        {
          name: "eks",
          metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 1 },
          tags: { "eks:cluster-name": "c" },
        },
        { name: "fine", metadata: { HttpTokens: "required" } },
      ],
    });
  });

  after(async () => {
    restoreEnv?.();
    await moto?.stop();
  });

  it("prints the non-compliant resources as text and exits 1", async () => {
    const { code, stdout } = await run("--region", "us-east-1");
    assert.equal(code, 1);
    assert.match(stdout, /account 123456789012/);
    assert.match(stdout, /quiet \(i-[0-9a-f]+\) {2}tokens optional · hop 1 · IMDSv1 calls: 0 in 14 d/);
    assert.match(stdout, /IMDS003 warning: Hop limit 1 on a container host/);
    assert.doesNotMatch(stdout, /fine \(/);
  });

  it("writes the full inventory as JSON and SARIF, and escapes CSV cells", async () => {
    const json = JSON.parse(
      (await run("--region", "us-east-1", "--format", "json", "--days", "7")).stdout,
    ) as FleetScanResult;
    assert.equal(json.days, 7);
    const region = json.regions[0];
    assert.ok(region?.ok);
    assert.equal(region.instances.length, 4);
    const sarif = JSON.parse((await run("--region", "us-east-1", "--format", "sarif")).stdout);
    assert.equal(sarif.version, "2.1.0");
    assert.deepEqual(
      sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id),
      ["IMDS001", "IMDS003"],
    );
    assert.match(
      sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
      /^arn:aws:ec2:us-east-1:123456789012:instance\/i-/,
    );
    const csv = (await run("--region", "us-east-1", "--format", "csv")).stdout;
    assert.match(csv.split("\r\n")[0] ?? "", /^account,region,kind,id,name/);
    assert.match(csv, /"'=HYPERLINK\(""x""\)"/, "a formula-like Name tag is neutralised");
  });

  it("writes the report to --output and keeps stdout for nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "imds-guard-fleet-out-"));
    const file = join(dir, "fleet.json");
    const { code, stdout } = await run("--region", "us-east-1", "--format", "json", "--output", file);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal((JSON.parse(readFileSync(file, "utf8")) as FleetScanResult).accountId, "123456789012");
    const unwritable = await run("--region", "us-east-1", "--output", join(dir, "missing-dir", "x.txt"));
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /cannot write/);
  });

  it("exits 2 with the region's error when a region fails, and still reports the others", async () => {
    const { code, stdout, stderr } = await run("--region", "us-east-1,eu-south-1");
    assert.equal(code, 2);
    assert.match(stderr, /eu-south-1: Access denied in eu-south-1/);
    assert.match(stdout, /quiet/);
  });

  it("rejects bad arguments with a clear message", async () => {
    for (const argv of [
      ["--format", "xml"],
      ["--region", "not a region"],
      ["--days", "zero"],
      ["--yes"],
      ["--bogus"],
    ]) {
      const { code, stderr } = await run(...argv);
      assert.equal(code, 2, argv.join(" "));
      assert.match(stderr, /^imds-guard fleet: /);
    }
  });

  it("changes nothing on --fix without --yes", async () => {
    const { code, stderr } = await run("--region", "us-east-1", "--fix");
    assert.equal(code, 2);
    assert.match(stderr, /add --yes/);
    assert.equal(
      (await describeInstance("us-east-1", idOf("quiet"))).MetadataOptions?.HttpTokens,
      "optional",
    );
  });

  it("--fix --yes requires IMDSv2 where no IMDSv1 calls were seen, fixes the hop limit, skips the rest", async () => {
    const { stderr } = await run("--region", "us-east-1", "--fix", "--yes");
    assert.match(
      stderr,
      new RegExp(
        `changed us-east-1 ${idOf("quiet")}: aws ec2 modify-instance-metadata-options .*--http-tokens required`,
      ),
    );
    assert.match(
      stderr,
      new RegExp(`skipped us-east-1 ${idOf('=HYPERLINK("x")').replace(/[()]/g, "\\$&")}: 3 IMDSv1 calls`),
    );
    assert.equal(
      (await describeInstance("us-east-1", idOf("quiet"))).MetadataOptions?.HttpTokens,
      "required",
    );
    assert.equal(
      (await describeInstance("us-east-1", idOf('=HYPERLINK("x")'))).MetadataOptions?.HttpTokens,
      "optional",
    );
    assert.equal(
      (await describeInstance("us-east-1", idOf("eks"))).MetadataOptions?.HttpPutResponseHopLimit,
      2,
    );
  });
});
