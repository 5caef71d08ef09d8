// Typed `imdsGuard.*` settings: the only module that calls `getConfiguration` (STYLE.md 8). The server
// pulls the same object through `workspace/configuration`; its shape is shared in `protocol.ts`.
import * as vscode from "vscode";
import { DEFAULT_IMDS_GUARD_SETTINGS, type ImdsGuardSettings } from "../../server/src/shared/protocol";

export const SECTION = "imdsGuard";

/** The settings the server receives for `scope` (a workspace folder or file; resource-scoped settings differ per folder). */
export function readSettings(scope: vscode.Uri | undefined): ImdsGuardSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const defaults = DEFAULT_IMDS_GUARD_SETTINGS;
  return {
    containers: {
      podsNeedImds: config.get<boolean>("containers.podsNeedImds", defaults.containers.podsNeedImds),
    },
    maxFileSize: config.get<number>("maxFileSize", defaults.maxFileSize),
    scanWorkspace: config.get<boolean>("scanWorkspace", defaults.scanWorkspace),
  };
}

/** Fires when any `imdsGuard.*` setting changes (the language client forwards it to the server by itself). */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) listener();
  });
}

// The Fleet Explorer (`imdsGuard.fleet.*`). Its hop-limit policy is the shared
// `imdsGuard.containers.podsNeedImds`, so the linter and the fleet never disagree about it.

export interface FleetSettings {
  /** Profiles to scan; empty means the default credential chain. */
  profiles: string[];
  /** Regions to scan; empty means every region enabled for the account. */
  regions: string[];
  days: number;
  showCompliant: boolean;
  podsNeedImds: boolean;
}

const FLEET_SECTION = `${SECTION}.fleet`;

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim())
    : [];
}

export function readFleetSettings(): FleetSettings {
  const config = vscode.workspace.getConfiguration(FLEET_SECTION);
  const days = config.get<number>("days", 14);
  return {
    profiles: stringList(config.get("profiles")),
    regions: stringList(config.get("regions")),
    days: Number.isFinite(days) && days >= 1 ? Math.min(455, Math.round(days)) : 14,
    showCompliant: config.get<boolean>("showCompliant", false) === true,
    podsNeedImds: readSettings(undefined).containers.podsNeedImds,
  };
}

export async function saveProfiles(profiles: string[]): Promise<void> {
  await vscode.workspace
    .getConfiguration(FLEET_SECTION)
    .update("profiles", profiles, vscode.ConfigurationTarget.Global);
}

export function onFleetSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (
      event.affectsConfiguration(FLEET_SECTION) ||
      event.affectsConfiguration("imdsGuard.containers.podsNeedImds")
    )
      listener();
  });
}
