// Activation: one output channel, the language client, the status bar and the commands (a thin client,
// STYLE.md 5: findings and fixes come from the server).
import * as vscode from "vscode";
import { type LanguageClient, State } from "vscode-languageclient/node";
import { STATUS_NOTIFICATION, type StatusParams } from "../../server/src/shared/protocol";
import { registerCommands } from "./commands";
import { onSettingsChanged } from "./config";
import { registerFleetExplorer } from "./fleet/register";
import { createLanguageClient } from "./languageClient";
import { FindingsStatusBar } from "./statusBar";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("IMDS Guard", { log: true });
  const statusBar = new FindingsStatusBar();
  client = createLanguageClient(context, log);
  const languageClient = client;
  context.subscriptions.push(
    log,
    statusBar,
    ...registerCommands({ client: languageClient, log }),
    languageClient.onDidChangeState((event) => statusBar.serverState(event.newState)),
    languageClient.onNotification(STATUS_NOTIFICATION, (status: StatusParams) => statusBar.update(status)),
    onSettingsChanged(() => log.info("Settings changed; the server re-lints with them.")),
  );
  // Registered before the server starts so the view has its provider as soon as it is shown.
  registerFleetExplorer(context, languageClient, log);
  try {
    await languageClient.start();
  } catch (error) {
    log.error("The IMDS Guard language server did not start", error);
    statusBar.serverState(State.Stopped);
    void vscode.window.showErrorMessage("IMDS Guard: the language server did not start; see the output.");
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
