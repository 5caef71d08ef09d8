// The status-bar item: the server's finding count (`imdsGuard/status`); a click opens the Problems panel.
import * as vscode from "vscode";
import { State } from "vscode-languageclient/node";
import type { StatusParams } from "../../server/src/shared/protocol";

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    "imdsGuard.status",
    vscode.StatusBarAlignment.Left,
    10,
  );

  constructor() {
    this.item.name = "IMDS Guard";
    this.item.command = "workbench.actions.view.problems";
    this.item.text = "$(loading~spin) IMDS";
    this.item.tooltip = "IMDS Guard: starting the language server";
    this.item.show();
  }

  update(status: StatusParams): void {
    const findings = status.errors + status.warnings + status.infos + status.hints;
    const icon = status.scanning ? "$(sync~spin)" : findings > 0 ? "$(shield)" : "$(pass)";
    this.item.text = `${icon} IMDS ${findings}`;
    this.item.tooltip = new vscode.MarkdownString(
      [
        `**IMDS Guard**${status.scanning ? " (scanning the workspace…)" : ""}`,
        "",
        `${status.errors} errors, ${status.warnings} warnings, ${status.infos} infos, ${status.hints} hints`,
        `in ${status.filesWithFindings} of ${status.filesAnalysed} files analysed.`,
        "",
        "Click to open the Problems panel.",
      ].join("\n"),
    );
    this.item.backgroundColor =
      status.errors > 0 ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
  }

  serverState(state: State): void {
    if (state === State.Stopped) {
      this.item.text = "$(error) IMDS";
      this.item.tooltip = "IMDS Guard: the language server is not running. See “IMDS Guard: Show Output”.";
      this.item.command = "imdsGuard.showOutput";
    } else {
      this.item.command = "workbench.actions.view.problems";
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
