// Bad input over the real protocol (issue 2, "Bad input"): each of these documents costs at most one
// diagnostic, and the server still answers for a healthy template afterwards.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Diagnostic, DiagnosticSeverity } from "vscode-languageserver-protocol/node";
import { LSP_FIXTURES, LspSession, messageOf } from "./lspSession";

const HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\n';

/** Nine levels of aliases, each nine times the one below: 9^9 nodes if anything expanded them. */
function aliasBomb(): string {
  const lines = [HEADER, "Metadata:", '  a0: &a0 ["lol"]'];
  for (let level = 1; level <= 9; level++) {
    const refs = Array.from({ length: 9 }, () => `*a${level - 1}`).join(", ");
    lines.push(`  a${level}: &a${level} [${refs}]`);
  }
  lines.push("Resources: {}");
  return lines.join("\n");
}

const BAD_DOCUMENTS: { name: string; text: () => string }[] = [
  { name: "oversized.yaml", text: () => `${HEADER}Description: "${"x".repeat(6 * 1024 * 1024)}"\n` },
  { name: "alias-bomb.yaml", text: aliasBomb },
  {
    name: "deep-nesting.yaml",
    text: () => `${HEADER}Resources: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`,
  },
  { name: "binary.json", text: () => "\u0000\u0001\u0002PK\u0003\u0004\u0000\u0000".repeat(1000) },
  {
    name: "unknown-tag.yaml",
    text: () => `${HEADER}Resources:\n  X:\n    Type: !NotACfnTag AWS::EC2::Instance\n`,
  },
  { name: "not-cloudformation.yaml", text: () => "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n" },
];

describe("language server: bad input", () => {
  let session: LspSession;

  before(async () => {
    session = await LspSession.start();
  });

  after(async () => {
    await session.dispose();
  });

  for (const document of BAD_DOCUMENTS) {
    test(`${document.name}: at most one diagnostic, and the server keeps serving`, async () => {
      // The documents are not on disk; a path under the fixtures gives them a realistic URI.
      const uri = await session.open(join(LSP_FIXTURES, "generated", document.name), document.text());
      const diagnostics: Diagnostic[] = await session.diagnostics(uri);
      assert.ok(diagnostics.length <= 1, diagnostics.map(messageOf).join("\n"));
      if (document.name === "oversized.yaml") {
        assert.equal(diagnostics[0]?.code, "skipped");
        assert.equal(diagnostics[0]?.severity, DiagnosticSeverity.Information);
      }

      const healthy = await session.open(join(LSP_FIXTURES, "launch-template-tokens-optional.yaml"));
      await session.diagnostics(healthy, (d) => d.some((x) => x.code === "IMDS001"));
      await session.close(healthy);
      await session.close(uri);
      assert.equal(session.hasExited, false);
    });
  }
});
