import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyEdits, pickCompatibleFixes } from "../../../../server/src/engine/fixes/apply";
import type { Fix, TextEdit } from "../../../../server/src/engine/types";

const edit = (line: number, from: number, toLine: number, to: number, newText: string): TextEdit => ({
  range: { start: { line, character: from }, end: { line: toLine, character: to } },
  newText,
});

const template = [
  "Resources:",
  "  Lt:",
  "    Type: AWS::EC2::LaunchTemplate",
  "    Properties:",
  "      LaunchTemplateData:",
  "        MetadataOptions:",
  "          HttpTokens: optional",
  "",
].join("\n");

describe("applyEdits", () => {
  it("returns the text unchanged without edits", () => {
    assert.equal(applyEdits(template, []), template);
  });

  it("replaces a value in place (optional → required)", () => {
    const out = applyEdits(template, [edit(6, 22, 6, 30, "required")]);
    assert.match(out, /HttpTokens: required\n$/);
    assert.doesNotMatch(out, /optional/);
  });

  it("applies several edits given in any order, each in the original text's coordinates", () => {
    const out = applyEdits("abc\ndef\nghi", [
      edit(2, 0, 2, 1, "G"),
      edit(0, 0, 0, 1, "A"),
      edit(1, 1, 1, 2, "EE"),
    ]);
    assert.equal(out, "Abc\ndEEf\nGhi");
  });

  it("inserts lines (zero-width edit) without touching the neighbours", () => {
    const out = applyEdits("a:\n  b: 1\n", [edit(2, 0, 2, 0, "  c: 2\n")]);
    assert.equal(out, "a:\n  b: 1\n  c: 2\n");
  });

  it("keeps the caller's order for insertions at the same offset", () => {
    assert.equal(applyEdits("xy", [edit(0, 1, 0, 1, "1"), edit(0, 1, 0, 1, "2")]), "x12y");
  });

  it("lets an insertion sit right before or after a replacement", () => {
    assert.equal(
      applyEdits("abcd", [edit(0, 1, 0, 3, "X"), edit(0, 1, 0, 1, "<"), edit(0, 3, 0, 3, ">")]),
      "a<X>d",
    );
  });

  it("skips an edit that overlaps one earlier in the document", () => {
    const out = applyEdits("abcdef", [edit(0, 1, 0, 4, "X"), edit(0, 3, 0, 5, "Y"), edit(0, 5, 0, 6, "Z")]);
    assert.equal(out, "aXeZ");
  });

  it("skips an insertion strictly inside a replaced range", () => {
    assert.equal(applyEdits("abcd", [edit(0, 0, 0, 4, "X"), edit(0, 2, 0, 2, "!")]), "X");
  });

  it("works on CRLF text and keeps its line breaks", () => {
    const crlf = template.replace(/\n/g, "\r\n");
    const out = applyEdits(crlf, [edit(6, 22, 6, 30, "required")]);
    assert.equal(out, crlf.replace("optional", "required"));
  });

  it("counts characters in UTF-16 code units, as LSP does", () => {
    assert.equal(applyEdits("# 🙂 x: 1", [edit(0, 8, 0, 9, "2")]), "# 🙂 x: 2");
  });

  it("clamps positions past the end of the text instead of throwing", () => {
    assert.equal(applyEdits("a\n", [edit(9, 0, 9, 0, "b\n")]), "a\nb\n");
  });
});

describe("pickCompatibleFixes", () => {
  const fix = (title: string, ...edits: TextEdit[]): Fix => ({ title, edits });

  it("keeps fixes whose edits do not overlap, in order", () => {
    const a = fix("a", edit(0, 0, 0, 1, "A"));
    const b = fix("b", edit(0, 2, 0, 3, "C"));
    assert.deepEqual(pickCompatibleFixes("abc", [a, b]), [a, b]);
  });

  it("drops a whole fix when any of its edits overlaps an earlier fix (all or nothing)", () => {
    const first = fix("first", edit(0, 1, 0, 3, "X"));
    const second = fix("second", edit(0, 0, 0, 0, "<"), edit(0, 2, 0, 2, "!"));
    const third = fix("third", edit(0, 3, 0, 4, "D"));
    const picked = pickCompatibleFixes("abcd", [first, second, third]);
    assert.deepEqual(
      picked.map((f) => f.title),
      ["first", "third"],
    );
    assert.equal(
      applyEdits(
        "abcd",
        picked.flatMap((f) => f.edits),
      ),
      "aXD",
    );
  });

  it("drops a second fix that inserts at the same place (two MetadataOptions blocks would clash)", () => {
    const first = fix("first", edit(1, 0, 1, 0, "  MetadataOptions: {}\n"));
    const second = fix("second", edit(1, 0, 1, 0, "  MetadataOptions: {}\n"));
    assert.deepEqual(pickCompatibleFixes("a:\nb: 1\n", [first, second]), [first]);
  });

  it("drops a fix whose own edits overlap each other", () => {
    const broken = fix("broken", edit(0, 0, 0, 2, "X"), edit(0, 1, 0, 3, "Y"));
    assert.deepEqual(pickCompatibleFixes("abcd", [broken]), []);
  });
});
