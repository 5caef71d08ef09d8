// Every CloudFormation and CDK fixture of the engine, opened over the real protocol: the server
// publishes exactly what the engine finds (rule, range, severity, message), and fix-all, repeated
// while it offers edits, leaves no fixable finding behind (STYLE.md 6: fix-all is the sum of the fixes).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { analyze } from "../../server/src/engine/index";
import type { Severity } from "../../server/src/engine/types";
import { FIX_ALL_KIND } from "../../server/src/shared/protocol";
import { LspSession, messageOf, REPO_ROOT } from "./lspSession";

const FIXTURE_DIRS = ["test/fixtures/cfn", "test/fixtures/cfn/cdk.out", "test/fixtures/cdk/cdk.out"];
const fixtures = FIXTURE_DIRS.flatMap((dir) =>
  readdirSync(join(REPO_ROOT, dir))
    .filter((name) => /\.(ya?ml|template\.json)$/.test(name))
    .map((name) => join(REPO_ROOT, dir, name)),
);
const LSP_SEVERITY: Record<Severity, number> = { error: 1, warning: 2, info: 3, hint: 4 };
const MAX_FIX_ROUNDS = 3;

describe("language server on the engine's fixtures", () => {
  let session: LspSession;

  before(async () => {
    session = await LspSession.start();
  });

  after(async () => {
    await session.dispose();
  });

  test("there are fixtures to run", () => {
    assert.ok(fixtures.length >= 10, `only ${fixtures.length} fixtures found`);
  });

  for (const path of fixtures) {
    const name = path.slice(REPO_ROOT.length + 1);
    test(`${name}: diagnostics equal the engine's findings; fix-all leaves nothing fixable`, async () => {
      const text = readFileSync(path, "utf8");
      const expected = analyze(path, text).result;
      const uri = await session.open(path, text);
      const diagnostics = await session.diagnostics(uri);
      const published = diagnostics.map((d) => ({
        code: d.code,
        range: d.range,
        severity: d.severity,
        message: messageOf(d),
      }));
      assert.deepEqual(published, [
        ...expected.findings.map((f) => ({
          code: f.ruleId,
          range: f.range,
          severity: LSP_SEVERITY[f.severity],
          message: f.message,
        })),
        ...expected.problems.map((p) => ({
          code: p.kind,
          range: p.range,
          severity: p.kind === "parse-error" ? 1 : 3,
          message: p.message,
        })),
      ]);

      const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
        const [fixAll] = await session.codeActions(uri, whole, [], [FIX_ALL_KIND]);
        if (!fixAll) break;
        await session.applyWorkspaceEdit(fixAll.edit);
        await session.diagnostics(uri);
      }
      const remaining = analyze(path, session.text(uri)).result;
      const fixable = remaining.findings.filter((f) => (f.fixes ?? []).length > 0);
      assert.deepEqual(
        fixable.map((f) => `${f.ruleId} ${f.message}`),
        [],
        "fix-all left fixable findings",
      );
      assert.equal(remaining.problems.length, expected.problems.length, "fix-all must not break the file");
      await session.close(uri);
    });
  }
});
