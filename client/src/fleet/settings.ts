// The Fleet Explorer's settings (`imdsGuard.fleet.*`), typed in one place. The hop-limit policy is
// the shared `imdsGuard.containers.podsNeedImds`, read through client/src/config.ts so the linter
// and the fleet never disagree about it.

import * as vscode from "vscode";
import { readSettings } from "../config";

export interface FleetSettings {
  /** Profiles to scan; empty means the default credential chain. */
  profiles: string[];
  /** Regions to scan; empty means every region enabled for the account. */
  regions: string[];
  days: number;
  showCompliant: boolean;
  podsNeedImds: boolean;
}

const SECTION = "imdsGuard.fleet";

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim())
    : [];
}

export function readFleetSettings(): FleetSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
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
    .getConfiguration(SECTION)
    .update("profiles", profiles, vscode.ConfigurationTarget.Global);
}

export function onFleetSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (
      event.affectsConfiguration(SECTION) ||
      event.affectsConfiguration("imdsGuard.containers.podsNeedImds")
    )
      listener();
  });
}
