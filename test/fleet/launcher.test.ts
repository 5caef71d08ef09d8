// scripts/moto/launcher.py fills moto 5.2.5's EC2 gaps with AWS's semantics; these tests hold it
// to that, through the SDK, so a moto upgrade that changes behaviour shows up here first.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DescribeInstancesCommand,
  EC2Client,
  GetInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataOptionsCommand,
} from "@aws-sdk/client-ec2";
import { type Moto, startMoto, useMotoEnvironment } from "./moto";
import { describeInstance, seedRegion } from "./seed";

let moto: Moto;
let restoreEnv: () => void;
let ec2: EC2Client;
let ids: Map<string, string[]>;

function idOf(name: string): string {
  const id = ids.get(name)?.[0];
  assert.ok(id, name);
  return id;
}

describe("moto launcher patches", { timeout: 240_000 }, () => {
  before(async () => {
    moto = await startMoto();
    restoreEnv = useMotoEnvironment(moto.endpoint);
    ec2 = new EC2Client({ region: "eu-central-1" });
    ids = await seedRegion({
      region: "eu-central-1",
      templates: [{ name: "tmpl", metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 3 } }],
      instances: [
        { name: "opt", metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 2 } },
        { name: "many", count: 7 },
      ],
    });
  });

  after(async () => {
    ec2?.destroy();
    restoreEnv?.();
    await moto?.stop();
  });

  it("answers GetInstanceMetadataDefaults and ModifyInstanceMetadataDefaults, no-preference clears", async () => {
    assert.deepEqual((await ec2.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel ?? {}, {});
    await ec2.send(
      new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: "required", HttpPutResponseHopLimit: 2 }),
    );
    const set = (await ec2.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel;
    assert.deepEqual([set?.HttpTokens, set?.HttpPutResponseHopLimit], ["required", 2]);
    await ec2.send(
      new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: "no-preference", HttpPutResponseHopLimit: -1 }),
    );
    const cleared = (await ec2.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel;
    assert.deepEqual([cleared?.HttpTokens, cleared?.HttpPutResponseHopLimit], [undefined, undefined]);
  });

  it("answers DryRun on ModifyInstanceMetadataOptions with DryRunOperation and changes nothing", async () => {
    await assert.rejects(
      ec2.send(
        new ModifyInstanceMetadataOptionsCommand({
          InstanceId: idOf("opt"),
          HttpTokens: "required",
          DryRun: true,
        }),
      ),
      { name: "DryRunOperation" },
    );
    assert.equal(
      (await describeInstance("eu-central-1", idOf("opt"))).MetadataOptions?.HttpTokens,
      "optional",
    );
  });

  it("keeps the hop limit when only HttpTokens changes", async () => {
    await ec2.send(
      new ModifyInstanceMetadataOptionsCommand({ InstanceId: idOf("opt"), HttpTokens: "required" }),
    );
    const options = (await describeInstance("eu-central-1", idOf("opt"))).MetadataOptions;
    assert.deepEqual([options?.HttpTokens, options?.HttpPutResponseHopLimit], ["required", 2]);
  });

  it("filters on metadata-options.*", async () => {
    const answer = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: "metadata-options.http-put-response-hop-limit", Values: ["2"] }],
      }),
    );
    const found = (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    assert.deepEqual(found, [idOf("opt")]);
  });

  it("launches with the launch template's options under the instance's own, field by field", async () => {
    const { RunInstancesCommand } = await import("@aws-sdk/client-ec2");
    const launched = await ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        LaunchTemplate: { LaunchTemplateName: "tmpl" },
        MetadataOptions: { HttpPutResponseHopLimit: 1 },
      }),
    );
    const options = launched.Instances?.[0]?.MetadataOptions;
    assert.deepEqual([options?.HttpTokens, options?.HttpPutResponseHopLimit], ["required", 1]);
  });

  it("counts MaxResults in instances, as EC2 does", async () => {
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    const firstPage = (first.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    assert.equal(firstPage.length, 5);
    assert.ok(first.NextToken);
    const second = await ec2.send(
      new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    const secondPage = (second.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    assert.equal(firstPage.length + secondPage.length, 9);
    assert.equal(second.NextToken, undefined);
  });
});
