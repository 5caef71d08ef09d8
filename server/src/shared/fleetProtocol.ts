// The Fleet Explorer's custom LSP messages and the data they carry, defined once for the client
// (client/src/fleet) and the server (server/src/fleet/lsp.ts).
//
// Why custom requests on the language server instead of importing server/src/fleet into the
// extension: one process owns AWS credentials and the SDK (the extension host never loads it, so
// activation stays light), and any LSP editor can drive the same scan. The types here are plain
// data (JSON over the wire): no SDK types, no class instances, dates as ISO strings.

import type { AccountTokensDefault, HttpTokens, OptionSource } from "../engine/domain/precedence";
import type { Severity } from "../engine/types";

/** Rule ids the live scan reports (DESIGN.md rule catalogue). */
export type FleetRuleId = "IMDS001" | "IMDS002" | "IMDS003" | "IMDS007" | "IMDS009";

export interface FleetFinding {
  ruleId: FleetRuleId;
  severity: Severity;
  message: string;
}

/** What went wrong, sorted into the cases a person fixes differently. */
export type FleetErrorCode =
  | "no-credentials"
  | "sso-expired"
  | "profile-invalid"
  | "access-denied"
  | "opt-in-required"
  | "throttled"
  | "timeout"
  | "unreachable"
  | "not-found"
  | "unknown";

export interface FleetError {
  code: FleetErrorCode;
  /** One sentence for people; never contains credentials. */
  message: string;
  /** What fixes it, e.g. `aws sso login --profile dev`. */
  remedy?: string;
}

export interface InstanceMetadataState {
  httpTokens: HttpTokens;
  hopLimit: number;
  endpoint: "enabled" | "disabled";
  /** `pending` right after a change, until EC2 has applied it. */
  state: string;
  protocolIpv6?: string;
  instanceMetadataTags?: string;
}

export interface InstanceRecord {
  instanceId: string;
  name?: string;
  instanceType?: string;
  state: string;
  launchTime?: string;
  platform: string;
  imageId?: string;
  metadata: InstanceMetadataState;
  /** Why it looks like a container host (tags, AMI), or undefined when nothing says so. */
  containerHost?: string;
  autoScalingGroup?: string;
  launchTemplate?: { id?: string; name?: string; version?: string };
  tags: Record<string, string>;
  /** Sum of `MetadataNoToken` over the scan window; null when CloudWatch could not say. */
  imdsV1Calls: number | null;
  findings: FleetFinding[];
}

export interface LaunchTemplateRecord {
  launchTemplateId: string;
  name: string;
  defaultVersion: number;
  imageId?: string;
  /** The value a launch from the default version gets, and where it comes from (seed 001). */
  httpTokens: { value: HttpTokens; source: OptionSource };
  hopLimit: { value: number; source: OptionSource };
  endpoint: "enabled" | "disabled";
  containerHost?: string;
  findings: FleetFinding[];
}

export interface AccountDefaultRecord {
  httpTokens: AccountTokensDefault;
  /** -1 means no preference, as in the API. */
  hopLimit: number;
  endpoint?: string;
  instanceMetadataTags?: string;
  findings: FleetFinding[];
}

export interface RegionScanOk {
  region: string;
  ok: true;
  instances: InstanceRecord[];
  launchTemplates: LaunchTemplateRecord[];
  accountDefault: AccountDefaultRecord | { error: FleetError };
  /** Parts that failed without failing the region (CloudWatch denied, launch templates denied…). */
  warnings: FleetError[];
}

export interface RegionScanFailed {
  region: string;
  ok: false;
  error: FleetError;
}

export type RegionScan = RegionScanOk | RegionScanFailed;

export interface FleetScanParams {
  /** A named profile; undefined uses the default credential chain (environment, default profile…). */
  profile?: string;
  /** Regions to scan; empty or undefined asks DescribeRegions for the enabled ones. */
  regions?: string[];
  /** `MetadataNoToken` window in days. */
  days?: number;
  /** DESIGN.md IMDS003 policy: true flags hop limit 1 on container hosts, false flags >1 on EKS nodes. */
  podsNeedImds?: boolean;
  /** Echoed in progress notifications so the client can tell scans apart. */
  scanId?: string;
}

export interface FleetScanResult {
  profile?: string;
  accountId?: string;
  /** The caller's ARN, to show whose credentials are in use. */
  callerArn?: string;
  days: number;
  podsNeedImds: boolean;
  scannedAt: string;
  /** Set when nothing could be scanned (no credentials, broken profile, expired SSO session). */
  error?: FleetError;
  regions: RegionScan[];
}

export interface FleetProfile {
  name: string;
  /** How the profile gets credentials, to explain the remedy (SSO login vs. keys). */
  kind: "sso" | "assume-role" | "process" | "keys" | "web-identity" | "other";
  region?: string;
}

export interface FleetProfilesResult {
  profiles: FleetProfile[];
  /** The server's environment has credentials or points at them (keys, AWS_PROFILE, web identity, container). */
  environmentCredentials: boolean;
}

/** The change a person asked for; undefined fields are left as they are (real EC2 semantics). */
export interface MetadataChange {
  httpTokens?: "required";
  hopLimit?: number;
}

export interface ModifyInstancesParams {
  profile?: string;
  region: string;
  instanceIds: string[];
  change: MetadataChange;
  /** DryRun only checks permission (EC2 answers DryRunOperation when it would have succeeded). */
  dryRun: boolean;
}

export interface InstanceChangeResult {
  instanceId: string;
  ok: boolean;
  error?: FleetError;
  /** Metadata options read back after the change. */
  after?: InstanceMetadataState;
}

export interface ModifyInstancesResult {
  results: InstanceChangeResult[];
}

export interface ModifyAccountDefaultParams {
  profile?: string;
  region: string;
  change: MetadataChange;
  dryRun: boolean;
}

export interface ModifyAccountDefaultResult {
  ok: boolean;
  error?: FleetError;
  after?: AccountDefaultRecord;
}

export interface FleetProgress {
  scanId?: string;
  region: string;
  completed: number;
  total: number;
}

/** A typed method name; both sides pass `.method` to the connection. */
export interface FleetRequest<P, R> {
  readonly method: string;
  /** Phantom fields that carry the types; never set at run time. */
  readonly _params?: P;
  readonly _result?: R;
}

export interface FleetNotification<P> {
  readonly method: string;
  readonly _params?: P;
}

export const FleetProfilesRequest: FleetRequest<void, FleetProfilesResult> = {
  method: "imdsGuard/fleet/profiles",
};
export const FleetScanRequest: FleetRequest<FleetScanParams, FleetScanResult> = {
  method: "imdsGuard/fleet/scan",
};
export const FleetModifyInstancesRequest: FleetRequest<ModifyInstancesParams, ModifyInstancesResult> = {
  method: "imdsGuard/fleet/modifyInstances",
};
export const FleetModifyAccountDefaultRequest: FleetRequest<
  ModifyAccountDefaultParams,
  ModifyAccountDefaultResult
> = {
  method: "imdsGuard/fleet/modifyAccountDefault",
};
export const FleetProgressNotification: FleetNotification<FleetProgress> = {
  method: "imdsGuard/fleet/progress",
};
