// The language client: starts the bundled server over IPC and answers `workspace/configuration` with
// the typed settings of `config.ts` (vscode-eslint's `readConfiguration`).
import * as vscode from "vscode";
import {
  type DocumentSelector,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { DIAGNOSTIC_SOURCE } from "../../server/src/shared/protocol";
import { readSettings, SECTION } from "./config";

/**
 * What the server lints: YAML/JSON CloudFormation and CDK output (`cdk.out/*.template.json`), classic
 * `*.template` files whatever language VS Code gave them, and Terraform for the rules that read it.
 * The server recognises CloudFormation by content (DESIGN.md), so other YAML/JSON files come back clean.
 */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { language: "yaml" },
  { language: "json" },
  { language: "jsonc" },
  { language: "terraform" },
  { pattern: "**/*.template" },
];

export function createLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): LanguageClient {
  const module = context.asAbsolutePath("dist/server/server.js");
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6019"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    diagnosticCollectionName: DIAGNOSTIC_SOURCE,
    // The server's `connection.console` and the client's own messages land in the one output channel.
    outputChannel: log,
    middleware: {
      workspace: {
        configuration: (params, token, next) => {
          const answers = params.items.map((item) =>
            item.section === SECTION
              ? readSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : undefined,
          );
          if (params.items.every((item) => item.section === SECTION)) return answers;
          return Promise.resolve(next(params, token)).then((fallback) =>
            Array.isArray(fallback) ? answers.map((answer, i) => answer ?? fallback[i]) : answers,
          );
        },
      },
    },
  };
  // The id `imdsGuard` makes the client read `imdsGuard.trace.server`.
  return new LanguageClient("imdsGuard", "IMDS Guard", serverOptions, clientOptions);
}
