// Validation of open documents and workspace files: analyse once per document version (or file stamp
// on disk) and settings generation, publish diagnostics, record fixes for code actions, keep the
// counts behind `imdsGuard/status`. The LSP connection is reached only through `ValidationHost`,
// so this service runs without one in tests.
import { readFile, stat } from "node:fs/promises";
import type { Diagnostic } from "vscode-languageserver";
import { DiagnosticSeverity } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { analyze, type DocumentAnalysis } from "../engine/index";
import { cdkSourcesFor } from "../project/cdkSources";
import type { ImdsGuardSettings, StatusParams } from "../shared/protocol";
import { DIAGNOSTIC_SOURCE } from "../shared/protocol";
import type { FixStore, RecordedFinding } from "./codeActions";
import { findingToDiagnostic, problemToDiagnostic } from "./diagnostics";
import { describeError } from "./errors";
import type { WorkspaceProjects } from "./projects";
import { toEngineSettings } from "./settings";
import { pathToUri, uriToPath } from "./uris";
import { isCandidateFile } from "./workspaceScan";

export interface ValidationHost {
  publishDiagnostics(uri: string, diagnostics: Diagnostic[], version?: number): void;
  settingsFor(folderUri: string | undefined): Promise<ImdsGuardSettings>;
  /** The open document for `uri`, if the editor has it open (then it wins over the file on disk). */
  openDocument(uri: string): TextDocument | undefined;
  status(params: StatusParams): void;
  log(message: string): void;
  logError(message: string): void;
}

interface OpenAnalysis {
  version: number;
  generation: number;
  analysis: Promise<DocumentAnalysis>;
}

interface Published {
  counts: Record<"errors" | "warnings" | "infos" | "hints", number>;
  total: number;
}

