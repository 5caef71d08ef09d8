// A real LSP client session against the BUNDLED server (`dist/server/server.js --stdio`) in its own
// process, spoken to with vscode-languageserver-protocol (DESIGN.md, "How we test" 2). It plays the
// editor's part: answers `workspace/configuration`, accepts registrations and progress tokens, keeps
// the published diagnostics, and applies workspace edits to its copy of each open document.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type ClientCapabilities,
  type CodeAction,
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  type FileEvent,
  type Hover,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  LogMessageNotification,
  type ProgressToken,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  type Range,
  RegistrationRequest,
  type ShowDocumentParams,
  ShowDocumentRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextEdit,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { ImdsGuardSettings, LintWorkspaceResult, StatusParams } from "../../server/src/shared/protocol";
import {
  DEFAULT_IMDS_GUARD_SETTINGS,
  LINT_WORKSPACE_REQUEST,
  STATUS_NOTIFICATION,
} from "../../server/src/shared/protocol";

export const REPO_ROOT = resolve(__dirname, "../..");
export const SERVER_BUNDLE = join(REPO_ROOT, "dist/server/server.js");
export const LSP_FIXTURES = join(REPO_ROOT, "test/fixtures/lsp");

/** Generous: CI machines are shared and slow; a healthy server answers in well under a second. */
const WAIT_MS = 20_000;

export interface SessionOptions {
  /** Workspace folder; the server scans it at start-up unless settings say otherwise. */
  rootPath?: string;
  settings?: ImdsGuardSettings;
  /** Leave out `workspace.configuration` etc. to play a minimal editor. */
  capabilities?: ClientCapabilities;
}

const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    applyEdit: true,
  },
  window: { workDoneProgress: true, showDocument: { support: true } },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
    codeAction: {
      isPreferredSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source", "source.fixAll"] } },
    },
    hover: { contentFormat: ["markdown", "plaintext"] },
    synchronization: { didSave: true },
  },
};

