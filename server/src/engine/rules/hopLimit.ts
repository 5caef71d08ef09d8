// The hop limit each launch path ends up with, and what the container policy wants of it.
// Shared by IMDS003 (container hosts) and IMDS009 (excessive), so one value is judged once.
import { resolveHopLimit } from "../domain/precedence";
import type { LaunchPath } from "../model/launchPaths";
import type { LiteralOutcome } from "../model/values";
import type { EngineSettings } from "../types";

export interface HopValue {
  value: number;
  /** The literal that sets it; undefined when it comes from a default. */
  outcome?: LiteralOutcome;
  source: string;
}

/** Every hop limit the path can launch with; unknown values are left out (they are not guessed). */
export function hopValues(path: LaunchPath): HopValue[] {
  const outcomes = path.hopLimit.outcomes;
  if (outcomes.length === 0) {
    const resolved = resolveHopLimit({ ami: path.ami.imdsV2 ? "v2.0" : "none" });
    return [
      {
        value: resolved.value,
        source: resolved.source === "ami" ? "its AMI's default (ImdsSupport v2.0)" : "EC2's default",
      },
    ];
  }
  return outcomes.flatMap((outcome) => {
    if (outcome.kind !== "literal") return [];
    const value = Number(outcome.value);
    return Number.isInteger(value) ? [{ value, outcome, source: "set here" }] : [];
  });
}

export interface HopPolicy {
  /** The value the policy recommends for this host. */
  recommended: number;
  /** Why, for the message. */
  explanation: string;
  violates(value: number): boolean;
}

/** `imdsGuard.containers.podsNeedImds` (DESIGN.md): which hop limit a container host should have. */
export function containerHopPolicy(path: LaunchPath, settings: EngineSettings): HopPolicy | undefined {
  if (settings.podsNeedImds) {
    if (path.containerReasons.length === 0) return undefined;
    return {
      recommended: 2,
      explanation:
        "with hop limit 1 the token PUT's reply never reaches a container behind the bridge network, so SDKs there fall back to IMDSv1 or fail; AWS recommends 2 on container hosts (policy imdsGuard.containers.podsNeedImds = true)",
      violates: (value) => value < 2,
    };
  }
  if (!path.kubernetesNode) return undefined;
  return {
    recommended: 1,
    explanation:
      "EKS best practice keeps pods away from the node's credentials (pods use IRSA or Pod Identity), so the hop limit should be 1 (policy imdsGuard.containers.podsNeedImds = false)",
    violates: (value) => value > 1,
  };
}
