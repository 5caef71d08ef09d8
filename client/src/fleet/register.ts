// Entry point of the Fleet Explorer for client/src/extension.ts: the tree view `imdsGuard.fleet`,
// its commands and status-bar count. The AWS work happens in the language server (custom requests
// in server/src/shared/fleetProtocol.ts); nothing here loads the AWS SDK or reads credentials.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { onFleetSettingsChanged, readFleetSettings } from "../config";
import { registerFleetCommands } from "./commands";
import { FleetExplorer, VIEW_ID } from "./explorer";
import type { FleetNode } from "./nodes";

export function registerFleetExplorer(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  log: vscode.LogOutputChannel,
): void {
  const explorer = new FleetExplorer(client, log);
  const view = vscode.window.createTreeView<FleetNode>(VIEW_ID, {
    treeDataProvider: explorer,
    canSelectMany: true,
    showCollapseAll: true,
  });
  context.subscriptions.push(
    explorer,
    view,
    ...registerFleetCommands({ explorer, client, log }),
    onFleetSettingsChanged(() => {
      explorer.syncAccounts(readFleetSettings());
      void explorer.refresh();
    }),
  );
}
