// The only code that changes an AWS account. Each function is called twice by its callers (the
// extension's confirmation helper, `imds-guard fleet --fix --yes`): first with `dryRun: true`,
// where EC2 answers `DryRunOperation` when the caller has permission and changes nothing, then for
// real after the person confirmed. After a real change the instances are read back, so what is
// shown is EC2's state, not what we asked for. Options the change leaves out are not sent, so
// EC2 keeps them (ModifyInstanceMetadataOptions semantics).

import { MAX_HOP_LIMIT, MIN_HOP_LIMIT } from "../engine/domain/precedence";
import type {
  FleetError,
  InstanceChangeResult,
  InstanceMetadataState,
  MetadataChange,
  ModifyAccountDefaultParams,
  ModifyAccountDefaultResult,
  ModifyInstancesParams,
  ModifyInstancesResult,
} from "../shared/fleetProtocol";
import type { ConnectionOptions } from "./aws";
import { ec2Client, loadEc2 } from "./aws";
import { toFleetError } from "./errors";
import { accountDefaultRecord, mapWithConcurrency, metadataStateOf } from "./scan";

const CHANGE_CONCURRENCY = 4;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** A problem with the request itself, before anything is sent to AWS. */
export function validateChange(change: MetadataChange): FleetError | undefined {
  if (change.httpTokens === undefined && change.hopLimit === undefined)
    return { code: "unknown", message: "Nothing to change: give HttpTokens or a hop limit." };
  if (change.httpTokens !== undefined && change.httpTokens !== "required")
    return {
      code: "unknown",
      message: `HttpTokens can only be changed to "required" here, not "${change.httpTokens}".`,
    };
  if (
    change.hopLimit !== undefined &&
    (!Number.isInteger(change.hopLimit) || change.hopLimit < MIN_HOP_LIMIT || change.hopLimit > MAX_HOP_LIMIT)
  )
    return {
      code: "unknown",
      message: `Hop limit ${change.hopLimit} is outside ${MIN_HOP_LIMIT}..${MAX_HOP_LIMIT}.`,
    };
  return undefined;
}

function isDryRunSuccess(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === "DryRunOperation";
}

export async function modifyInstances(
  params: ModifyInstancesParams,
  connection: ConnectionOptions = {},
): Promise<ModifyInstancesResult> {
  const invalid = validateChange(params.change);
  if (invalid)
    return { results: params.instanceIds.map((instanceId) => ({ instanceId, ok: false, error: invalid })) };
  const { ModifyInstanceMetadataOptionsCommand } = await loadEc2();
  const context = { region: params.region, ...(params.profile ? { profile: params.profile } : {}) };
  const ec2 = await ec2Client(params.region, {
    ...connection,
    ...(params.profile ? { profile: params.profile } : {}),
  });
  try {
    const results = await mapWithConcurrency(
      params.instanceIds,
      CHANGE_CONCURRENCY,
      async (instanceId): Promise<InstanceChangeResult> => {
        if (!INSTANCE_ID.test(instanceId))
          return {
            instanceId,
            ok: false,
            error: { code: "not-found", message: `"${instanceId}" is not an instance id.` },
          };
        try {
          await ec2.send(
            new ModifyInstanceMetadataOptionsCommand({
              InstanceId: instanceId,
              ...changedOptions(params.change),
              DryRun: params.dryRun,
            }),
          );
          // A dry run that does not throw means the endpoint ignored DryRun: treat it as unknown, not as permission.
          if (params.dryRun)
            return {
              instanceId,
              ok: false,
              error: { code: "unknown", message: "EC2 did not answer the dry run with DryRunOperation." },
            };
          return { instanceId, ok: true };
        } catch (error) {
          if (params.dryRun && isDryRunSuccess(error)) return { instanceId, ok: true };
          return { instanceId, ok: false, error: toFleetError(error, context) };
        }
      },
    );
    if (params.dryRun) return { results };
    const changed = results.filter((r) => r.ok).map((r) => r.instanceId);
    const after = await readBackMetadata(params.region, changed, connection, params.profile);
    return {
      results: results.map((r) => (after.has(r.instanceId) ? { ...r, after: after.get(r.instanceId) } : r)),
    };
  } finally {
    ec2.destroy();
  }
}

async function readBackMetadata(
  region: string,
  instanceIds: string[],
  connection: ConnectionOptions,
  profile: string | undefined,
) {
  const { DescribeInstancesCommand } = await loadEc2();
  const ec2 = await ec2Client(region, { ...connection, ...(profile ? { profile } : {}) });
  const states = new Map<string, InstanceMetadataState>();
  try {
    for (let i = 0; i < instanceIds.length; i += 200) {
      const answer = await ec2.send(
        new DescribeInstancesCommand({ InstanceIds: instanceIds.slice(i, i + 200) }),
      );
      for (const reservation of answer.Reservations ?? [])
        for (const instance of reservation.Instances ?? [])
          if (instance.InstanceId) states.set(instance.InstanceId, metadataStateOf(instance));
    }
  } catch {
    // The change succeeded; failing to read it back only leaves `after` empty (the next refresh shows it).
  } finally {
    ec2.destroy();
  }
  return states;
}

export async function modifyAccountDefault(
  params: ModifyAccountDefaultParams,
  connection: ConnectionOptions = {},
): Promise<ModifyAccountDefaultResult> {
  const invalid = validateChange(params.change);
  if (invalid) return { ok: false, error: invalid };
  const { ModifyInstanceMetadataDefaultsCommand, GetInstanceMetadataDefaultsCommand } = await loadEc2();
  const context = { region: params.region, ...(params.profile ? { profile: params.profile } : {}) };
  const ec2 = await ec2Client(params.region, {
    ...connection,
    ...(params.profile ? { profile: params.profile } : {}),
  });
  try {
    try {
      await ec2.send(
        new ModifyInstanceMetadataDefaultsCommand({
          ...changedOptions(params.change),
          DryRun: params.dryRun,
        }),
      );
      if (params.dryRun)
        return {
          ok: false,
          error: { code: "unknown", message: "EC2 did not answer the dry run with DryRunOperation." },
        };
    } catch (error) {
      if (params.dryRun && isDryRunSuccess(error)) return { ok: true };
      return { ok: false, error: toFleetError(error, context) };
    }
    try {
      const answer = await ec2.send(new GetInstanceMetadataDefaultsCommand({}));
      return { ok: true, after: accountDefaultRecord(answer.AccountLevel ?? {}, params.region) };
    } catch {
      return { ok: true };
    }
  } finally {
    ec2.destroy();
  }
}

/** Only the options asked for: EC2 keeps the others as they are (moto's reset is patched in tests). */
function changedOptions(change: MetadataChange): {
  HttpTokens?: MetadataChange["httpTokens"];
  HttpPutResponseHopLimit?: number;
} {
  return {
    ...(change.httpTokens ? { HttpTokens: change.httpTokens } : {}),
    ...(change.hopLimit !== undefined ? { HttpPutResponseHopLimit: change.hopLimit } : {}),
  };
}
