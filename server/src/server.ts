// The IMDS Guard language server: LSP wiring only (vscode-eslint's `eslintServer.ts` shape). Linting,
// fixes, hover, settings and the workspace scan live in `lsp/*`; analysis in `engine/`.
// Runs over stdio (`--stdio`, any LSP editor) or IPC (`--node-ipc`, the VS Code client).

import { sep } from "node:path";
import {
  CodeActionKind,
  createConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type InitializeResult,
  MarkupKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { loadConfig } from "./engine/config";
import { RULE_CATALOGUE, ruleMeta } from "./engine/rules/catalogue";
import { registerFleetHandlers } from "./fleet/lsp";
import { FixStore } from "./lsp/codeActions";
import { Debouncer, debounceDelay } from "./lsp/debounce";
import { configMessageToDiagnostic } from "./lsp/diagnostics";
import { guarded } from "./lsp/errors";
import { hoverAt } from "./lsp/hover";
import { WorkspaceProjects } from "./lsp/projects";
import { SettingsStore } from "./lsp/settings";
import { pathToUri, uriToPath } from "./lsp/uris";
import { DocumentValidator } from "./lsp/validation";
import { isCandidateFile, type ScanProgress, WorkspaceScanner } from "./lsp/workspaceScan";
import { forgetCdkSources } from "./project/cdkSources";
import {
  FIX_ALL_KIND,
  LINT_WORKSPACE_REQUEST,
  type LintWorkspaceResult,
  SHOW_RULE_DOCS_COMMAND,
  STATUS_NOTIFICATION,
  type StatusParams,
} from "./shared/protocol";

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = (message: string) => connection.console.info(message);
const logError = (message: string) => connection.console.error(message);

/** What the editor said it can do at `initialize`; optional features are used only when offered. */
const client = {
  configuration: false,
  dynamicWatchers: false,
  dynamicConfiguration: false,
  showDocument: false,
  workspaceFolders: false,
  markdownHover: false,
};

const settings = new SettingsStore(
  (scopeUri) =>
    client.configuration
      ? connection.workspace.getConfiguration({ scopeUri, section: "imdsGuard" })
      : Promise.resolve(undefined),
  logError,
);
const projects = new WorkspaceProjects(
  loadConfig,
  (file, messages) =>
    connection.sendDiagnostics({
      uri: pathToUri(file),
      diagnostics: messages.map(configMessageToDiagnostic),
    }),
  logError,
);
const fixes = new FixStore();
const validator = new DocumentValidator(
  {
    publishDiagnostics: (uri: string, diagnostics: Diagnostic[], version?: number) =>
      connection.sendDiagnostics({ uri, diagnostics, version }),
    settingsFor: (folderUri) => settings.get(folderUri),
    openDocument: (uri) => documents.get(uri),
    status: (params: StatusParams) => connection.sendNotification(STATUS_NOTIFICATION, params),
    log,
    logError,
  },
  projects,
  fixes,
);
const scanner = new WorkspaceScanner(
  () => projects.list().map((folder) => folder.path),
  (path, isDirectory) => projects.isExcluded(path, isDirectory),
  (path) => validator.validateFile(path),
  createScanProgress,
  (scanning) => validator.setScanning(scanning),
  (files) => validator.retainScanned(files),
  logError,
);
const debouncer = new Debouncer();

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  client.configuration = capabilities.workspace?.configuration === true;
  client.dynamicWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  client.dynamicConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  client.showDocument = capabilities.window?.showDocument?.support === true;
  client.workspaceFolders = capabilities.workspace?.workspaceFolders === true;
  client.markdownHover =
    capabilities.textDocument?.hover?.contentFormat?.includes(MarkupKind.Markdown) === true;
  if (params.workspaceFolders) projects.setFolders(params.workspaceFolders);
  else if (params.rootUri) projects.setFolders([{ uri: params.rootUri }]);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      executeCommandProvider: { commands: [SHOW_RULE_DOCS_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: "imds-guard" },
  };
});

connection.onInitialized(
  guarded("initialized", undefined, logError, async () => {
    if (client.dynamicConfiguration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: "imdsGuard" });
    }
    if (client.dynamicWatchers) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: "**/*.{yaml,yml,json,template}" },
          { globPattern: "**/.imds-guard.{yaml,yml}" },
        ],
      });
    } else {
      log(
        "The client cannot watch files for the server: files changed outside the editor are re-linted on rescan.",
      );
    }
    if (client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guarded("workspace folders change", undefined, logError, async () => {
          projects.setFolders((await connection.workspace.getWorkspaceFolders()) ?? []);
          relintEverything();
        }),
      );
    }
    await startScanIfEnabled();
  }),
);

documents.onDidChangeContent(({ document }) => {
  debouncer.schedule(document.uri, debounceDelay(validator.analysisCostMs(document.uri)), () => {
    const current = documents.get(document.uri);
    if (current) void guarded("validation", undefined, logError, () => validator.validateOpen(current))();
  });
});

