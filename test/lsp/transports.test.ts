// The VS Code client starts the server with `--node-ipc` (TransportKind.ipc), other editors with
// `--stdio`: the same bundle must answer over both.
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShutdownRequest,
} from "vscode-languageserver-protocol/node";
import { LSP_FIXTURES, SERVER_BUNDLE } from "./lspSession";

test("over IPC: initialize, open a template, receive its IMDS001 diagnostic, shut down cleanly", async () => {
  const child = fork(SERVER_BUNDLE, ["--node-ipc"], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) =>
    connection.onNotification(PublishDiagnosticsNotification.type, resolve),
  );
  connection.listen();
  try {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    });
    assert.equal(result.serverInfo?.name, "imds-guard");
    await connection.sendNotification(InitializedNotification.type, {});
    const path = join(LSP_FIXTURES, "launch-template-tokens-optional.yaml");
    const uri = pathToFileURL(path).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "yaml", version: 1, text: readFileSync(path, "utf8") },
    });
    const published = await Promise.race([
      diagnostics,
      exited.then((code) => assert.fail(`server exited with ${code}: ${stderr}`)),
    ]);
    assert.equal(published.uri, uri);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ["IMDS001"],
    );
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    child.kill();
  }
});
