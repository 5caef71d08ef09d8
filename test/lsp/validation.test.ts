// The validation service without a connection (yaml-language-server's split): each document version is
// analysed once however many times it is validated, hovered or code-actioned, and a file on disk that
// did not change is not analysed again (issue 2: "nothing is recomputed for unchanged files").
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { EMPTY_CONFIG } from "../../server/src/engine/config";
import { analyze } from "../../server/src/engine/index";
import { FixStore } from "../../server/src/lsp/codeActions";
import { WorkspaceProjects } from "../../server/src/lsp/projects";
import { DocumentValidator } from "../../server/src/lsp/validation";
import { DEFAULT_IMDS_GUARD_SETTINGS } from "../../server/src/shared/protocol";

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions:
          HttpTokens: optional
`;

function setUp(workspace?: string) {
  const analysed: string[] = [];
  const published: { uri: string; diagnostics: Diagnostic[]; version?: number }[] = [];
  const open = new Map<string, TextDocument>();
  const projects = new WorkspaceProjects(
    () => ({ config: EMPTY_CONFIG, warnings: [] }),
    () => {},
    (message) => assert.fail(message),
  );
  if (workspace) projects.setFolders([{ uri: pathToFileURL(workspace).href }]);
  const validator = new DocumentValidator(
    {
      publishDiagnostics: (uri, diagnostics, version) => published.push({ uri, diagnostics, version }),
      settingsFor: async () => DEFAULT_IMDS_GUARD_SETTINGS,
      openDocument: (uri) => open.get(uri),
      status: () => {},
      log: () => {},
      logError: (message) => assert.fail(message),
    },
    projects,
    new FixStore(),
    (file, content, options) => {
      analysed.push(file);
      return analyze(file, content, options);
    },
  );
  return { analysed, published, open, validator };
}

describe("DocumentValidator", () => {
  const workspace = mkdtempSync(join(tmpdir(), "imds-guard-validation-"));
  after(() => rmSync(workspace, { recursive: true, force: true }));

  test("an open document is analysed once per version, however often it is validated or hovered", async () => {
    const { analysed, published, open, validator } = setUp();
    const uri = "file:///work/web.yaml";
    let document = TextDocument.create(uri, "yaml", 1, TEMPLATE);
    open.set(uri, document);
    await validator.validateOpen(document);
    await validator.validateOpen(document);
    await validator.analysisOf(document);
    assert.equal(analysed.length, 1);
    assert.equal(published.length, 1, "an unchanged version is not published twice");
    assert.equal(published[0]?.diagnostics[0]?.code, "IMDS001");

    document = TextDocument.update(document, [{ text: TEMPLATE.replace("optional", "required") }], 2);
    open.set(uri, document);
    await validator.validateOpen(document);
    assert.equal(analysed.length, 2);
    assert.deepEqual(published.at(-1)?.diagnostics, []);
    assert.equal(published.at(-1)?.version, 2);

    validator.invalidateAll();
    await validator.validateOpen(document);
    assert.equal(analysed.length, 3, "a settings change re-analyses");
  });

  test("a file on disk is analysed again only when its size or mtime changes", async () => {
    const { analysed, published, validator } = setUp(workspace);
    const path = join(workspace, "web.yaml");
    writeFileSync(path, TEMPLATE);
    await validator.validateFile(path);
    await validator.validateFile(path);
    assert.equal(analysed.length, 1);
    assert.equal(published.length, 1);

    writeFileSync(path, TEMPLATE.replace("optional", "required"));
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    await validator.validateFile(path);
    assert.equal(analysed.length, 2);
    assert.deepEqual(published.at(-1)?.diagnostics, [], "the fixed file clears what was published");
  });

  test("an engine that throws costs one diagnostic on that file, not the server", async () => {
    const logged: string[] = [];
    const published: Diagnostic[][] = [];
    const validator = new DocumentValidator(
      {
        publishDiagnostics: (_uri, diagnostics) => published.push(diagnostics),
        settingsFor: async () => DEFAULT_IMDS_GUARD_SETTINGS,
        openDocument: (uri) => (uri === document.uri ? document : undefined),
        status: () => {},
        log: () => {},
        logError: (message) => logged.push(message),
      },
      new WorkspaceProjects(
        () => ({ config: EMPTY_CONFIG, warnings: [] }),
        () => {},
        () => {},
      ),
      new FixStore(),
      () => {
        throw new Error("engine bug");
      },
    );
    const document = TextDocument.create("file:///work/web.yaml", "yaml", 1, TEMPLATE);
    await validator.validateOpen(document);
    assert.equal(published[0]?.length, 1);
    assert.match(String(published[0]?.[0]?.message), /internal error/);
    assert.match(logged[0] ?? "", /engine bug/);
  });
});
