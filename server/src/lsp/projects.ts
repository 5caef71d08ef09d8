// Workspace folders and their `.imds-guard.yaml`. A file belongs to the innermost folder that holds it;
// the folder's config is found and parsed by the engine's `loadConfig` (the CLI reads it the same way,
// DESIGN.md), and `relativePath` (for `exclude` / `ignore[].paths`) is taken from the config file's folder.
import { basename, dirname, isAbsolute, relative, sep } from "node:path";
import {
  CONFIG_FILE_NAMES,
  ConfigError,
  type ConfigWarning,
  createGlobMatcher,
  EMPTY_CONFIG,
  type LoadedConfig,
  type ProjectConfig,
} from "../engine/config";
import type { Range } from "../engine/types";
import { relativeInside } from "../project/walk";
import { describeError } from "./errors";
import { uriToPath } from "./uris";

export interface WorkspaceFolderInfo {
  uri: string;
  path: string;
}

export interface FileContext {
  folder: WorkspaceFolderInfo | undefined;
  config: ProjectConfig;
  relativePath: string | undefined;
  /** The config's `exclude` globs match this file: it is not analysed at all. */
  excluded: boolean;
}

/** A message about a config file, to show on that file. */
export interface ConfigMessage {
  file: string;
  range: Range;
  message: string;
  severity: "error" | "warning";
}

interface LoadedProject {
  config: ProjectConfig;
  /** Folder that `exclude` / `ignore[].paths` globs are relative to. */
  base: string;
  matchesExclude: (relativePath: string) => boolean;
  file: string | undefined;
}

export class WorkspaceProjects {
  private folders: WorkspaceFolderInfo[] = [];
  private readonly loaded = new Map<string, LoadedProject>();
  /** Config files that have messages shown, to clear them when the config changes. */
  private readonly reported = new Set<string>();

  /**
   * `load` is the engine's `loadConfig`; `report` shows a config file's warnings and errors on that file
   * (an empty list clears them).
   */
  constructor(
    private readonly load: (folderPath: string) => LoadedConfig,
    private readonly report: (file: string, messages: ConfigMessage[]) => void,
    private readonly logError: (message: string) => void,
  ) {}

  setFolders(folders: readonly { uri: string }[]): void {
    // Innermost first, so nested folders win in `folderOf`.
    this.folders = folders
      .map((folder) => ({ uri: folder.uri, path: uriToPath(folder.uri) }))
      .filter((folder) => isAbsolute(folder.path))
      .sort((a, b) => b.path.length - a.path.length);
    this.loaded.clear();
  }

  list(): readonly WorkspaceFolderInfo[] {
    return this.folders;
  }

  folderOf(path: string): WorkspaceFolderInfo | undefined {
    return this.folders.find((folder) => path === folder.path || path.startsWith(folder.path + sep));
  }

  contextOf(path: string): FileContext {
    const folder = this.folderOf(path);
    if (!folder) return { folder, config: EMPTY_CONFIG, relativePath: undefined, excluded: false };
    const project = this.projectOf(folder);
    const relativePath = relative(project.base, path).split(sep).join("/");
    return { folder, config: project.config, relativePath, excluded: this.isExcluded(path, false) };
  }

  /** The config's `exclude` globs match `path` (a folder matches `dir/` patterns too), as in the CLI. */
  isExcluded(path: string, isDirectory: boolean): boolean {
    const folder = this.folderOf(path);
    if (!folder) return false;
    const project = this.projectOf(folder);
    const relativePath = relativeInside(project.base, path);
    return (
      relativePath !== undefined && project.matchesExclude(isDirectory ? `${relativePath}/` : relativePath)
    );
  }

  isConfigFile(path: string): boolean {
    return (CONFIG_FILE_NAMES as readonly string[]).includes(basename(path));
  }

  /** A config file changed, appeared or went away: forget every folder's config (it may sit above a folder). */
  configChanged(): void {
    this.loaded.clear();
    for (const file of this.reported) this.report(file, []);
    this.reported.clear();
  }

  private show(file: string, messages: ConfigMessage[]): void {
    if (messages.length === 0 && !this.reported.has(file)) return;
    this.reported.add(file);
    this.report(file, messages);
  }

  private projectOf(folder: WorkspaceFolderInfo): LoadedProject {
    let project = this.loaded.get(folder.path);
    if (!project) {
      project = this.read(folder);
      this.loaded.set(folder.path, project);
    }
    return project;
  }

  private read(folder: WorkspaceFolderInfo): LoadedProject {
    const fallback = (file: string | undefined): LoadedProject => ({
      config: EMPTY_CONFIG,
      base: folder.path,
      matchesExclude: () => false,
      file,
    });
    try {
      const loaded = this.load(folder.path);
      if (loaded.file) this.show(loaded.file, loaded.warnings.map(warningMessage));
      return {
        config: loaded.config,
        base: loaded.file ? dirname(loaded.file) : folder.path,
        matchesExclude: createGlobMatcher(loaded.config.exclude),
        file: loaded.file,
      };
    } catch (error) {
      if (error instanceof ConfigError) {
        // An unusable config is shown on the config file; linting goes on with the defaults.
        const range = error.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        this.show(error.file, [
          { file: error.file, range, message: `${error.detail} (using the defaults)`, severity: "error" },
        ]);
        return fallback(error.file);
      }
      this.logError(`Cannot load the IMDS Guard config for ${folder.path}: ${describeError(error)}`);
      return fallback(undefined);
    }
  }
}

function warningMessage(warning: ConfigWarning): ConfigMessage {
  return { ...warning, severity: "warning" };
}
