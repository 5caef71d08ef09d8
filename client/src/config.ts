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
