// Fix-all is the sum of the quick fixes (STYLE.md 6), minus the ones that would collide.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Fix } from "../../server/src/engine/types";
import { fixAllEdits } from "../../server/src/lsp/codeActions";

const at = (line: number, start: number, end = start) => ({
  start: { line, character: start },
  end: { line, character: end },
});
const fix = (title: string, ...edits: Fix["edits"]): Fix => ({ title, edits });

describe("fixAllEdits", () => {
  test("takes every fix of separate findings, in document order", () => {
    const second = fix("b", { range: at(9, 2, 10), newText: "required" });
    const first = fix("a", { range: at(3, 2, 10), newText: "required" });
    assert.deepEqual(fixAllEdits([second, first]), [...first.edits, ...second.edits]);
  });

  test("drops a fix that overlaps one already taken, whole (never half a fix)", () => {
    const replace = fix("replace", { range: at(3, 2, 10), newText: "required" });
    const overlapping = fix(
      "insert two",
      { range: at(3, 5, 12), newText: "x" },
      { range: at(20, 0), newText: "  MetadataOptions: {}\n" },
    );
    assert.deepEqual(fixAllEdits([replace, overlapping]), replace.edits);
  });

  test("two insertions at one point collide (their order would be undefined)", () => {
    const a = fix("a", { range: at(5, 4), newText: "HttpTokens: required\n" });
    const b = fix("b", { range: at(5, 4), newText: "HttpPutResponseHopLimit: 2\n" });
    assert.deepEqual(fixAllEdits([a, b]), a.edits);
  });

  test("the same edit proposed by two findings is applied once", () => {
    const edit = { range: at(5, 4), newText: "MetadataOptions:\n  HttpTokens: required\n" };
    assert.deepEqual(fixAllEdits([fix("a", edit), fix("b", { ...edit })]), [edit]);
  });

  test("edits that touch end to start do not collide", () => {
    const a = fix("a", { range: at(1, 0, 4), newText: "x" });
    const b = fix("b", { range: at(1, 4, 8), newText: "y" });
    assert.equal(fixAllEdits([a, b]).length, 2);
  });
});
