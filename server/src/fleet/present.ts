// How fleet facts read to a person, shared by the tree view (client/src/fleet), the CLI and the
// exported reports, so the same instance says the same thing everywhere. Pure functions of the
// scan's plain data: no SDK, no vscode.

import type {
  AccountDefaultRecord,
  FleetError,
  InstanceRecord,
  LaunchTemplateRecord,
  MetadataChange,
} from "../shared/fleetProtocol";

export function usageText(imdsV1Calls: number | null, days: number): string {
  return `IMDSv1 calls: ${imdsV1Calls === null ? "unknown" : imdsV1Calls.toLocaleString("en-US")} in ${days} d`;
}

/** `tokens optional · hop 1 · IMDSv1 calls: 0 in 14 d` (the tree's description and the CLI's line). */
export function instanceDescription(instance: InstanceRecord, days: number): string {
  const parts = [
    instance.metadata.endpoint === "disabled" ? "IMDS disabled" : `tokens ${instance.metadata.httpTokens}`,
    `hop ${instance.metadata.hopLimit}`,
    usageText(instance.imdsV1Calls, days),
  ];
  if (instance.state !== "running") parts.unshift(instance.state);
  return parts.join(" · ");
}

export function instanceLabel(instance: InstanceRecord): string {
  return instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId;
}

export function launchTemplateDescription(template: LaunchTemplateRecord): string {
  return `v${template.defaultVersion} · tokens ${template.httpTokens.value} · hop ${template.hopLimit.value}`;
}

export function hopLimitText(hopLimit: number): string {
  return hopLimit === -1 ? "no preference" : String(hopLimit);
}

export function accountDefaultDescription(record: AccountDefaultRecord): string {
  return `tokens ${record.httpTokens} · hop ${hopLimitText(record.hopLimit)}`;
}

export function errorText(error: FleetError): string {
  return error.remedy ? `${error.message} Fix: ${error.remedy}` : error.message;
}

function profileFlag(profile: string | undefined): string {
  return profile ? ` --profile ${shellQuote(profile)}` : "";
}

/** Quotes a value for a POSIX shell when it is not a plain word (profile names are free text). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.:/@+-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

function changeFlags(change: MetadataChange): string {
  return [
    change.httpTokens ? ` --http-tokens ${change.httpTokens}` : "",
    change.hopLimit !== undefined ? ` --http-put-response-hop-limit ${change.hopLimit}` : "",
  ].join("");
}

/** The AWS CLI equivalent of a change, one command per instance (the API takes one instance per call). */
export function modifyInstancesCliCommand(
  region: string,
  instanceIds: readonly string[],
  change: MetadataChange,
  profile?: string,
): string {
  return instanceIds
    .map(
      (id) =>
        `aws ec2 modify-instance-metadata-options --region ${shellQuote(region)} --instance-id ${shellQuote(id)}${changeFlags(change)}${profileFlag(profile)}`,
    )
    .join("\n");
}

export function modifyAccountDefaultCliCommand(
  region: string,
  change: MetadataChange,
  profile?: string,
): string {
  return `aws ec2 modify-instance-metadata-defaults --region ${shellQuote(region)}${changeFlags(change)}${profileFlag(profile)}`;
}

const consoleBase = (region: string) =>
  `https://${encodeURIComponent(region)}.console.aws.amazon.com/ec2/home?region=${encodeURIComponent(region)}`;

export function instanceConsoleUrl(region: string, instanceId: string): string {
  return `${consoleBase(region)}#InstanceDetails:instanceId=${encodeURIComponent(instanceId)}`;
}

export function launchTemplateConsoleUrl(region: string, launchTemplateId: string): string {
  return `${consoleBase(region)}#LaunchTemplateDetails:launchTemplateId=${encodeURIComponent(launchTemplateId)}`;
}

/** EC2 console › Settings › Data protection and security, where the IMDS account defaults live. */
export function accountDefaultConsoleUrl(region: string): string {
  return `${consoleBase(region)}#Settings:tab=dataProtectionAndSecurity`;
}

/**
 * Launch templates are versioned: the fix is a new version from the default one with
 * MetadataOptions changed, made the default. Two commands, as in AWS's guide.
 */
export function launchTemplateCliCommand(
  region: string,
  launchTemplateId: string,
  sourceVersion: number,
  change: MetadataChange,
  profile?: string,
): string {
  const options = {
    ...(change.httpTokens ? { HttpTokens: change.httpTokens } : {}),
    ...(change.hopLimit !== undefined ? { HttpPutResponseHopLimit: change.hopLimit } : {}),
  };
  const common = `--region ${shellQuote(region)} --launch-template-id ${shellQuote(launchTemplateId)}${profileFlag(profile)}`;
  return [
    `aws ec2 create-launch-template-version ${common} --source-version ${sourceVersion} --launch-template-data '${JSON.stringify({ MetadataOptions: options })}'`,
    `aws ec2 modify-launch-template ${common} --default-version '$Latest'`,
  ].join("\n");
}
