// Which files `imds-guard` looks at. The engine decides from the content what is CloudFormation;
// this only picks candidates by extension and leaves out what a repository never wants linted.
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";

/** Extensions that can hold a CloudFormation template (`*.template` is CloudFormation's own). */
const CANDIDATE_EXTENSIONS = [".yaml", ".yml", ".json", ".template"];

/** Never entered while walking: version control, dependencies, Terraform's provider cache. */
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules", ".terraform"]);

/**
 * CDK's synthesised templates live in `cdk.out`, which CDK projects put in `.gitignore`; it is
 * exactly what DESIGN.md wants linted, so `.gitignore` does not apply inside it.
 */
const CDK_OUTPUT_DIRECTORY = "cdk.out";

export interface WalkResult {
  /** Absolute paths, each once, in the order given and then by name. */
  files: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Folders or files found but not readable, with the reason. */
  unreadable: { path: string; reason: string }[];
}

/** Also used by the language server's workspace scan, so editor and CLI pick the same files. */
export function isCandidateFile(path: string): boolean {
  const lower = path.toLowerCase();
  return CANDIDATE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

interface GitignoreLevel {
  dir: string;
  rules: Ignore;
}

/** `.gitignore` files that apply to a folder, shallowest first, so deeper files win as in git. */
class GitignoreStack {
  private readonly cache = new Map<string, GitignoreLevel | null>();

  private level(dir: string): GitignoreLevel | null {
    let level = this.cache.get(dir);
    if (level === undefined) {
      level = null;
      const file = join(dir, ".gitignore");
      try {
        if (existsSync(file)) level = { dir, rules: ignore().add(readFileSync(file, "utf8")) };
      } catch {
        // An unreadable .gitignore hides nothing; linting a file too many beats skipping one silently.
      }
      this.cache.set(dir, level);
    }
    return level;
  }

  /** Levels from the repository root (or `top` when not in a repository) down to `dir`. */
  levelsFor(dir: string, top: string): GitignoreLevel[] {
    const chain: string[] = [];
    for (let current = dir; ; current = dirname(current)) {
      chain.unshift(current);
      if (current === top || dirname(current) === current) break;
    }
    return chain.map((d) => this.level(d)).filter((l): l is GitignoreLevel => l !== null);
  }

  isIgnored(path: string, isDirectory: boolean, levels: GitignoreLevel[]): boolean {
    let ignored = false;
    for (const { dir, rules } of levels) {
      const rel = relativeInside(dir, path);
      if (rel === undefined) continue;
      const verdict = rules.test(isDirectory ? `${rel}/` : rel);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}

/** The folder holding `.git` above `dir`, or undefined outside a repository. */
export function findGitRoot(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, ".git"))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * Expands `paths` (files or folders, relative to `cwd`) into the files to analyse.
 * A file named on the command line is analysed whatever its extension or `.gitignore` says (the
 * person asked for it); `isExcluded` (the config's `exclude`) applies to everything, so
 * pre-commit hooks that pass file lists honour it too.
 */
export function collectFiles(
  paths: readonly string[],
  cwd: string,
  isExcluded: (absolutePath: string, isDirectory: boolean) => boolean,
): WalkResult {
  const result: WalkResult = { files: [], missing: [], unreadable: [] };
  const seen = new Set<string>();
  const gitignores = new GitignoreStack();
  const addFile = (file: string) => {
    if (!seen.has(file) && !isExcluded(file, false)) {
      seen.add(file);
      result.files.push(file);
    }
  };

  for (const given of paths) {
    const start = resolve(cwd, given);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(start);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") result.missing.push(given);
      else result.unreadable.push({ path: given, reason: (error as Error).message });
      continue;
    }
    if (!stats.isDirectory()) {
      addFile(start);
      continue;
    }
    const top = findGitRoot(start) ?? start;
    // Depth-first with an explicit stack: deep trees cannot overflow the call stack.
    const pending: { dir: string; inCdkOut: boolean }[] = [
      { dir: start, inCdkOut: start.split(sep).includes(CDK_OUTPUT_DIRECTORY) },
    ];
    while (pending.length > 0) {
      const { dir, inCdkOut } = pending.pop() as { dir: string; inCdkOut: boolean };
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (error) {
        result.unreadable.push({ path: dir, reason: (error as Error).message });
        continue;
      }
      const levels = inCdkOut ? [] : gitignores.levelsFor(dir, top);
      const subdirs: { dir: string; inCdkOut: boolean }[] = [];
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const path = join(dir, entry.name);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          // Follow links to files; never links to folders (cycles, and trees outside the repository).
          try {
            isFile = statSync(path).isFile();
          } catch {
            isFile = false;
          }
          isDirectory = false;
        }
        if (isDirectory) {
          if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
          const entersCdkOut = inCdkOut || entry.name === CDK_OUTPUT_DIRECTORY;
          if (!entersCdkOut && gitignores.isIgnored(path, true, levels)) continue;
          if (isExcluded(path, true)) continue;
          subdirs.push({ dir: path, inCdkOut: entersCdkOut });
        } else if (isFile && isCandidateFile(entry.name)) {
          if (!inCdkOut && gitignores.isIgnored(path, false, levels)) continue;
          addFile(path);
        }
      }
      // Reverse so the stack pops them in name order: output order is stable and readable.
      pending.push(...subdirs.reverse());
    }
  }
  return result;
}

/** `/`-separated path of `path` relative to `base`, or undefined when it lies outside `base`. */
export function relativeInside(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}
