// Every rule the engine runs has its page (STYLE.md, after eslint's `checkRuleFiles`): the quick-fix
// "show documentation" link, SARIF `helpUri` and hover all point at docs/rules/<id>.md, so a missing
// page or a page without the sections people look for is a broken promise, not a style nit.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { RULE_CATALOGUE } from "../../../server/src/engine/rules/catalogue";
import { RULES } from "../../../server/src/engine/rules/index";

const RULES_DIR = join(__dirname, "..", "..", "..", "docs", "rules");

/** The sections every rule page has, in this order. */
const REQUIRED_HEADINGS = [
  "## What it finds",
  "## Why it matters",
  "## Examples",
  "## How to fix",
  "## Severity and options",
  "## Suppressing it",
  "## How it differs from checkov, trivy, KICS and cdk-nag",
  "## References",
] as const;

/** Lines outside fenced code blocks, so a `## …` inside an example is not taken for a heading. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (!inFence) lines.push(line);
  }
  return lines;
}

describe("docs/rules pages", () => {
  it("the engine runs at least one rule (otherwise this check proves nothing)", () => {
    assert.ok(RULES.length > 0);
  });

  for (const rule of RULES) {
    const { id, name } = rule.meta;
    const page = join(RULES_DIR, `${id}.md`);

    describe(id, () => {
      it(`has docs/rules/${id}.md`, () => {
        assert.ok(existsSync(page), `missing ${page}: every rule in rules/index.ts needs its page`);
      });

      it("is titled with the rule id and name", () => {
        const title = proseLines(readFileSync(page, "utf8")).find((line) => line.trim() !== "");
        assert.equal(title, `# ${id}: ${name}`);
      });

      it("has every required heading, once and in order", () => {
        const headings = proseLines(readFileSync(page, "utf8")).filter((line) => line.startsWith("## "));
        const found = REQUIRED_HEADINGS.map((heading) => headings.indexOf(heading));
        for (const [i, heading] of REQUIRED_HEADINGS.entries()) {
          assert.notEqual(found[i], -1, `${id}.md lacks the heading "${heading}"`);
          assert.equal(
            headings.filter((h) => h === heading).length,
            1,
            `${id}.md has "${heading}" more than once`,
          );
        }
        assert.deepEqual(
          [...found].sort((a, b) => a - b),
          found,
          `${id}.md has the required headings out of order`,
        );
      });

      it("is where the rule's docs link points", () => {
        assert.ok(rule.meta.docsUrl.endsWith(`/docs/rules/${id}.md`), rule.meta.docsUrl);
      });
    });
  }

  it("the index has a row per catalogue id: linked when the engine runs it, marked planned otherwise", () => {
    const rows = proseLines(readFileSync(join(RULES_DIR, "README.md"), "utf8")).filter((line) =>
      line.startsWith("|"),
    );
    const implemented = new Set(RULES.map((rule) => rule.meta.id));
    for (const { id } of RULE_CATALOGUE) {
      const row = rows.find((line) => line.includes(id));
      assert.ok(row, `docs/rules/README.md has no table row for ${id}`);
      if (implemented.has(id)) {
        assert.ok(row.includes(`[${id}](${id}.md)`), `the ${id} row does not link its page`);
        assert.ok(!row.includes("planned"), `the ${id} row says planned, but the engine runs ${id}`);
      } else {
        assert.ok(row.includes("planned: not implemented yet"), `the ${id} row does not say it is planned`);
      }
    }
  });
});
