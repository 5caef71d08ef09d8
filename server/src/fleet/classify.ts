// Classification of live resources with the same rule ids and domain logic as the static engine:
// tokens optional (IMDS001), tokens left unset and resolving to optional (IMDS002), the hop limit
// on a container host under the `podsNeedImds` policy (IMDS003), the account default (IMDS007),
// an excessive hop limit (IMDS009). Everything is decided here on the client side from
// DescribeInstances' MetadataOptions, never with the `metadata-options.*` server-side filters, so it
// behaves the same on AWS and on an emulator that lacks them.

import { isKubernetesReason } from "../engine/domain/containers";
import type { AccountTokensDefault, HttpTokens, OptionSource } from "../engine/domain/precedence";
import { describeSource } from "../engine/domain/precedence";
import type { FleetFinding, InstanceMetadataState } from "../shared/fleetProtocol";

export interface ClassificationPolicy {
  podsNeedImds: boolean;
  days: number;
}

/** The hop limit the policy asks for (DESIGN.md, IMDS003): 2 where containers need IMDS, else 1. */
export function recommendedHopLimit(containerHost: string | undefined, podsNeedImds: boolean): number {
  // The podsNeedImds=false policy keeps Kubernetes nodes at 1; other container hosts still need 2.
  return containerHost && (podsNeedImds || !isKubernetesReason(containerHost)) ? 2 : 1;
}

export function policyName(podsNeedImds: boolean): string {
  return podsNeedImds
    ? "policy podsNeedImds=true: containers on the host need IMDS"
    : "policy podsNeedImds=false: pods use IRSA/Pod Identity and stay away from node credentials";
}

function usageSentence(imdsV1Calls: number | null, days: number): string {
  if (imdsV1Calls === null)
    return `IMDSv1 usage over the last ${days} d is unknown (MetadataNoToken unavailable).`;
  if (imdsV1Calls === 0)
    return `No IMDSv1 calls in the last ${days} d (MetadataNoToken): requiring IMDSv2 is safe.`;
  return `${imdsV1Calls} IMDSv1 calls in the last ${days} d (MetadataNoToken): update the software making them before requiring IMDSv2.`;
}

interface HopLimitSubject {
  hopLimit: number;
  containerHost: string | undefined;
  /** How to name the subject in messages: "this instance", "launch template web". */
  label: string;
}

function hopLimitFindings(
  { hopLimit, containerHost, label }: HopLimitSubject,
  podsNeedImds: boolean,
): FleetFinding[] {
  if (containerHost && podsNeedImds && hopLimit < 2) {
    return [
      {
        ruleId: "IMDS003",
        severity: "warning",
        message: `Hop limit ${hopLimit} on a container host (${containerHost}): containers cannot get an IMDSv2 token and fall back to IMDSv1 or fail. Set it to 2 on ${label} (${policyName(podsNeedImds)}).`,
      },
    ];
  }
  if (containerHost && !podsNeedImds && isKubernetesReason(containerHost) && hopLimit > 1) {
    return [
      {
        ruleId: "IMDS003",
        severity: "warning",
        message: `Hop limit ${hopLimit} on a container host (${containerHost}) lets pods reach the node's credentials. Set it to 1 on ${label} (${policyName(podsNeedImds)}).`,
      },
    ];
  }
  if (hopLimit > 2) {
    return [
      {
        ruleId: "IMDS009",
        severity: "info",
        message: `Hop limit ${hopLimit} is above 2: IMDS responses travel further than any container needs. Set it to ${recommendedHopLimit(containerHost, podsNeedImds)} on ${label}.`,
      },
    ];
  }
  return [];
}

export function classifyInstance(
  instance: { metadata: InstanceMetadataState; containerHost?: string; imdsV1Calls: number | null },
  policy: ClassificationPolicy,
): FleetFinding[] {
  const { metadata } = instance;
  // HttpEndpoint disabled turns IMDS off: no token or hop-limit finding (DESIGN.md).
  if (metadata.endpoint === "disabled") return [];
  const findings: FleetFinding[] = [];
  if (metadata.httpTokens === "optional") {
    findings.push({
      ruleId: "IMDS001",
      severity: "error",
      message: `HttpTokens is optional: IMDSv1 is open on this instance. ${usageSentence(instance.imdsV1Calls, policy.days)}`,
    });
  }
  findings.push(
    ...hopLimitFindings(
      { hopLimit: metadata.hopLimit, containerHost: instance.containerHost, label: "this instance" },
      policy.podsNeedImds,
    ),
  );
  return findings;
}

export interface LaunchTemplateFacts {
  name: string;
  /** The default version's own value, undefined when it leaves the option unset. */
  launchTokens?: HttpTokens;
  httpTokens: { value: HttpTokens; source: OptionSource };
  hopLimit: { value: number; source: OptionSource };
  endpoint: "enabled" | "disabled";
  containerHost?: string;
  /** The region's account default could not be read, so a resolution that skipped it may be wrong. */
  accountDefaultUnknown?: boolean;
}

export function classifyLaunchTemplate(
  template: LaunchTemplateFacts,
  policy: ClassificationPolicy,
): FleetFinding[] {
  if (template.endpoint === "disabled") return [];
  const label = `launch template ${template.name}`;
  const findings: FleetFinding[] = [];
  if (template.launchTokens === "optional") {
    findings.push({
      ruleId: "IMDS001",
      severity: "error",
      message: `The default version of ${label} sets HttpTokens optional: every instance launched from it allows IMDSv1.`,
    });
  } else if (template.httpTokens.value === "optional" && template.accountDefaultUnknown) {
    // DESIGN.md: a value we cannot know is reported at a lower severity, never presented as optional.
    findings.push({
      ruleId: "IMDS002",
      severity: "info",
      message: `The default version of ${label} leaves HttpTokens unset. The region's account default could not be read, so it resolves to optional (IMDSv1 open) unless that default requires IMDSv2.`,
    });
  } else if (template.httpTokens.value === "optional") {
    findings.push({
      ruleId: "IMDS002",
      severity: "warning",
      message: `The default version of ${label} leaves HttpTokens unset, and it resolves to optional from ${describeSource(template.httpTokens.source)}: instances launched from it allow IMDSv1.`,
    });
  }
  findings.push(
    ...hopLimitFindings(
      { hopLimit: template.hopLimit.value, containerHost: template.containerHost, label },
      policy.podsNeedImds,
    ),
  );
  return findings;
}

export function classifyAccountDefault(httpTokens: AccountTokensDefault, region: string): FleetFinding[] {
  if (httpTokens === "optional") {
    return [
      {
        ruleId: "IMDS007",
        severity: "warning",
        message: `The account default in ${region} sets HttpTokens optional: launches that do not set it allow IMDSv1, whatever their AMI says.`,
      },
    ];
  }
  if (httpTokens === "no-preference") {
    return [
      {
        ruleId: "IMDS007",
        severity: "info",
        message: `The account default in ${region} has no preference for HttpTokens: launches that do not set it fall back to their AMI, and to optional (IMDSv1 open) unless the AMI is registered with ImdsSupport v2.0.`,
      },
    ];
  }
  return [];
}
