// The workspace side over the real protocol: the start-up scan with `$/progress`, `cdk.out` kept and
// `node_modules` skipped, file watchers, `.imds-guard.yaml`, the lint-workspace request, and an editor
// that offers none of the optional client capabilities.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type Diagnostic, FileChangeType } from "vscode-languageserver-protocol/node";
import { DEFAULT_IMDS_GUARD_SETTINGS } from "../../server/src/shared/protocol";
import { LSP_FIXTURES, LspSession, messageOf } from "./lspSession";

const optionalTemplate = readFileSync(join(LSP_FIXTURES, "launch-template-tokens-optional.yaml"), "utf8");
const requiredTemplate = readFileSync(join(LSP_FIXTURES, "launch-template-tokens-required.yaml"), "utf8");
const hasRule = (ruleId: string) => (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === ruleId);

/** A fresh copy per suite: the tests write files, and the fixtures must stay as they are. */
function makeWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), "imds-guard-lsp-"));
  mkdirSync(join(root, "templates"));
  writeFileSync(join(root, "templates/web.yaml"), optionalTemplate);
  writeFileSync(join(root, "templates/clean.yaml"), requiredTemplate);
  cpSync(join(LSP_FIXTURES, "two-templates-tokens-optional.json"), join(root, "cdk.out/App.template.json"), {
    recursive: true,
  });
  mkdirSync(join(root, "node_modules/some-package"), { recursive: true });
  writeFileSync(join(root, "node_modules/some-package/template.yaml"), optionalTemplate);
  writeFileSync(join(root, "README.md"), "HttpTokens: optional\n");
  // Ignored by git, so skipped as the CLI skips it; cdk.out is ignored too but always linted.
  writeFileSync(join(root, ".gitignore"), "cdk.out/\ngenerated/\n");
  mkdirSync(join(root, "generated"));
  writeFileSync(join(root, "generated/template.yaml"), optionalTemplate);
  return root;
}

const uriOf = (root: string, relativePath: string) => pathToFileURL(join(root, relativePath)).href;

