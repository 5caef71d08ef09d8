// A region with more instances than one DescribeInstances page (1,000) and than one GetMetricData
// call (500 queries): every instance is listed once and usage lands on the right instance.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { scanFleet } from "../../server/src/fleet/scan";
import type { FleetScanResult } from "../../server/src/shared/fleetProtocol";
import { type Moto, startMoto, useMotoEnvironment } from "./moto";
import { seedRegion } from "./seed";

const FLEET_SIZE = 1_050;

let moto: Moto;
let restoreEnv: () => void;
let ids: Map<string, string[]>;
let scan: FleetScanResult;

describe("a fleet past one page", { timeout: 240_000 }, () => {
  before(async () => {
    moto = await startMoto();
    restoreEnv = useMotoEnvironment(moto.endpoint);
    ids = await seedRegion({
      region: "us-east-1",
      instances: [
        { name: "bulk", count: FLEET_SIZE - 1, metadata: { HttpTokens: "optional" } },
        { name: "last", metadata: { HttpTokens: "optional" }, imdsV1Calls: [[2, 42]] },
      ],
    });
    scan = await scanFleet({ regions: ["us-east-1"] });
  });

  after(async () => {
    restoreEnv?.();
    await moto?.stop();
  });

  it("lists all 1,050 instances exactly once", () => {
    const region = scan.regions[0];
    assert.ok(region?.ok);
    assert.equal(region.instances.length, FLEET_SIZE);
    assert.equal(new Set(region.instances.map((i) => i.instanceId)).size, FLEET_SIZE);
  });

  it("maps MetadataNoToken from the third GetMetricData batch to its instance", () => {
    const region = scan.regions[0];
    assert.ok(region?.ok);
    const lastId = ids.get("last")?.[0];
    const last = region.instances.find((i) => i.instanceId === lastId);
    assert.equal(last?.imdsV1Calls, 42);
    const others = region.instances.filter((i) => i.instanceId !== lastId);
    assert.ok(others.every((i) => i.imdsV1Calls === 0));
  });
});
