// `--fix`: the engine's fixes written back atomically, then a report of what remains.
import assert from "node:assert/strict";
import { chmodSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { ensureBuilt, fixture, makeProject, runCli, write } from "./helpers";

describe("imds-guard --fix", () => {
  before(() => ensureBuilt());

  it("rewrites optional → required, keeps the file's mode, leaves no temp file, then reports what remains", () => {
    const project = makeProject();
    chmodSync(join(project, "templates", "optional.yaml"), 0o640);
    const cdkBefore = readFileSync(join(project, "cdk.out", "Web.template.json"), "utf8");
    const run = runCli(["--fix"], project);

    const fixed = readFileSync(join(project, "templates", "optional.yaml"), "utf8");
    assert.equal(
      fixed,
      fixture("launch-template-tokens-optional.yaml").replace("HttpTokens: optional", "HttpTokens: required"),
    );
    assert.equal(statSync(join(project, "templates", "optional.yaml")).mode & 0o777, 0o640);
    assert.match(
      readFileSync(join(project, "templates", "optional.json"), "utf8"),
      /\n {12}"HttpTokens": "required",\n/,
      "JSON keeps its indentation",
    );
    assert.deepEqual(readdirSync(join(project, "templates")).sort(), [
      "broken.yaml",
      "optional.json",
      "optional.yaml",
      "required.yaml",
    ]);
    assert.match(run.stderr, /imds-guard: applied 3 fixes in 3 files/);
    // What remains: the generated CDK template, which gets no edit and still fails the run.
    assert.equal(readFileSync(join(project, "cdk.out", "Web.template.json"), "utf8"), cdkBefore);
    assert.deepEqual(
      run.stdout
        .split("\n")
        .filter((line) => line.includes("IMDS0"))
        .map((line) => line.split(":")[0]),
      ["cdk.out/Web.template.json"],
    );
    assert.equal(run.status, 1);
    assert.equal(runCli(["templates", "nested"], project).status, 0, "a second run finds nothing to fix");
    rmSync(project, { recursive: true, force: true });
  });

  it("inserts missing MetadataOptions blocks and the re-analysis comes out clean", () => {
    const project = makeProject();
    write(project, "app.yaml", fixture("instance-and-launch-template-without-metadata-options.yaml"));
    const before = runCli(["app.yaml"], project);
    assert.equal(before.stdout.match(/ IMDS002 /g)?.length, 2);
    const run = runCli(["--fix", "app.yaml"], project);
    assert.equal(run.stdout, "No findings (1 file checked).\n");
    assert.equal(run.status, 0);
    assert.equal(readFileSync(join(project, "app.yaml"), "utf8").match(/HttpTokens: required/g)?.length, 2);
    rmSync(project, { recursive: true, force: true });
  });

  it("writes through a symlink to its target and keeps the link", () => {
    const project = makeProject();
    symlinkSync(join(project, "templates", "optional.yaml"), join(project, "link.yaml"));
    runCli(["--fix", "link.yaml"], project);
    assert.ok(lstatSync(join(project, "link.yaml")).isSymbolicLink());
    assert.match(readFileSync(join(project, "templates", "optional.yaml"), "utf8"), /HttpTokens: required/);
    rmSync(project, { recursive: true, force: true });
  });

  it("with --format sarif reports only what is left, and a suppressed finding is left alone", () => {
    const project = makeProject();
    write(project, "legacy.yaml", fixture("suppressed-tokens-optional.yaml"));
    const run = runCli(["--fix", "--format", "sarif", "legacy.yaml", "templates/optional.yaml"], project);
    const log = JSON.parse(run.stdout) as { runs: { results: unknown[] }[] };
    assert.deepEqual(log.runs[0].results, []);
    assert.equal(
      readFileSync(join(project, "legacy.yaml"), "utf8"),
      fixture("suppressed-tokens-optional.yaml"),
    );
    assert.equal(run.status, 0);
    rmSync(project, { recursive: true, force: true });
  });
});
