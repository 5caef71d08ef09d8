// The background scan of every workspace folder at start-up (and on `imdsGuard/lintWorkspace`):
// walk the candidate files, lint each through the validator (which skips files unchanged since the
// last scan), report `$/progress`, and yield to the event loop between files so open documents,
// hovers and code actions are still answered while a large repository is scanned.
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, extname, join, sep } from "node:path";

/** CloudFormation and CDK output live in these; `.template` is the classic CloudFormation extension. */
const CANDIDATE_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".template"]);
/** Never templates, often huge. `cdk.out` is deliberately not here: it is CDK's synthesized CloudFormation. */
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules", ".terraform"]);

export function isCandidateFile(path: string): boolean {
  if (!CANDIDATE_EXTENSIONS.has(extname(path).toLowerCase())) return false;
  return !path.split(sep).some((segment) => SKIPPED_DIRECTORIES.has(segment));
}

/** Every candidate file under `root`, depth first; unreadable directories are reported and skipped. */
export async function listCandidateFiles(
  root: string,
  onError: (message: string) => void,
): Promise<string[]> {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      onError(`Cannot list ${directory}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      // Symbolic links are not followed: a link cycle must not hang the scan.
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path);
      } else if (entry.isFile() && CANDIDATE_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        files.push(path);
      }
    }
  }
  return files.sort();
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
    private readonly lint: (path: string) => Promise<void>,
    private readonly createProgress: () => Promise<ScanProgress>,
    private readonly onScanning: (scanning: boolean) => void,
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
      for (const root of this.roots()) files.push(...(await listCandidateFiles(root, this.logError)));
      return await scanFiles(files, this.lint, await this.createProgress());
    } finally {
      this.onScanning(false);
    }
  }
}
