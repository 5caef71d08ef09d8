// The rule catalogue of DESIGN.md. Ids are stable; every id has a page under docs/rules/.
import type { RuleId, Severity } from "../types";

export interface RuleMeta {
  id: RuleId;
  name: string;
  defaultSeverity: Severity;
  summary: string;
  docsUrl: string;
}

export const DOCS_BASE_URL = "https://github.com/imds-guard/imds-guard/blob/main/docs/rules/";

const rule = (id: RuleId, name: string, defaultSeverity: Severity, summary: string): RuleMeta => ({
  id,
  name,
  defaultSeverity,
  summary,
  docsUrl: `${DOCS_BASE_URL}${id}.md`,
});

export const RULE_CATALOGUE: readonly RuleMeta[] = [
  rule("IMDS001", "tokens-optional", "error", "HttpTokens is explicitly optional: IMDSv1 stays open."),
  rule("IMDS002", "tokens-unset", "warning", "HttpTokens is not set and resolves to optional."),
  rule("IMDS003", "container-hop-limit", "warning", "The hop limit does not fit a container host."),
  rule("IMDS004", "imdsv1-request", "warning", "Code reads instance metadata without a session token."),
  rule(
    "IMDS005",
    "bad-token-request",
    "error",
    "The token PUT lacks the TTL header or its TTL is out of range.",
  ),
  rule(
    "IMDS006",
    "outdated-sdk",
    "warning",
    "An AWS SDK or CLI older than its first IMDSv2-capable release.",
  ),
  rule("IMDS007", "account-default-optional", "warning", "The account-level metadata default allows IMDSv1."),
  rule("IMDS008", "ami-without-v2", "info", "An AMI registered without ImdsSupport v2.0."),
  rule("IMDS009", "hop-limit-excessive", "info", "The hop limit is higher than the host needs."),
];

export function ruleMeta(id: RuleId): RuleMeta {
  const meta = RULE_CATALOGUE.find((r) => r.id === id);
  if (!meta) throw new Error(`unknown rule ${id}`);
  return meta;
}
