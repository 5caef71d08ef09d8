// The engine's public vocabulary. Positions are 0-based (as in LSP); the CLI and SARIF convert to 1-based.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Severities in decreasing order of importance; `hint` is used when an AMI or account default saves the day. */
export type Severity = "error" | "warning" | "info" | "hint";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "hint"];

export type RuleId =
  | "IMDS001"
  | "IMDS002"
  | "IMDS003"
  | "IMDS004"
  | "IMDS005"
  | "IMDS006"
  | "IMDS007"
  | "IMDS008"
  | "IMDS009";

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix is a set of edits to the finding's own file. Quick fixes, `--fix` and SARIF `fixes` are all this. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  /** Logical id / resource address the finding belongs to, e.g. `WebLaunchTemplate`. */
  resource?: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

/** A file the engine could not read as what it looked like (malformed YAML, binary, too large). */
export interface FileProblem {
  kind: "parse-error" | "skipped";
  message: string;
  file: string;
  range: Range;
}

export interface AnalysisResult {
  file: string;
  /** What the engine recognised the file as, or `undefined` when it is none of its inputs. */
  format?: "cloudformation-yaml" | "cloudformation-json";
  findings: Finding[];
  problems: FileProblem[];
}

/** Settings that change what the rules report. Shared by the CLI, the language server and the tests. */
export interface EngineSettings {
  /** `imdsGuard.containers.podsNeedImds`: true flags hop limit 1 on container hosts; false flags >1 on EKS nodes. */
  podsNeedImds: boolean;
  /** Files larger than this are skipped with a notice. */
  maxFileBytes: number;
}

export const DEFAULT_SETTINGS: EngineSettings = {
  podsNeedImds: true,
  maxFileBytes: 5 * 1024 * 1024,
};
