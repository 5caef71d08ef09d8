// How EC2 picks each instance metadata option at launch (seed 001, "Ordem de precedência"):
// 1. the launch parameter (instance, launch template, launch configuration),
// 2. else the per-region account default (ModifyInstanceMetadataDefaults),
// 3. else the AMI (`ImdsSupport: v2.0` means tokens required and hop limit 2),
// 4. else EC2's own default (tokens optional, hop limit 1).
// Each option resolves on its own. Shared by static analysis and the live fleet scan.

export type HttpTokens = "required" | "optional";
export type AccountTokensDefault = HttpTokens | "no-preference";
export type AmiImdsSupport = "v2.0" | "none";

export type OptionSource = "launch-parameter" | "account-default" | "ami" | "ec2-default";

export interface Resolved<T> {
  value: T;
  source: OptionSource;
}

export interface TokensInputs {
  launch?: HttpTokens;
  accountDefault?: AccountTokensDefault;
  ami?: AmiImdsSupport;
}

export function resolveHttpTokens({ launch, accountDefault, ami }: TokensInputs): Resolved<HttpTokens> {
  if (launch) return { value: launch, source: "launch-parameter" };
  if (accountDefault && accountDefault !== "no-preference")
    return { value: accountDefault, source: "account-default" };
  if (ami === "v2.0") return { value: "required", source: "ami" };
  return { value: "optional", source: "ec2-default" };
}

export interface HopLimitInputs {
  launch?: number;
  /** `-1` is the API's "no preference". */
  accountDefault?: number;
  ami?: AmiImdsSupport;
}

export function resolveHopLimit({ launch, accountDefault, ami }: HopLimitInputs): Resolved<number> {
  if (launch !== undefined) return { value: launch, source: "launch-parameter" };
  if (accountDefault !== undefined && accountDefault !== -1)
    return { value: accountDefault, source: "account-default" };
  if (ami === "v2.0") return { value: 2, source: "ami" };
  return { value: 1, source: "ec2-default" };
}

export const MIN_HOP_LIMIT = 1;
export const MAX_HOP_LIMIT = 64;

export function describeSource(source: OptionSource): string {
  switch (source) {
    case "launch-parameter":
      return "set at launch";
    case "account-default":
      return "the account default for the region";
    case "ami":
      return "the AMI (ImdsSupport v2.0)";
    case "ec2-default":
      return "EC2's default";
  }
}
