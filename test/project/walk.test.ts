// The file walker on its own: the .gitignore cases that are awkward to see through the whole CLI.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { collectFiles } from "../../server/src/project/walk";
import { write } from "../cli/helpers";

describe("collectFiles", () => {
  const root = mkdtempSync(join(tmpdir(), "imds-walk-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  const files = (paths: string[], cwd = root, excluded: (p: string) => boolean = () => false) =>
    collectFiles(paths, cwd, excluded).files.map((f) => relative(root, f));

  mkdirSync(join(root, ".git"));
  write(root, ".gitignore", "sub/gen/\n*.local.yaml\n");
  write(root, "a.yaml", "");
  write(root, "b.local.yaml", "");
  write(root, "notes.txt", "");
  write(root, "Stack.template", "");
  write(root, "sub/gen/out.yaml", "");
  write(root, "sub/keep/.gitignore", "*.yaml\n!keep.yaml\n");
  write(root, "sub/keep/drop.yaml", "");
  write(root, "sub/keep/keep.yaml", "");
  write(root, "sub/keep/deep/also-dropped.yaml", "");
  symlinkSync(join(root, "sub"), join(root, "loop"));
  symlinkSync(join(root, "a.yaml"), join(root, "link.yml"));

  it("picks candidate extensions, applies root and nested .gitignore (with negation), follows file links only", () => {
    assert.deepEqual(files(["."]).sort(), ["Stack.template", "a.yaml", "link.yml", "sub/keep/keep.yaml"]);
  });

  it("applies .gitignore files above the folder it starts in, up to the repository root", () => {
    assert.deepEqual(files(["sub"]), ["sub/keep/keep.yaml"]);
    assert.deepEqual(files(["."], join(root, "sub")), ["sub/keep/keep.yaml"]);
  });

  it("lists each file once even when named twice or reached through its folder", () => {
    assert.deepEqual(
      files(["a.yaml", ".", "a.yaml"]).filter((f) => f === "a.yaml"),
      ["a.yaml"],
    );
  });

  it("reports missing paths separately and lets the exclude test prune folders", () => {
    const result = collectFiles(["nope", "."], root, (p) => p.endsWith(`${join("sub", "keep")}`));
    assert.deepEqual(result.missing, ["nope"]);
    assert.equal(
      result.files.some((f) => f.includes("keep.yaml")),
      false,
    );
  });
});
