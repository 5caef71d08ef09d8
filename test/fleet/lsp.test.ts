// The Fleet Explorer's custom LSP requests over a real JSON-RPC connection (the same
// vscode-languageserver connection the server uses, the client side speaking vscode-jsonrpc), with
// moto behind: the request types in server/src/shared/fleetProtocol.ts carry a scan, its progress
// notifications and a change end to end, and malformed params never change anything.

import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-jsonrpc/node";
import { createConnection } from "vscode-languageserver/node";
import { registerFleetHandlers } from "../../server/src/fleet/lsp";
import {
  FleetModifyInstancesRequest,
  FleetProfilesRequest,
  type FleetProfilesResult,
  type FleetProgress,
  FleetProgressNotification,
  FleetScanRequest,
  type FleetScanResult,
  type ModifyInstancesResult,
} from "../../server/src/shared/fleetProtocol";
import { type Moto, startMoto, useMotoEnvironment } from "./moto";
import { describeInstance, seedRegion } from "./seed";

let moto: Moto;
let restoreEnv: () => void;
let rpc: MessageConnection;
let ids: Map<string, string[]>;
const toServer = new PassThrough();
const toClient = new PassThrough();

describe("fleet LSP requests", { timeout: 240_000 }, () => {
  before(async () => {
    moto = await startMoto();
    restoreEnv = useMotoEnvironment(moto.endpoint);
    ids = await seedRegion({
      region: "us-east-1",
      instances: [{ name: "web", metadata: { HttpTokens: "optional" } }],
    });
    await seedRegion({
      region: "eu-west-1",
      instances: [{ name: "eu", metadata: { HttpTokens: "required" } }],
    });
    const server = createConnection(toServer, toClient);
    registerFleetHandlers(server);
    server.listen();
    rpc = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    rpc.listen();
  });

  after(async () => {
    // Not ending the server's input: vscode-languageserver exits the process when its input closes.
    rpc?.dispose();
    restoreEnv?.();
    await moto?.stop();
  });

  it("lists profiles without reading secrets", async () => {
    const answer = await rpc.sendRequest<FleetProfilesResult>(FleetProfilesRequest.method);
    assert.deepEqual(answer.profiles, []);
    assert.equal(answer.environmentCredentials, true);
  });

  it("scans with progress per region", async () => {
    const progress: FleetProgress[] = [];
    const subscription = rpc.onNotification(FleetProgressNotification.method, (p: FleetProgress) => {
      progress.push(p);
    });
    const answer = await rpc.sendRequest<FleetScanResult>(FleetScanRequest.method, {
      regions: ["us-east-1", "eu-west-1"],
      days: 3,
      scanId: "s1",
    });
    subscription.dispose();
    assert.equal(answer.days, 3);
    assert.deepEqual(
      answer.regions.map((r) => [r.region, r.ok && r.instances.map((i) => i.name)]),
      [
        ["us-east-1", ["web"]],
        ["eu-west-1", ["eu"]],
      ],
    );
    assert.deepEqual(progress.map((p) => [p.scanId, p.completed, p.total]).sort(), [
      ["s1", 1, 2],
      ["s1", 2, 2],
    ]);
  });

  it("treats a change request without dryRun as a dry run", async () => {
    const web = ids.get("web")?.[0] as string;
    const answer = await rpc.sendRequest<ModifyInstancesResult>(FleetModifyInstancesRequest.method, {
      region: "us-east-1",
      instanceIds: [web],
      change: { httpTokens: "required" },
    });
    assert.equal(answer.results[0]?.ok, true);
    assert.equal((await describeInstance("us-east-1", web)).MetadataOptions?.HttpTokens, "optional");
    const applied = await rpc.sendRequest<ModifyInstancesResult>(FleetModifyInstancesRequest.method, {
      region: "us-east-1",
      instanceIds: [web],
      change: { httpTokens: "required" },
      dryRun: false,
    });
    assert.equal(applied.results[0]?.after?.httpTokens, "required");
  });

  it("answers malformed params with an empty result instead of failing", async () => {
    const answer = await rpc.sendRequest<ModifyInstancesResult>(FleetModifyInstancesRequest.method, {
      region: 42,
    });
    assert.deepEqual(answer, { results: [] });
    const scan = await rpc.sendRequest<FleetScanResult>(FleetScanRequest.method, {
      regions: ["us-east-1"],
      days: "many",
    });
    assert.equal(scan.days, 14);
  });
});
