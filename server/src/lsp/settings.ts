// Editor settings (`imdsGuard.*`) as the server sees them: pulled per workspace folder through
// `workspace/configuration`, cached until `workspace/didChangeConfiguration`, turned into the
// engine's settings. Clients without `workspace/configuration` (some LSP editors) push the section
// in `didChangeConfiguration` instead; both paths go through `normaliseSettings`.
import type { ProjectConfig } from "../engine/config";
import type { EngineSettings } from "../engine/types";
import { DEFAULT_IMDS_GUARD_SETTINGS, type ImdsGuardSettings } from "../shared/protocol";
import { describeError } from "./errors";

/** Reads whatever a client sent; anything missing or of the wrong type falls back to the default. */
export function normaliseSettings(raw: unknown): ImdsGuardSettings {
  const section = isRecord(raw) ? raw : {};
  const containers = isRecord(section.containers) ? section.containers : {};
  const defaults = DEFAULT_IMDS_GUARD_SETTINGS;
  return {
    containers: {
      podsNeedImds:
        typeof containers.podsNeedImds === "boolean"
          ? containers.podsNeedImds
          : defaults.containers.podsNeedImds,
    },
    maxFileSize:
      typeof section.maxFileSize === "number" &&
      Number.isFinite(section.maxFileSize) &&
      section.maxFileSize > 0
        ? section.maxFileSize
        : defaults.maxFileSize,
    scanWorkspace:
      typeof section.scanWorkspace === "boolean" ? section.scanWorkspace : defaults.scanWorkspace,
  };
}

/**
 * The engine settings for a file: the repository's `.imds-guard.yaml` wins over the editor settings,
 * so the editor reports what CI (the CLI reading the same file) reports.
 */
export function toEngineSettings(settings: ImdsGuardSettings, config: ProjectConfig): EngineSettings {
  return {
    podsNeedImds: config.podsNeedImds ?? settings.containers.podsNeedImds,
    maxFileBytes: config.maxFileBytes ?? settings.maxFileSize,
  };
}

/** Asks the client for the `imdsGuard` section; resolves `undefined` when the client cannot answer. */
export type ConfigurationFetcher = (scopeUri: string | undefined) => Promise<unknown>;

/** Settings per workspace folder (the scope VS Code resolves resource settings at). */
export class SettingsStore {
  private readonly byScope = new Map<string, Promise<ImdsGuardSettings>>();
  private pushed: ImdsGuardSettings | undefined;

  constructor(
    private readonly fetch: ConfigurationFetcher,
    private readonly logError: (message: string) => void,
  ) {}

  get(scopeUri: string | undefined): Promise<ImdsGuardSettings> {
    const key = scopeUri ?? "";
    let settings = this.byScope.get(key);
    if (!settings) {
      settings = this.load(scopeUri);
      this.byScope.set(key, settings);
    }
    return settings;
  }

  /** `didChangeConfiguration`: forget everything; `pushedSection` is `settings.imdsGuard` when a client pushes it. */
  reset(pushedSection: unknown): void {
    this.byScope.clear();
    if (pushedSection !== undefined) this.pushed = normaliseSettings(pushedSection);
  }

  private async load(scopeUri: string | undefined): Promise<ImdsGuardSettings> {
    try {
      const raw = await this.fetch(scopeUri);
      // No `workspace/configuration`, or a client without an `imdsGuard` section (null): use what it pushed.
      return raw === null || raw === undefined
        ? (this.pushed ?? DEFAULT_IMDS_GUARD_SETTINGS)
        : normaliseSettings(raw);
    } catch (error) {
      this.logError(`workspace/configuration failed, using defaults: ${describeError(error)}`);
      return this.pushed ?? DEFAULT_IMDS_GUARD_SETTINGS;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
