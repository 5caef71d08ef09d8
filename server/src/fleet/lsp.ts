// The Fleet Explorer's custom requests on the language server (types in
// server/src/shared/fleetProtocol.ts). The server owns credentials and the AWS SDK; the extension
// only renders. Handlers never throw: a failure comes back as a FleetError in the result, and
// nothing about credentials is logged.

import type { Connection } from "vscode-languageserver";
import {
  FleetModifyAccountDefaultRequest,
  FleetModifyInstancesRequest,
  FleetProfilesRequest,
  FleetProgressNotification,
  type FleetScanParams,
  FleetScanRequest,
  type FleetScanResult,
  type ModifyAccountDefaultParams,
  type ModifyAccountDefaultResult,
  type ModifyInstancesParams,
  type ModifyInstancesResult,
} from "../shared/fleetProtocol";
import { modifyAccountDefault, modifyInstances } from "./actions";
import { forgetCredentials } from "./aws";
import { toFleetError } from "./errors";
import { listProfiles } from "./profiles";
import { clampDays, scanFleet } from "./scan";

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

export async function handleScan(
  connection: Pick<Connection, "sendNotification">,
  params: FleetScanParams | undefined,
): Promise<FleetScanResult> {
  const p = params ?? {};
  // A refresh must pick up a new `aws sso login` or edited profile, so cached sessions go.
  forgetCredentials(typeof p.profile === "string" && p.profile ? p.profile : undefined);
  try {
    return await scanFleet({
      ...(typeof p.profile === "string" && p.profile ? { profile: p.profile } : {}),
      ...(isStringArray(p.regions) ? { regions: p.regions } : {}),
      days: clampDays(typeof p.days === "number" ? p.days : undefined),
      podsNeedImds: p.podsNeedImds !== false,
      onRegionDone: (scan, completed, total) => {
        void connection.sendNotification(FleetProgressNotification.method, {
          ...(p.scanId ? { scanId: p.scanId } : {}),
          region: scan.region,
          completed,
          total,
        });
      },
    });
  } catch (error) {
    return {
      ...(p.profile ? { profile: p.profile } : {}),
      days: clampDays(p.days),
      podsNeedImds: p.podsNeedImds !== false,
      scannedAt: new Date().toISOString(),
      error: toFleetError(error, p.profile ? { profile: p.profile } : {}),
      regions: [],
    };
  }
}

async function handleModifyInstances(params: ModifyInstancesParams): Promise<ModifyInstancesResult> {
  if (
    !params ||
    typeof params.region !== "string" ||
    !isStringArray(params.instanceIds) ||
    typeof params.change !== "object"
  )
    return { results: [] };
  try {
    return await modifyInstances({ ...params, dryRun: params.dryRun !== false });
  } catch (error) {
    const failure = toFleetError(error, { region: params.region });
    return { results: params.instanceIds.map((instanceId) => ({ instanceId, ok: false, error: failure })) };
  }
}

async function handleModifyAccountDefault(
  params: ModifyAccountDefaultParams,
): Promise<ModifyAccountDefaultResult> {
  if (!params || typeof params.region !== "string" || typeof params.change !== "object")
    return {
      ok: false,
      error: { code: "unknown", message: "modifyAccountDefault needs a region and a change." },
    };
  try {
    return await modifyAccountDefault({ ...params, dryRun: params.dryRun !== false });
  } catch (error) {
    return { ok: false, error: toFleetError(error, { region: params.region }) };
  }
}

/** Wires the fleet requests; server/src/server.ts calls this once after creating the connection. */
export function registerFleetHandlers(connection: Connection): void {
  connection.onRequest(FleetProfilesRequest.method, () => listProfiles());
  connection.onRequest(FleetScanRequest.method, (params: FleetScanParams | undefined) =>
    handleScan(connection, params),
  );
  // A missing `dryRun` means a dry run: a change only happens when the client says so explicitly.
  connection.onRequest(FleetModifyInstancesRequest.method, (params: ModifyInstancesParams) =>
    handleModifyInstances(params),
  );
  connection.onRequest(FleetModifyAccountDefaultRequest.method, (params: ModifyAccountDefaultParams) =>
    handleModifyAccountDefault(params),
  );
}