describe("language server: workspace", () => {
  let root: string;
  let session: LspSession;

  before(async () => {
    root = makeWorkspace();
    session = await LspSession.start({ rootPath: root });
  });

  after(async () => {
    await session.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test("lints every candidate file at start-up without opening it, with $/progress", async () => {
    await session.diagnostics(uriOf(root, "templates/web.yaml"), hasRule("IMDS001"));
    const cdk = await session.diagnostics(uriOf(root, "cdk.out/App.template.json"), hasRule("IMDS001"));
    assert.equal(cdk.filter((d) => d.code === "IMDS001").length, 2);
    const kinds = await session.waitFor("the scan's progress to end", () => {
      const kinds = session.progress.map((p) => p.value.kind);
      return kinds.includes("end") ? kinds : undefined;
    });
    assert.equal(kinds[0], "begin");
    assert.ok(kinds.includes("report"));
    assert.ok(session.registrations.includes("workspace/didChangeWatchedFiles"));
  });

  test("skips node_modules and .gitignored folders, publishes nothing for clean or non-template files", async () => {
    await session.waitFor("the scan to finish", () =>
      session.statuses.find((s) => !s.scanning && s.filesAnalysed > 0),
    );
    const published = new Set(session.published.map((p) => p.uri));
    assert.equal(published.has(uriOf(root, "node_modules/some-package/template.yaml")), false);
    assert.equal(published.has(uriOf(root, "templates/clean.yaml")), false);
    assert.equal(published.has(uriOf(root, "README.md")), false);
    assert.equal(published.has(uriOf(root, "generated/template.yaml")), false);
  });

  test("a file changed on disk is re-linted when the watcher reports it; a deleted one loses its diagnostics", async () => {
    const web = join(root, "templates/web.yaml");
    writeFileSync(web, requiredTemplate);
    await session.filesChanged([{ uri: pathToFileURL(web).href, type: FileChangeType.Changed }]);
    await session.diagnostics(pathToFileURL(web).href, (d) => d.length === 0);

    const added = join(root, "templates/added.yaml");
    writeFileSync(added, optionalTemplate);
    await session.filesChanged([{ uri: pathToFileURL(added).href, type: FileChangeType.Created }]);
    await session.diagnostics(pathToFileURL(added).href, hasRule("IMDS001"));

    rmSync(added);
    await session.filesChanged([{ uri: pathToFileURL(added).href, type: FileChangeType.Deleted }]);
    await session.diagnostics(pathToFileURL(added).href, (d) => d.length === 0);
  });

  test("an open document wins over the file on disk, and closing it goes back to the file", async () => {
    const path = join(root, "templates/clean.yaml");
    const uri = await session.open(path);
    await session.diagnostics(uri, (d) => d.length === 0);
    await session.replaceText(uri, optionalTemplate);
    await session.diagnostics(uri, hasRule("IMDS001"));
    // Closed without saving: the file on disk (clean) is what counts again.
    await session.close(uri);
    await session.diagnostics(uri, (d) => d.length === 0);
  });

  test(".imds-guard.yaml turns a rule off for the workspace; a broken one is reported on itself", async () => {
    const target = join(root, "templates/config-target.yaml");
    writeFileSync(target, optionalTemplate);
    await session.filesChanged([{ uri: pathToFileURL(target).href, type: FileChangeType.Created }]);
    await session.diagnostics(pathToFileURL(target).href, hasRule("IMDS001"));

    const config = join(root, ".imds-guard.yaml");
    writeFileSync(config, "rules:\n  IMDS001: off\n");
    await session.filesChanged([{ uri: pathToFileURL(config).href, type: FileChangeType.Created }]);
    await session.diagnostics(pathToFileURL(target).href, (d) => !hasRule("IMDS001")(d));

    // `exclude` (globs relative to the config file) takes the file out altogether.
    writeFileSync(config, "rules: {}\n");
    await session.filesChanged([{ uri: pathToFileURL(config).href, type: FileChangeType.Changed }]);
    await session.diagnostics(pathToFileURL(target).href, hasRule("IMDS001"));
    writeFileSync(config, "exclude:\n  - templates/config-target.yaml\n");
    await session.filesChanged([{ uri: pathToFileURL(config).href, type: FileChangeType.Changed }]);
    await session.diagnostics(pathToFileURL(target).href, (d) => d.length === 0);

    writeFileSync(config, "rules: [unclosed\n");
    await session.filesChanged([{ uri: pathToFileURL(config).href, type: FileChangeType.Changed }]);
    const [configProblem] = await session.diagnostics(pathToFileURL(config).href, (d) => d.length === 1);
    assert.equal(configProblem?.code, "config");
    assert.match(messageOf(configProblem), /defaults/);
    // With the config unusable the defaults apply again, so IMDS001 is back.
    await session.diagnostics(pathToFileURL(target).href, hasRule("IMDS001"));
    // Opening the config file in the editor keeps its diagnostic (nothing lints it as a template).
    const configUri = await session.open(config);
    await new Promise((done) => setTimeout(done, 200));
    assert.equal(session.latestDiagnostics(configUri)?.diagnostics.length, 1);
    await session.close(configUri);

    rmSync(config);
    await session.filesChanged([{ uri: pathToFileURL(config).href, type: FileChangeType.Deleted }]);
    await session.diagnostics(pathToFileURL(config).href, (d) => d.length === 0);
  });

  test("imdsGuard/lintWorkspace rescans and reports what it found", async () => {
    const result = await session.lintWorkspace();
    assert.ok(result);
    // web.yaml, clean.yaml, config-target.yaml, cdk.out/App.template.json (node_modules skipped).
    assert.equal(result.filesAnalysed, 4);
    assert.equal(result.filesWithFindings, 2);
  });

  test("the server wrote nothing to stderr", () => {
    assert.equal(session.stderr, "");
  });
});

describe("language server: an editor with no optional capabilities", () => {
  let root: string;
  let session: LspSession;

  before(async () => {
    root = makeWorkspace();
    session = await LspSession.start({ rootPath: root, capabilities: {} });
  });

  after(async () => {
    await session.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test("still scans, lints open documents and takes settings pushed in didChangeConfiguration", async () => {
    await session.diagnostics(uriOf(root, "templates/web.yaml"), hasRule("IMDS001"));
    assert.deepEqual(session.registrations, []);
    assert.deepEqual(session.progress, []);

    const uri = await session.open(join(LSP_FIXTURES, "eks-node-group-hop-limit-1.yaml"));
    await session.diagnostics(uri, hasRule("IMDS003"));
    await session.connection.sendNotification("workspace/didChangeConfiguration", {
      settings: { imdsGuard: { ...DEFAULT_IMDS_GUARD_SETTINGS, containers: { podsNeedImds: false } } },
    });
    await session.diagnostics(uri, (d) => !hasRule("IMDS003")(d));
  });

  test("gets hovers as plain text when it did not say it renders Markdown", async () => {
    const uri = await session.open(join(LSP_FIXTURES, "launch-template-tokens-optional.yaml"));
    await session.diagnostics(uri, hasRule("IMDS001"));
    const hover = await session.hover(uri, 11, 14);
    assert.equal((hover?.contents as { kind?: string } | undefined)?.kind, "plaintext");
  });
});
