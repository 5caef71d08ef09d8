// The actions really change the emulator's state, a dry run changes nothing, options left out keep
// their value, and a denied region refuses the dry run before anything is attempted.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EC2Client, GetInstanceMetadataDefaultsCommand } from "@aws-sdk/client-ec2";
import { modifyAccountDefault, modifyInstances } from "../../server/src/fleet/actions";
import { type Moto, startMoto, useMotoEnvironment } from "./moto";
import { describeInstance, seedRegion } from "./seed";

let moto: Moto;
let restoreEnv: () => void;
let ids: Map<string, string[]>;

function idOf(name: string): string {
  const id = ids.get(name)?.[0];
  assert.ok(id, name);
  return id;
}

describe("fleet actions against moto", { timeout: 240_000 }, () => {
  before(async () => {
    moto = await startMoto({ faults: ["eu-south-1:ec2:denied"] });
    restoreEnv = useMotoEnvironment(moto.endpoint);
    ids = await seedRegion({
      region: "us-east-1",
      instances: [
        { name: "dry", metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 } },
        { name: "a", metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 2 } },
        { name: "b", metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 3 } },
        { name: "hop", metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 } },
      ],
    });
  });

  after(async () => {
    restoreEnv?.();
    await moto?.stop();
  });

  it("checks permission with DryRun and changes nothing", async () => {
    const result = await modifyInstances({
      region: "us-east-1",
      instanceIds: [idOf("dry")],
      change: { httpTokens: "required" },
      dryRun: true,
    });
    assert.deepEqual(
      result.results.map((r) => [r.ok, r.error]),
      [[true, undefined]],
    );
    assert.equal((await describeInstance("us-east-1", idOf("dry"))).MetadataOptions?.HttpTokens, "optional");
  });

  it("requires IMDSv2 on several instances, keeps their hop limits and reads the result back", async () => {
    const result = await modifyInstances({
      region: "us-east-1",
      instanceIds: [idOf("a"), idOf("b")],
      change: { httpTokens: "required" },
      dryRun: false,
    });
    assert.ok(result.results.every((r) => r.ok));
    assert.deepEqual(
      result.results.map((r) => [r.after?.httpTokens, r.after?.hopLimit]),
      [
        ["required", 2],
        ["required", 3],
      ],
    );
    const a = await describeInstance("us-east-1", idOf("a"));
    assert.deepEqual(
      [a.MetadataOptions?.HttpTokens, a.MetadataOptions?.HttpPutResponseHopLimit],
      ["required", 2],
    );
  });

  it("sets the hop limit without touching HttpTokens", async () => {
    const result = await modifyInstances({
      region: "us-east-1",
      instanceIds: [idOf("hop")],
      change: { hopLimit: 2 },
      dryRun: false,
    });
    assert.equal(result.results[0]?.ok, true);
    const hop = await describeInstance("us-east-1", idOf("hop"));
    assert.deepEqual(
      [hop.MetadataOptions?.HttpTokens, hop.MetadataOptions?.HttpPutResponseHopLimit],
      ["optional", 2],
    );
  });

  it("reports an unknown instance on its own line and still changes the others", async () => {
    const result = await modifyInstances({
      region: "us-east-1",
      instanceIds: ["i-0123456789abcdef0", idOf("dry")],
      change: { httpTokens: "required" },
      dryRun: false,
    });
    assert.equal(result.results[0]?.ok, false);
    assert.equal(result.results[0]?.error?.code, "not-found");
    assert.equal(result.results[1]?.ok, true);
  });

  it("refuses bad input before calling AWS", async () => {
    const result = await modifyInstances({
      region: "us-east-1",
      instanceIds: [idOf("hop")],
      change: { hopLimit: 65 },
      dryRun: false,
    });
    assert.match(result.results[0]?.error?.message ?? "", /outside 1\.\.64/);
    const notAnId = await modifyInstances({
      region: "us-east-1",
      instanceIds: ["'; rm -rf /"],
      change: { httpTokens: "required" },
      dryRun: true,
    });
    assert.match(notAnId.results[0]?.error?.message ?? "", /is not an instance id/);
  });

  it("stops at the dry run where permission is denied", async () => {
    const result = await modifyInstances({
      region: "eu-south-1",
      instanceIds: ["i-0123456789abcdef0"],
      change: { httpTokens: "required" },
      dryRun: true,
    });
    assert.equal(result.results[0]?.ok, false);
    assert.equal(result.results[0]?.error?.code, "access-denied");
  });

  it("requires IMDSv2 by default for a region (account default), dry run first", async () => {
    const dry = await modifyAccountDefault({
      region: "us-east-1",
      change: { httpTokens: "required" },
      dryRun: true,
    });
    assert.deepEqual([dry.ok, dry.error], [true, undefined]);
    const ec2 = new EC2Client({ region: "us-east-1" });
    try {
      const before = await ec2.send(new GetInstanceMetadataDefaultsCommand({}));
      assert.equal(before.AccountLevel?.HttpTokens, undefined);
      const done = await modifyAccountDefault({
        region: "us-east-1",
        change: { httpTokens: "required" },
        dryRun: false,
      });
      assert.equal(done.ok, true);
      assert.equal(done.after?.httpTokens, "required");
      assert.deepEqual(done.after?.findings, []);
      const afterChange = await ec2.send(new GetInstanceMetadataDefaultsCommand({}));
      assert.equal(afterChange.AccountLevel?.HttpTokens, "required");
    } finally {
      ec2.destroy();
    }
  });
});
