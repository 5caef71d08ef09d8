// The code-server scenarios again, through the VS Code API inside a desktop VS Code's extension
// host (@vscode/test-electron loads this file and calls `run`). Same fixtures, same expectations:
// diagnostics with rule ids and lines, the hover's resolution chain, a quick fix, Fix All, the
// CDK construct path, and the Fleet Explorer's view. Ends with the plain "N passed, N failed" line.
import assert from "node:assert/strict";
import * as vscode from "vscode";

const EXTENSION_ID = "imds-guard.imds-guard";

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("the test workspace is not open");
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** The extension's diagnostics for a file as `IMDS00n severity line:column` (1-based), in file order. */
function findings(uri: vscode.Uri): string[] {
  const severity = ["error", "warning", "info", "hint"];
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === "imds-guard")
    .sort((a, b) => a.range.start.compareTo(b.range.start))
    .map((d) => {
      const code = typeof d.code === "object" ? d.code.value : d.code;
      return `${code} ${severity[d.severity]} ${d.range.start.line + 1}:${d.range.start.character + 1}`;
    });
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function open(relative: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(relative));
  await vscode.window.showTextDocument(document);
  return document;
}

async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  return (
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      uri,
      range,
      kind,
    )) ?? []
  );
}

const scenarios: [string, () => Promise<void>][] = [
  [
    "the extension activates",
    async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is not installed`);
      await extension.activate();
      assert.ok(extension.isActive);
    },
  ],
  [
    "a CloudFormation template gets its findings with rule ids and lines, and the hover explains them",
    async () => {
      const document = await open("cfn/three-launch-paths.yaml");
      const listed = await waitFor("three findings", () => {
        const current = findings(document.uri);
        return current.length >= 3 ? current : undefined;
      });
      assert.deepEqual(listed, ["IMDS002 warning 4:3", "IMDS001 error 16:21", "IMDS002 warning 22:7"]);
      const hovers =
        (await vscode.commands.executeCommand<vscode.Hover[]>(
          "vscode.executeHoverProvider",
          document.uri,
          new vscode.Position(21, 6),
        )) ?? [];
      const text = hovers
        .flatMap((hover) => hover.contents)
        .map((content) => (typeof content === "string" ? content : content.value))
        .join("\n");
      assert.match(text, /HttpTokens \| optional \| not set on this launch configuration/);
      assert.match(text, /account default.*AMI.*EC2's default/s);
    },
  ],
  [
    "the quick fix sets HttpTokens to required and the finding goes",
    async () => {
      const document = await open("cfn/web-server.yaml");
      await waitFor("IMDS001", () =>
        findings(document.uri).includes("IMDS001 error 10:21") ? true : undefined,
      );
      const line = document.lineAt(9).range;
      const fix = (await codeActions(document.uri, line, vscode.CodeActionKind.QuickFix.value)).find(
        (action) => action.title === "Set HttpTokens to required",
      );
      assert.ok(fix?.edit, "no quick fix 'Set HttpTokens to required'");
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(document.lineAt(9).text, "        HttpTokens: required");
      await waitFor("no finding", () => (findings(document.uri).length === 0 ? true : undefined));
    },
  ],
  [
    "Fix All fixes every finding of the template",
    async () => {
      const document = await open("cfn/three-launch-paths.yaml");
      await waitFor("three findings", () => (findings(document.uri).length === 3 ? true : undefined));
      const whole = new vscode.Range(0, 0, document.lineCount, 0);
      const [fixAll] = await codeActions(document.uri, whole, "source.fixAll.imds-guard");
      assert.ok(fixAll?.edit, "no source.fixAll.imds-guard action");
      assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      await waitFor("no finding", () => (findings(document.uri).length === 0 ? true : undefined));
      assert.equal(document.getText().match(/HttpTokens: required/g)?.length, 3);
    },
  ],
  [
    "a cdk.out template's finding names the construct path",
    async () => {
      const document = await open("cdk/cdk.out/AppStack.template.json");
      const diagnostics = await waitFor("a finding", () => {
        const current = vscode.languages
          .getDiagnostics(document.uri)
          .filter((d) => d.source === "imds-guard");
        return current.length > 0 ? current : undefined;
      });
      assert.deepEqual(findings(document.uri), ["IMDS002 warning 15:5"]);
      assert.match(diagnostics[0]?.message ?? "", /AppStack\/WebServer\/Resource/);
    },
  ],
  [
    "the Fleet Explorer view can be shown",
    async () => {
      const commands = await vscode.commands.getCommands(true);
      assert.ok(commands.includes("imdsGuard.fleet.focus"), "no view imdsGuard.fleet is contributed");
      await vscode.commands.executeCommand("imdsGuard.fleet.focus");
    },
  ],
];

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const [name, scenario] of scenarios) {
    try {
      await scenario();
      passed += 1;
      console.log(`ok - ${name}`);
    } catch (error) {
      failed += 1;
      console.log(
        `not ok - ${name}\n  ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} scenario(s) failed`);
}
