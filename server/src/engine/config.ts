// `.imds-guard.yaml` at the workspace root: read identically by the CLI and the language server.
import type { RuleId, Severity } from "./types";

export interface IgnoreEntry {
  /** A rule id, or `"*"` for every rule. */
  rule: RuleId | "*";
  /** Globs (relative to the config file) the ignore applies to; every file when absent. */
  paths?: string[];
  reason?: string;
}

export interface ProjectConfig {
  /** Per-rule severity overrides; `off` disables a rule. */
  rules: Partial<Record<RuleId, Severity | "off">>;
  ignore: IgnoreEntry[];
  /** Globs (relative to the config file) that are never analysed. */
  exclude: string[];
  podsNeedImds?: boolean;
  maxFileBytes?: number;
}

export const EMPTY_CONFIG: ProjectConfig = { rules: {}, ignore: [], exclude: [] };
