// Messages and settings shared by the language server and the VS Code client: typed once here and
// imported by both (vscode-eslint's `$shared` idea), so the two sides cannot drift apart.
// No `vscode` import: the server and any LSP editor use these types too.

/** The `imdsGuard` section as the server receives it through `workspace/configuration`. */
export interface ImdsGuardSettings {
  containers: {
    /** true: pods/tasks need IMDS, so hop limit 1 on a container host is a finding (recommend 2). DESIGN.md. */
    podsNeedImds: boolean;
  };
  /** Files larger than this many bytes are skipped with a notice. */
  maxFileSize: number;
  /** Lint every candidate file of the workspace in the background at start-up. */
  scanWorkspace: boolean;
}

export const DEFAULT_IMDS_GUARD_SETTINGS: ImdsGuardSettings = {
  containers: { podsNeedImds: true },
  maxFileSize: 5 * 1024 * 1024,
  scanWorkspace: true,
};

/** Counts behind the client's status-bar item, sent after every change to the published diagnostics. */
export interface StatusParams {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** Files that currently have at least one diagnostic. */
  filesWithFindings: number;
  /** Files analysed so far (open documents and workspace files). */
  filesAnalysed: number;
  /** True while the start-up (or requested) workspace scan runs. */
  scanning: boolean;
}

/** Server → client notification `imdsGuard/status`. */
export const STATUS_NOTIFICATION = "imdsGuard/status";

/** Client → server request `imdsGuard/lintWorkspace`: re-scan every workspace folder; resolves when done. */
export const LINT_WORKSPACE_REQUEST = "imdsGuard/lintWorkspace";

export interface LintWorkspaceResult {
  filesAnalysed: number;
  filesWithFindings: number;
  durationMs: number;
}

/** `workspace/executeCommand` id behind the "Show documentation for IMDSxxx" code action; argument: the rule id. */
export const SHOW_RULE_DOCS_COMMAND = "imdsGuard.server.showRuleDocumentation";

/** Diagnostic `source`, and the suffix of the fix-all code action kind `source.fixAll.imds-guard`. */
export const DIAGNOSTIC_SOURCE = "imds-guard";
export const FIX_ALL_KIND = "source.fixAll.imds-guard";