export class LspSession {
  settings: ImdsGuardSettings;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly statuses: StatusParams[] = [];
  readonly registrations: string[] = [];
  readonly progress: {
    token: ProgressToken;
    value: { kind: string; message?: string; percentage?: number };
  }[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly logs: string[] = [];
  stderr = "";
  initializeResult: InitializeResult | undefined;
  private readonly documents = new Map<string, TextDocument>();
  private readonly waiters = new Set<() => void>();
  private exited = false;
  /** Rejects when the server process ends, to race against requests that would otherwise never answer. */
  readonly exit: Promise<never>;
  private rejectExit: (error: Error) => void = () => {};

  private constructor(
    private readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    options: SessionOptions,
  ) {
    this.settings = options.settings ?? DEFAULT_IMDS_GUARD_SETTINGS;
    this.exit = new Promise<never>((_, reject) => {
      this.rejectExit = reject;
    });
    // Only a rejection someone races against is an error; an orderly exit at dispose is not.
    this.exit.catch(() => {});
  }

  static async start(options: SessionOptions = {}): Promise<LspSession> {
    if (!existsSync(SERVER_BUNDLE)) {
      throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` before the LSP tests`);
    }
    const child = spawn(process.execPath, [SERVER_BUNDLE, "--stdio"], { stdio: "pipe" });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const session = new LspSession(child, connection, options);
    child.stderr.on("data", (chunk: Buffer) => {
      session.stderr += chunk.toString();
    });
    child.on("exit", (code, signal) => {
      session.exited = true;
      session.rejectExit(
        new Error(`server exited (code ${code}, signal ${signal}); stderr:\n${session.stderr}`),
      );
      session.notify();
    });
    session.listen();
    connection.listen();
    const rootUri = options.rootPath ? pathToFileURL(options.rootPath).href : null;
    const initialize = connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: "workspace" }] : null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
    });
    // A server that dies at start-up must fail the test with its stderr, not leave `initialize` pending.
    session.initializeResult = await Promise.race([initialize, session.exit]);
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.notify();
    });
    c.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      this.statuses.push(params);
      this.notify();
    });
    c.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
    });
    c.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === "imdsGuard" ? this.settings : null)),
    );
    c.onRequest(RegistrationRequest.type, (params) => {
      for (const registration of params.registrations) this.registrations.push(registration.method);
      this.notify();
    });
    c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      c.onProgress(WorkDoneProgress.type, token, (value) => {
        this.progress.push({ token, value });
        this.notify();
      });
    });
    c.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      this.notify();
      return { success: true };
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-checked on every server message. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const check = () => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value !== undefined) {
          finish();
          resolvePromise(value);
        } else if (this.exited) {
          finish();
          reject(new Error(`server exited while waiting for ${what}; stderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; server log:\n${this.logs.join("\n")}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The diagnostics published for `uri` (for the document's current version when it is open) that satisfy `accept`. */
  diagnostics(
    uri: string,
    accept: (diagnostics: Diagnostic[]) => boolean = () => true,
  ): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${uri}`, () => {
      const latest = this.latestDiagnostics(uri);
      if (!latest) return undefined;
      const open = this.documents.get(uri);
      if (open && latest.version !== undefined && latest.version !== open.version) return undefined;
      return accept(latest.diagnostics) ? latest.diagnostics : undefined;
    });
  }

  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return findLast(this.published, (params) => params.uri === uri);
  }

  async open(
    path: string,
    text = readFileSync(path, "utf8"),
    languageId = languageOf(path),
  ): Promise<string> {
    const uri = pathToFileURL(path).href;
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  /** Applies `edits` locally and sends them as one incremental `didChange`, as an editor does. */
  async edit(uri: string, edits: TextEdit[]): Promise<void> {
    const before = this.document(uri);
    const text = TextDocument.applyEdits(before, edits);
    const after = TextDocument.create(uri, before.languageId, before.version + 1, text);
    this.documents.set(uri, after);
    // Sent last edit first so each range is still valid in the text it applies to.
    const ordered = [...edits].sort((a, b) => compareRanges(b.range, a.range));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: after.version },
      contentChanges: ordered.map((edit) => ({ range: edit.range, text: edit.newText })),
    });
  }

  async replaceText(uri: string, text: string): Promise<void> {
    const before = this.document(uri);
    const after = TextDocument.create(uri, before.languageId, before.version + 1, text);
    this.documents.set(uri, after);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: after.version },
      contentChanges: [{ text }],
    });
  }

  async applyWorkspaceEdit(edit: WorkspaceEdit | undefined): Promise<void> {
    if (!edit?.changes)
      throw new Error(`expected a workspace edit with changes, got ${JSON.stringify(edit)}`);
    for (const [uri, edits] of Object.entries(edit.changes)) await this.edit(uri, edits);
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async codeActions(
    uri: string,
    range: Range,
    diagnostics: Diagnostic[],
    only?: string[],
  ): Promise<CodeAction[]> {
    const actions = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (actions ?? []).filter(
      (action): action is CodeAction => "title" in action && !("arguments" in action),
    );
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line, character },
    });
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  lintWorkspace(): Promise<LintWorkspaceResult | null> {
    return this.connection.sendRequest<LintWorkspaceResult | null>(LINT_WORKSPACE_REQUEST);
  }

  /** Settings changed in the editor: the server is told and pulls them again through `workspace/configuration`. */
  async changeSettings(settings: ImdsGuardSettings): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async dispose(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type), delay(2000)]);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // The connection may already be gone; the kill below still ends the process.
      }
      await Promise.race([new Promise((done) => this.process.once("exit", done)), delay(2000)]);
    }
    if (!this.exited) this.process.kill();
    this.connection.dispose();
  }

  private document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }
}

export function fixtureUri(name: string): string {
  return pathToFileURL(join(LSP_FIXTURES, name)).href;
}

/** `Array.prototype.findLast` is ES2023; the project targets ES2022. */
export function findLast<T>(items: readonly T[], accept: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as T;
    if (accept(item)) return item;
  }
  return undefined;
}

/** LSP 3.18 allows a diagnostic message in markup; ours are plain strings. */
export function messageOf(diagnostic: Diagnostic | undefined): string {
  const message = diagnostic?.message ?? "";
  return typeof message === "string" ? message : message.value;
}

function languageOf(path: string): string {
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  return "plaintext";
}

function compareRanges(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
