// Open documents over the real protocol: diagnostics, quick fixes, fix-all, documentation, hover,
// settings, and a malformed template that must not take the other documents down.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { CodeActionKind, type Diagnostic, DiagnosticSeverity } from "vscode-languageserver-protocol/node";
import {
  DEFAULT_IMDS_GUARD_SETTINGS,
  FIX_ALL_KIND,
  SHOW_RULE_DOCS_COMMAND,
} from "../../server/src/shared/protocol";
import { findLast, LSP_FIXTURES, LspSession, messageOf, REPO_ROOT } from "./lspSession";

const fixture = (name: string) => join(LSP_FIXTURES, name);
const byRule = (ruleId: string) => (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === ruleId);
const none = (diagnostics: Diagnostic[]) => diagnostics.length === 0;

describe("language server: open documents", () => {
  let session: LspSession;

  before(async () => {
    // No workspace folder: only what is opened is linted, so every publish below is ours.
    session = await LspSession.start();
  });

  after(async () => {
    await session.dispose();
  });

  test("announces quick fixes, fix-all, hover and its documentation command", () => {
    const capabilities = session.initializeResult?.capabilities;
    assert.deepEqual(capabilities?.codeActionProvider, {
      codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND],
    });
    assert.equal(capabilities?.hoverProvider, true);
    assert.deepEqual(capabilities?.executeCommandProvider?.commands, [SHOW_RULE_DOCS_COMMAND]);
  });

  test("HttpTokens: optional gives IMDS001 on that value, its quick fix makes it required and the diagnostic goes", async () => {
    const uri = await session.open(fixture("launch-template-tokens-optional.yaml"));
    const diagnostics = await session.diagnostics(uri, byRule("IMDS001"));
    const finding = diagnostics.find((d) => d.code === "IMDS001") as Diagnostic;
    assert.equal(finding.source, "imds-guard");
    assert.equal(finding.severity, DiagnosticSeverity.Error);
    assert.equal(finding.codeDescription?.href.endsWith("/docs/rules/IMDS001.md"), true);
    // Line 12 of the fixture is `          HttpTokens: optional`; the range is the value.
    assert.deepEqual(finding.range, { start: { line: 11, character: 22 }, end: { line: 11, character: 30 } });
    assert.match(messageOf(finding), /WebLaunchTemplate/);

    const actions = await session.codeActions(uri, finding.range, [finding]);
    const quickFix = actions.find((action) => action.isPreferred);
    assert.ok(quickFix, `no preferred quick fix among ${actions.map((a) => a.title).join(", ")}`);
    assert.equal(quickFix.kind, CodeActionKind.QuickFix);
    assert.match(quickFix.title, /required/);
    assert.deepEqual(quickFix.diagnostics, [finding]);

    await session.applyWorkspaceEdit(quickFix.edit);
    assert.match(session.text(uri).split("\n")[11] ?? "", /^ {10}HttpTokens: required$/);
    const afterFix = await session.diagnostics(uri);
    assert.deepEqual(afterFix, []);
    await session.close(uri);
  });

  test("'Show documentation for IMDS001' opens the rule page through window/showDocument", async () => {
    const uri = await session.open(fixture("launch-template-tokens-optional.yaml"));
    const [finding] = await session.diagnostics(uri, byRule("IMDS001"));
    assert.ok(finding);
    const actions = await session.codeActions(uri, finding.range, [finding]);
    const docs = actions.find((action) => action.title === "Show documentation for IMDS001");
    assert.ok(docs?.command, `no documentation action among ${actions.map((a) => a.title).join(", ")}`);
    const shownBefore = session.shownDocuments.length;
    await session.executeCommand(docs.command.command, docs.command.arguments ?? []);
    const shown = await session.waitFor("window/showDocument", () => session.shownDocuments[shownBefore]);
    assert.equal(shown.uri, finding.codeDescription?.href);
    assert.equal(shown.external, true);
    await session.close(uri);
  });

  test("source.fixAll.imds-guard fixes every finding of a JSON template in one edit", async () => {
    const uri = await session.open(fixture("two-templates-tokens-optional.json"));
    const diagnostics = await session.diagnostics(
      uri,
      (d) => d.filter((x) => x.code === "IMDS001").length === 2,
    );
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await session.codeActions(uri, whole, [], [FIX_ALL_KIND]);
    assert.equal(
      actions.length,
      1,
      `expected only the fix-all action, got ${actions.map((a) => a.title).join(", ")}`,
    );
    const [fixAll] = actions;
    assert.equal(fixAll?.kind, FIX_ALL_KIND);
    assert.equal(
      fixAll?.edit?.changes?.[uri]?.length,
      diagnostics.filter((d) => d.code === "IMDS001").length,
    );

    await session.applyWorkspaceEdit(fixAll?.edit);
    assert.equal(session.text(uri).match(/"HttpTokens": "required"/g)?.length, 2);
    assert.deepEqual(
      (await session.diagnostics(uri)).filter((d) => d.code === "IMDS001"),
      [],
    );
    await session.close(uri);
  });

  test("a cdk.out template: the finding links the CDK code that creates the construct, and offers no edit", async () => {
    const appDir = join(REPO_ROOT, "test/fixtures/cdk-app");
    const uri = await session.open(join(appDir, "cdk.out/AppStack.template.json"));
    const [finding] = await session.diagnostics(uri, byRule("IMDS001"));
    assert.ok(finding);
    assert.deepEqual(
      finding.relatedInformation?.map((related) => related.location.uri),
      [pathToFileURL(join(appDir, "lib/app-stack.ts")).href],
    );
    const actions = await session.codeActions(uri, finding.range, [finding]);
    assert.deepEqual(
      actions.map((action) => action.title),
      ["Show documentation for IMDS001"],
      "generated templates are fixed in the CDK code, not edited",
    );
    await session.close(uri);
  });

  test("hover on HttpTokens explains the resolved value and where it came from", async () => {
    const uri = await session.open(fixture("launch-template-tokens-optional.yaml"));
    await session.diagnostics(uri, byRule("IMDS001"));
    const hover = await session.hover(uri, 11, 14);
    assert.ok(hover, "no hover on HttpTokens");
    const contents = hover.contents as { kind: string; value: string };
    assert.equal(contents.kind, "markdown");
    assert.match(contents.value, /HttpTokens/);
    assert.match(contents.value, /optional/);
    assert.equal(await session.hover(uri, 0, 0), null, "the template version line explains nothing");
    await session.close(uri);
  });

  test("editing the value by hand re-lints after the debounce; reintroducing it brings IMDS001 back", async () => {
    const uri = await session.open(fixture("launch-template-tokens-optional.yaml"));
    await session.diagnostics(uri, byRule("IMDS001"));
    const value = { start: { line: 11, character: 22 }, end: { line: 11, character: 30 } };
    await session.edit(uri, [{ range: value, newText: "required" }]);
    await session.diagnostics(uri, none);
    await session.edit(uri, [{ range: value, newText: "optional" }]);
    await session.diagnostics(uri, byRule("IMDS001"));
    await session.close(uri);
  });

  test("a burst of keystrokes is coalesced: few analyses, the last version published last", async () => {
    const uri = await session.open(fixture("launch-template-tokens-required.yaml"));
    await session.diagnostics(uri);
    const publishedBefore = session.published.filter((p) => p.uri === uri).length;
    const end = { line: 13, character: 0 };
    const keystrokes = "# typing a comment";
    // Sent back to back, as an editor does while someone types or pastes.
    await Promise.all(
      [...keystrokes].map((character) =>
        session.edit(uri, [{ range: { start: end, end }, newText: character }]),
      ),
    );
    await session.diagnostics(uri);
    // Give a late (wrong) extra publish the time to show up before counting.
    await new Promise((done) => setTimeout(done, 300));
    const versions = session.published
      .filter((p) => p.uri === uri)
      .slice(publishedBefore)
      .map((p) => p.version);
    assert.equal(versions.at(-1), keystrokes.length + 1, "the last version is published last");
    assert.ok(versions.length <= keystrokes.length / 3, `published versions ${versions.join(", ")}`);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => (a ?? 0) - (b ?? 0)),
      "never an older version after a newer one",
    );
    await session.close(uri);
  });

  test("a malformed template is one diagnostic, and the server keeps linting the others", async () => {
    const broken = await session.open(fixture("malformed-template.yaml"));
    const diagnostics = await session.diagnostics(broken);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.code, "parse-error");
    assert.equal(diagnostics[0]?.severity, DiagnosticSeverity.Error);
    assert.match(messageOf(diagnostics[0]), /YAML/);

    const healthy = await session.open(fixture("launch-template-tokens-optional.yaml"));
    await session.diagnostics(healthy, byRule("IMDS001"));
    assert.ok(await session.hover(healthy, 11, 14));
    assert.equal(session.hasExited, false);
    await session.close(broken);
    await session.close(healthy);
  });

  test("closing a document outside any workspace clears its diagnostics", async () => {
    const uri = await session.open(fixture("launch-template-tokens-optional.yaml"));
    await session.diagnostics(uri, byRule("IMDS001"));
    await session.close(uri);
    await session.diagnostics(uri, none);
  });

  test("imdsGuard.containers.podsNeedImds: turning it off re-lints open documents and IMDS003 goes", async () => {
    const uri = await session.open(fixture("eks-node-group-hop-limit-1.yaml"));
    const [hopLimit] = await session.diagnostics(uri, byRule("IMDS003"));
    assert.match(messageOf(hopLimit), /podsNeedImds = true/);
    assert.equal(
      hopLimit?.relatedInformation?.[0]?.location.uri,
      uri,
      "the node group is related information",
    );

    await session.changeSettings({ ...DEFAULT_IMDS_GUARD_SETTINGS, containers: { podsNeedImds: false } });
    await session.diagnostics(uri, (d) => !byRule("IMDS003")(d));

    await session.changeSettings(DEFAULT_IMDS_GUARD_SETTINGS);
    await session.diagnostics(uri, byRule("IMDS003"));
    await session.close(uri);
  });

  test("the status notification counts what is published", async () => {
    const uri = await session.open(fixture("two-templates-tokens-optional.json"));
    await session.diagnostics(uri, byRule("IMDS001"));
    const status = await session.waitFor("a status with two errors", () =>
      findLast(session.statuses, (s) => s.errors === 2 && s.filesWithFindings === 1),
    );
    assert.equal(status.scanning, false);
    await session.close(uri);
    await session.waitFor("a status with no errors", () => findLast(session.statuses, (s) => s.errors === 0));
  });

  test("the server wrote nothing to stderr and is still running", () => {
    assert.equal(session.stderr, "");
    assert.equal(session.hasExited, false);
  });
});
