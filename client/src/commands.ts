// Every `imdsGuard.*` command of the language part, registered in one place (STYLE.md 9). The fleet
// commands are registered by `fleet/register.ts`. Commands are plain functions of the context.
import * as vscode from "vscode";
import { type LanguageClient, State } from "vscode-languageclient/node";
import { LINT_WORKSPACE_REQUEST, type LintWorkspaceResult } from "../../server/src/shared/protocol";

export interface CommandContext {
  client: LanguageClient;
  log: vscode.LogOutputChannel;
}

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("imdsGuard.lintWorkspace", () => lintWorkspace(context)),
    vscode.commands.registerCommand("imdsGuard.showOutput", () => context.log.show(true)),
  ];
}

/** Re-scans every workspace folder in the server (it shows its own progress) and says what it found. */
async function lintWorkspace({ client, log }: CommandContext): Promise<void> {
  if (client.state !== State.Running) {
    void vscode.window.showWarningMessage("IMDS Guard: the language server is not running; see the output.");
    return;
  }
  try {
    const result = await client.sendRequest<LintWorkspaceResult | null>(LINT_WORKSPACE_REQUEST);
    if (!result) {
      void vscode.window.showErrorMessage("IMDS Guard: linting the workspace failed; see the output.");
      return;
    }
    log.info(
      `Lint workspace: ${result.filesAnalysed} files, ${result.filesWithFindings} with findings, ${result.durationMs} ms`,
    );
    void vscode.window.showInformationMessage(
      `IMDS Guard: ${result.filesAnalysed} files linted, ${result.filesWithFindings} with findings.`,
    );
  } catch (error) {
    log.error("Lint workspace failed", error);
    void vscode.window.showErrorMessage(`IMDS Guard: linting the workspace failed: ${String(error)}`);
  }
}