documents.onDidClose(
  guarded("close", undefined, logError, async ({ document }) => {
    debouncer.cancel(document.uri);
    await validator.closed(document.uri);
  }),
);

connection.onDidChangeConfiguration(
  guarded("configuration change", undefined, logError, (params) => {
    const pushed = (params.settings as { imdsGuard?: unknown } | null | undefined)?.imdsGuard;
    settings.reset(pushed);
    relintEverything();
  }),
);

connection.onDidChangeWatchedFiles(
  guarded("watched files change", undefined, logError, async ({ changes }) => {
    // A new synth rewrote cdk.out: the CDK code behind it changed, so its cached sources are stale.
    if (changes.some((change) => uriToPath(change.uri).split(sep).includes("cdk.out"))) forgetCdkSources();
    if (changes.some((change) => projects.isConfigFile(uriToPath(change.uri)))) {
      projects.configChanged();
      relintEverything();
      return;
    }
    for (const change of changes) {
      const path = uriToPath(change.uri);
      if (!isCandidateFile(path) || !projects.folderOf(path)) continue;
      if (change.type === FileChangeType.Deleted) validator.clear(change.uri);
      else await validator.validateFile(path);
    }
  }),
);

connection.onCodeAction(
  guarded("code actions", [], logError, (params) => {
    const document = documents.get(params.textDocument.uri);
    return document ? fixes.codeActions(params, document.version) : [];
  }),
);

connection.onHover(
  guarded("hover", null, logError, async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return hoverAt(await validator.analysisOf(document), params.position, client.markdownHover);
  }),
);

connection.onExecuteCommand(
  guarded("execute command", null, logError, async (params) => {
    const ruleId = params.arguments?.[0];
    if (params.command !== SHOW_RULE_DOCS_COMMAND || !RULE_CATALOGUE.some((rule) => rule.id === ruleId)) {
      logError(`Unknown command ${params.command} ${JSON.stringify(params.arguments ?? [])}`);
      return null;
    }
    const { docsUrl } = ruleMeta(ruleId);
    if (client.showDocument) await connection.window.showDocument({ uri: docsUrl, external: true });
    else connection.window.showInformationMessage(`${ruleId}: ${docsUrl}`);
    return null;
  }),
);

connection.onRequest(
  LINT_WORKSPACE_REQUEST,
  guarded<[], LintWorkspaceResult | null>("lint workspace", null, logError, async () => {
    // Asked for explicitly: analyse everything afresh, not only what changed.
    relintOpenDocuments();
    const summary = await scanner.scan();
    return {
      filesAnalysed: summary.filesAnalysed,
      filesWithFindings: validator.filesWithFindings(),
      durationMs: Math.round(summary.durationMs),
    };
  }),
);

/** Settings, a config file or the folders changed: every open document and workspace file again. */
function relintEverything(): void {
  relintOpenDocuments();
  void guarded("workspace scan", undefined, logError, startScanIfEnabled)();
}

/** Drops every cached analysis and re-lints the open documents now (workspace files follow in the scan). */
function relintOpenDocuments(): void {
  validator.invalidateAll();
  forgetCdkSources();
  for (const document of documents.all()) {
    debouncer.cancel(document.uri);
    void guarded("validation", undefined, logError, () => validator.validateOpen(document))();
  }
}

async function startScanIfEnabled(): Promise<void> {
  const folders = projects.list();
  if (folders.length === 0) return;
  const enabled = await Promise.all(
    folders.map(async (folder) => (await settings.get(folder.uri)).scanWorkspace),
  );
  if (!enabled.some(Boolean)) return;
  const summary = await scanner.scan();
  log(
    `Workspace scan: ${summary.filesAnalysed} files in ${Math.round(summary.durationMs)} ms` +
      (summary.cancelled ? " (cancelled)" : ""),
  );
}

/** `$/progress` through `window/workDoneProgress/create`; a client without it gets a silent reporter. */
async function createScanProgress(): Promise<ScanProgress> {
  try {
    const reporter = await connection.window.createWorkDoneProgress();
    return {
      begin: (title, percentage, message) => reporter.begin(title, percentage, message, true),
      report: (percentage, message) => reporter.report(percentage, message),
      done: () => reporter.done(),
      get cancelled() {
        return reporter.token.isCancellationRequested;
      },
    };
  } catch (error) {
    logError(`window/workDoneProgress/create failed, scanning without progress: ${String(error)}`);
    return { begin: () => {}, report: () => {}, done: () => {}, cancelled: false };
  }
}

// Fleet Explorer requests (server/src/fleet/lsp.ts); the AWS SDK loads on the first fleet request only.
registerFleetHandlers(connection);

documents.listen(connection);
connection.listen();
