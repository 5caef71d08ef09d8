// Re-parsing only the edited resources must give exactly the tree a full parse gives, offsets included.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyze } from "../../../../server/src/engine/index";
import { parseStructured } from "../../../../server/src/engine/parsers";
import { parseWithReuse } from "../../../../server/src/engine/parsers/incremental";

const FIXTURES = "test/fixtures/cfn";
const templates = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".yaml") && f !== "malformed.yaml")
  .map((f) => readFileSync(join(FIXTURES, f), "utf8"));

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const EDITS = ["x", "required", "\n", " ", "  # note\n", ": ", "HttpTokens: optional\n", ""];

function fullParse(text: string): string | undefined {
  try {
    return JSON.stringify(parseStructured(text).root);
  } catch {
    return undefined;
  }
}

describe("parseWithReuse", () => {
  it("an edit inside one resource re-parses only that resource", () => {
    const text = readFileSync(join(FIXTURES, "several-findings.yaml"), "utf8");
    const first = parseWithReuse(text, undefined);
    assert.equal(first.incremental, false);
    const edited = text.replace("HttpPutResponseHopLimit: 5", "HttpPutResponseHopLimit: 2");
    const second = parseWithReuse(edited, first.state);
    assert.equal(second.incremental, true);
    assert.equal(JSON.stringify(second.state.parsed.root), fullParse(edited));
  });

  it("adding a whole resource between two others is still incremental", () => {
    const text = readFileSync(join(FIXTURES, "several-findings.yaml"), "utf8");
    const first = parseWithReuse(text, undefined);
    const added = text.replace(
      "  Bastion:\n",
      "  Extra:\n    Type: AWS::EC2::Instance\n    Properties: {}\n  Bastion:\n",
    );
    const second = parseWithReuse(added, first.state);
    assert.equal(JSON.stringify(second.state.parsed.root), fullParse(added));
  });

  it("documents with aliases always parse in full", () => {
    const text = "Resources:\n  A: &a\n    Type: AWS::EC2::Instance\n  B: *a\n";
    const first = parseWithReuse(text, undefined);
    assert.equal(parseWithReuse(text.replace("Instance", "Instances"), first.state).incremental, false);
  });

  it("gives the same tree as a full parse for 600 random edits, or falls back to one", () => {
    const next = random(42);
    let incremental = 0;
    for (let round = 0; round < 600; round++) {
      const text = templates[round % templates.length];
      const state = parseWithReuse(text, undefined).state;
      const at = Math.floor(next() * text.length);
      const removed = next() < 0.3 ? Math.floor(next() * 12) : 0;
      const inserted = EDITS[Math.floor(next() * EDITS.length)];
      const edited = text.slice(0, at) + inserted + text.slice(at + removed);
      const expected = fullParse(edited);
      let actual: string | undefined;
      let reused = false;
      try {
        const outcome = parseWithReuse(edited, state);
        actual = JSON.stringify(outcome.state.parsed.root);
        reused = outcome.incremental;
      } catch {
        actual = undefined;
      }
      assert.equal(
        actual,
        expected,
        `round ${round}: edit at ${at} (-${removed} +${JSON.stringify(inserted)})`,
      );
      if (reused) incremental++;
    }
    assert.ok(incremental > 100, `most edits inside resources are incremental (${incremental} of 600)`);
  });
});

describe("analyze with the previous version", () => {
  it("reports what a fresh analysis reports, edit after edit", () => {
    let text = readFileSync(join(FIXTURES, "several-findings.yaml"), "utf8");
    let previous = analyze("t.yaml", text);
    for (const [from, to] of [
      ["HttpTokens: optional", "HttpTokens: required"],
      ["HttpPutResponseHopLimit: 5", "HttpPutResponseHopLimit: 3"],
      ["InstanceType: c6i.large", "InstanceType: c7i.large\n      UserData: !Base64 'docker run app'"],
    ]) {
      text = text.replace(from, to);
      previous = analyze("t.yaml", text, { previous });
      assert.deepEqual(previous.result, analyze("t.yaml", text).result);
    }
  });
});
