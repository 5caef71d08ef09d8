// The background scan of every workspace folder at start-up (and on `imdsGuard/lintWorkspace`):
// walk the candidate files, lint each through the validator (which skips files unchanged since the
// last scan), report `$/progress`, and yield to the event loop between files so open documents,
// hovers and code actions are still answered while a large repository is scanned.
import { basename, sep } from "node:path";
import { collectFiles, isCandidateFile as hasCandidateExtension } from "../project/walk";

/**
 * The walker's folders that never hold templates. The scan itself uses the CLI's `collectFiles`
 * (same `.gitignore`, `exclude` and `cdk.out` rules as CI); this only filters file-watcher events.
 */
const NEVER_WALKED = new Set([".git", "node_modules", ".terraform"]);

/** A path a file watcher reported that the scan would have linted (extension, not in a skipped folder). */
export function isCandidateFile(path: string): boolean {
  return hasCandidateExtension(path) && !path.split(sep).some((segment) => NEVER_WALKED.has(segment));
}

/**
 * Every candidate file under `root`, exactly as `imds-guard <root>` would pick them: `.git`,
 * `node_modules`, `.terraform` and `.gitignore`d paths skipped, `cdk.out` kept, `exclude` applied.
 */
export function listCandidateFiles(
  root: string,
  isExcluded: (path: string, isDirectory: boolean) => boolean,
  onError: (message: string) => void,
): string[] {
  const walk = collectFiles([root], root, isExcluded);
  for (const { path, reason } of walk.unreadable) onError(`Cannot list ${path}: ${reason}`);
  return walk.files;
}

export interface ScanProgress {
  begin(title: string, percentage: number, message: string): void;
  report(percentage: number, message: string): void;
  done(): void;
  readonly cancelled: boolean;
}

export interface ScanSummary {
  filesAnalysed: number;
  durationMs: number;
  cancelled: boolean;
}

/** Lints `files` one by one with progress; `lint` never throws (the validator logs its own errors). */
export async function scanFiles(
  files: readonly string[],
  lint: (path: string) => Promise<void>,
  progress: ScanProgress,
): Promise<ScanSummary> {
  const started = performance.now();
  progress.begin("IMDS Guard: linting workspace", 0, `${files.length} files`);
  let lastReport = 0;
  let done = 0;
  for (const file of files) {
    if (progress.cancelled) break;
    await lint(file);
    done++;
    // Throttled: a progress message per file would flood the client on a big monorepo.
    const now = performance.now();
    if (now - lastReport > 200 || done === files.length) {
      lastReport = now;
      progress.report(
        Math.floor((done / Math.max(files.length, 1)) * 100),
        `${done}/${files.length} ${basename(file)}`,
      );
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  progress.done();
  return { filesAnalysed: done, durationMs: performance.now() - started, cancelled: progress.cancelled };
}

/**
 * One scan at a time: a scan requested while one runs (a settings change, the command) waits for it
 * and then runs once for all waiting callers, so a burst of requests costs one extra pass.
 */
export class WorkspaceScanner {
  private running: Promise<ScanSummary> | undefined;
  private queued: Promise<ScanSummary> | undefined;

  constructor(
    private readonly roots: () => readonly string[],
    private readonly isExcluded: (path: string, isDirectory: boolean) => boolean,
    private readonly lint: (path: string) => Promise<void>,
    private readonly createProgress: () => Promise<ScanProgress>,
    private readonly onScanning: (scanning: boolean) => void,
    /** After a complete scan: the files it covered, so diagnostics of files it no longer covers can go. */
    private readonly onScanned: (files: ReadonlySet<string>) => void,
    private readonly logError: (message: string) => void,
  ) {}

  scan(): Promise<ScanSummary> {
    if (!this.running) {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    if (!this.queued) {
      this.queued = this.running.then(() => {
        this.queued = undefined;
        return this.scan();
      });
    }
    return this.queued;
  }

  private async runOnce(): Promise<ScanSummary> {
    this.onScanning(true);
    try {
      const files: string[] = [];
      for (const root of this.roots())
        files.push(...listCandidateFiles(root, this.isExcluded, this.logError));
      const summary = await scanFiles(files, this.lint, await this.createProgress());
      if (!summary.cancelled) this.onScanned(new Set(files));
      return summary;
    } finally {
      this.onScanning(false);
    }
  }
}