export class DocumentValidator {
  /** Bumped when settings or a config file change: every cached analysis becomes stale. */
  private generation = 0;
  private readonly open = new Map<string, OpenAnalysis>();
  /** The latest finished analysis of each open document, handed to the engine as `previous`. */
  private readonly lastOpenAnalysis = new Map<string, DocumentAnalysis>();
  /** Open documents: the version last published, so an unchanged document is not re-published. */
  private readonly publishedVersion = new Map<string, { version: number; generation: number }>();
  /** Files on disk: `mtime:size` last analysed, so a rescan skips unchanged files. */
  private readonly diskStamps = new Map<string, { stamp: string; generation: number }>();
  private readonly published = new Map<string, Published>();
  /** How long the last analysis of each document took: the debounce scales with it. */
  private readonly costMs = new Map<string, number>();
  private scanning = false;
  private statusTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: ValidationHost,
    private readonly projects: WorkspaceProjects,
    private readonly fixes: FixStore,
    /** The engine; a parameter so tests can count how often a document is analysed. */
    private readonly analyzeFile: typeof analyze = analyze,
  ) {}

  /** Settings or `.imds-guard.yaml` changed: nothing cached is valid any more. */
  invalidateAll(): void {
    this.generation++;
  }

  setScanning(scanning: boolean): void {
    this.scanning = scanning;
    this.scheduleStatus();
  }

  /** The analysis of the document's current version, computed at most once per version and generation. */
  analysisOf(document: TextDocument): Promise<DocumentAnalysis> {
    const cached = this.open.get(document.uri);
    if (cached && cached.version === document.version && cached.generation === this.generation) {
      return cached.analysis;
    }
    // The previous version's parse lets the engine re-parse only the resources the edit touched.
    const analysis = this.analyse(document.uri, document.getText(), this.lastOpenAnalysis.get(document.uri));
    this.open.set(document.uri, { version: document.version, generation: this.generation, analysis });
    void analysis.then((done) => {
      if (this.open.get(document.uri)?.analysis === analysis) this.lastOpenAnalysis.set(document.uri, done);
    });
    return analysis;
  }

  async validateOpen(document: TextDocument): Promise<void> {
    // `.imds-guard.yaml` shows what `loadConfig` says about it (WorkspaceProjects); publishing here would erase it.
    if (this.projects.isConfigFile(uriToPath(document.uri))) return;
    const generation = this.generation;
    const analysis = await this.analysisOf(document);
    const current = this.host.openDocument(document.uri);
    // A newer version (or a close) arrived while settings were fetched: its own validation publishes.
    if (!current || current.version !== document.version || generation !== this.generation) return;
    const last = this.publishedVersion.get(document.uri);
    if (last && last.version === document.version && last.generation === generation) return;
    this.publishedVersion.set(document.uri, { version: document.version, generation });
    this.publish(document.uri, analysis, document.version);
  }

  /** A file on disk (workspace scan, file watcher). Open documents are left to `validateOpen`. */
  async validateFile(path: string): Promise<void> {
    const uri = pathToUri(path);
    if (this.host.openDocument(uri)) return;
    const context = this.projects.contextOf(path);
    if (context.excluded) {
      this.clear(uri);
      return;
    }
    try {
      const info = await stat(path);
      if (!info.isFile()) return;
      const settings = await this.host.settingsFor(context.folder?.uri);
      const limit = toEngineSettings(settings, context.config).maxFileBytes;
      if (info.size > limit) {
        // Not known to be a template (any large JSON qualifies): a log line, not a diagnostic per file.
        this.host.log(
          `Skipped ${path}: ${info.size} bytes is over the size limit of ${limit} (imdsGuard.maxFileSize, or maxFileBytes in .imds-guard.yaml).`,
        );
        this.clear(uri);
        return;
      }
      const stamp = `${info.mtimeMs}:${info.size}`;
      const last = this.diskStamps.get(uri);
      if (last && last.stamp === stamp && last.generation === this.generation) return;
      const generation = this.generation;
      const analysis = await this.analyse(uri, await readFile(path));
      if (this.host.openDocument(uri)) return;
      this.diskStamps.set(uri, { stamp, generation });
      this.publish(uri, analysis, undefined);
    } catch (error) {
      if (isMissingFile(error)) {
        this.clear(uri);
        return;
      }
      this.host.logError(`Could not lint ${path}: ${describeError(error)}`);
    }
  }

  /** The editor closed the document: what counts again is the file on disk, if there is one. */
  async closed(uri: string): Promise<void> {
    this.open.delete(uri);
    this.lastOpenAnalysis.delete(uri);
    this.costMs.delete(uri);
    this.publishedVersion.delete(uri);
    this.diskStamps.delete(uri);
    this.fixes.forget(uri);
    const path = uriToPath(uri);
    // Only workspace files are linted when closed (the scan covers them); others just lose their diagnostics.
    if (uri.startsWith("file:") && this.projects.folderOf(path) && isCandidateFile(path)) {
      await this.validateFile(path);
    } else {
      this.clear(uri);
    }
  }

  /**
   * A full scan covered `paths`: a file it published for earlier but no longer covers (now excluded,
   * ignored, deleted while nobody watched) loses its diagnostics. Open documents are the editor's.
   */
  retainScanned(paths: ReadonlySet<string>): void {
    for (const uri of [...this.published.keys()]) {
      if (this.host.openDocument(uri) || !uri.startsWith("file:")) continue;
      const path = uriToPath(uri);
      if (!paths.has(path) && !this.projects.isConfigFile(path)) this.clear(uri);
    }
  }

  /** The file is gone (or left the workspace): drop its diagnostics. */
  clear(uri: string): void {
    this.diskStamps.delete(uri);
    this.costMs.delete(uri);
    this.fixes.forget(uri);
    if (this.published.has(uri)) {
      this.published.delete(uri);
      this.host.publishDiagnostics(uri, []);
      this.scheduleStatus();
    }
  }

  analysisCostMs(uri: string): number | undefined {
    return this.costMs.get(uri);
  }

  /** Files whose published diagnostics are not empty (the `lintWorkspace` result). */
  filesWithFindings(): number {
    let files = 0;
    for (const entry of this.published.values()) if (entry.total > 0) files++;
    return files;
  }

  private async analyse(
    uri: string,
    content: string | Uint8Array,
    previous?: DocumentAnalysis,
  ): Promise<DocumentAnalysis> {
    const path = uriToPath(uri);
    const context = this.projects.contextOf(path);
    // The config file has its own diagnostics (from `loadConfig`); excluded files get none.
    if (context.excluded || this.projects.isConfigFile(path)) return emptyAnalysis(path);
    const settings = await this.host.settingsFor(context.folder?.uri);
    const started = performance.now();
    try {
      return this.analyzeFile(path, content, {
        settings: toEngineSettings(settings, context.config),
        config: context.config,
        relativePath: context.relativePath,
        previous,
        // cdk.out findings point at the construct in the CDK app's code (read once per app, cached).
        cdkSources: cdkSourcesFor,
      });
    } catch (error) {
      // An engine bug must cost one file, not the server: say so on the file and in the log.
      this.host.logError(`Analysis of ${uri} failed: ${describeError(error)}`);
      const failed = emptyAnalysis(path);
      return {
        ...failed,
        result: {
          ...failed.result,
          problems: [
            {
              kind: "parse-error",
              file: path,
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              message: `IMDS Guard could not analyse this file (internal error, see the IMDS Guard output): ${error instanceof Error ? error.message : String(error)}`,
            },
          ],
        },
      };
    } finally {
      // Only open documents are debounced; workspace files need no entry.
      if (this.host.openDocument(uri)) this.costMs.set(uri, performance.now() - started);
    }
  }

  private publish(uri: string, analysis: DocumentAnalysis, version: number | undefined): void {
    const path = uriToPath(uri);
    const uriOf = (file: string) => (file === path ? uri : pathToUri(file));
    const recorded: RecordedFinding[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const finding of analysis.result.findings) {
      const diagnostic = findingToDiagnostic(finding, uriOf);
      diagnostics.push(diagnostic);
      recorded.push({ ruleId: finding.ruleId, diagnostic, fixes: finding.fixes ?? [] });
    }
    for (const problem of analysis.result.problems) diagnostics.push(problemToDiagnostic(problem));

    if (version !== undefined) this.fixes.record({ uri, version, findings: recorded });
    const hadDiagnostics = (this.published.get(uri)?.total ?? 0) > 0;
    this.published.set(uri, summarise(diagnostics));
    // Clean files on disk are not published (a workspace has many); an open document always is.
    if (version !== undefined || diagnostics.length > 0 || hadDiagnostics) {
      this.host.publishDiagnostics(uri, diagnostics, version);
    }
    this.scheduleStatus();
  }

  /** Coalesces status notifications: a scan publishes hundreds of files in a burst. */
  private scheduleStatus(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      const status: StatusParams = {
        errors: 0,
        warnings: 0,
        infos: 0,
        hints: 0,
        filesWithFindings: 0,
        filesAnalysed: this.published.size,
        scanning: this.scanning,
      };
      for (const entry of this.published.values()) {
        status.errors += entry.counts.errors;
        status.warnings += entry.counts.warnings;
        status.infos += entry.counts.infos;
        status.hints += entry.counts.hints;
        if (entry.total > 0) status.filesWithFindings++;
      }
      this.host.status(status);
    }, 50);
  }
}

function emptyAnalysis(path: string): DocumentAnalysis {
  return { result: { file: path, findings: [], problems: [] }, explainAt: () => undefined };
}

function summarise(diagnostics: readonly Diagnostic[]): Published {
  const counts = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    if (diagnostic.severity === DiagnosticSeverity.Error) counts.errors++;
    else if (diagnostic.severity === DiagnosticSeverity.Warning) counts.warnings++;
    else if (diagnostic.severity === DiagnosticSeverity.Information) counts.infos++;
    else counts.hints++;
  }
  return { counts, total: diagnostics.length };
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ENOTDIR");
}
