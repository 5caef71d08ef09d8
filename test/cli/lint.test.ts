// `imds-guard [paths…]`: which files, the text report, exit codes, flags, config and bad input.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CLI,
  ensureBuilt,
  fixture,
  lineColumnOf,
  makeProject,
  REPO_ROOT,
  runCli,
  runIn,
  write,
} from "./helpers";

const optional = fixture("launch-template-tokens-optional.yaml");
const optionalAt = lineColumnOf(optional, "optional\n");
const ESC = String.fromCharCode(27);
const hasAnsi = (text: string) => text.includes(`${ESC}[`);

describe("imds-guard (lint)", () => {
  let project: string;
  before(() => {
    ensureBuilt();
    project = makeProject();
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  describe("files", () => {
    it("lints a folder, skipping .git, node_modules, .terraform and .gitignore'd paths, keeping cdk.out", () => {
      const run = runCli([], project);
      const locations = run.stdout
        .split("\n")
        .filter((line) => /\sIMDS\d{3}\s/.test(line))
        .map((line) => line.split(/\s+/)[0]);
      assert.deepEqual(locations, [
        "cdk.out/Web.template.json:8:27",
        `nested/shared.yaml:${optionalAt.line}:${optionalAt.column}`,
        "templates/optional.json:9:27",
        `templates/optional.yaml:${optionalAt.line}:${optionalAt.column}`,
      ]);
      assert.equal(run.status, 1);
    });

    it("prints each finding as path:line:col  severity  rule  message  [resource], then a summary", () => {
      const run = runCli(["templates/optional.yaml"], project);
      const [first] = run.stdout.split("\n");
      assert.match(
        first,
        new RegExp(
          `^templates/optional\\.yaml:${optionalAt.line}:${optionalAt.column}  error    IMDS001  .*optional.*  \\[WebLaunchTemplate\\]$`,
        ),
      );
      assert.match(
        run.stdout,
        /\n1 finding: 1 error, 0 warnings, 0 info, 0 hints \(1 file checked; 1 fixable with --fix\)\.\n$/,
      );
    });

    it("reports a malformed template once on stderr with file:line:col, and still lints the rest", () => {
      const run = runCli(["templates"], project);
      const parseErrors = run.stderr.split("\n").filter((line) => line.includes("broken.yaml"));
      assert.equal(parseErrors.length, 1);
      assert.match(parseErrors[0], /^templates\/broken\.yaml:\d+:\d+: parse-error: /);
      assert.match(run.stdout, /templates\/optional\.yaml:/);
      assert.doesNotMatch(run.stdout, /broken\.yaml/);
      assert.equal(run.status, 1);
    });

    it("exits 0 with 'No findings' on a clean template and on YAML that is not CloudFormation", () => {
      const run = runCli(["templates/required.yaml", "k8s/configmap.yaml"], project);
      assert.equal(run.stdout, "No findings (2 files checked).\n");
      assert.equal(run.stderr, "");
      assert.equal(run.status, 0);
    });

    it("lints a named file whatever its extension or .gitignore says", () => {
      const run = runCli(["ignored/optional.yaml"], project);
      assert.match(run.stdout, /^ignored\/optional\.yaml:/);
      assert.equal(run.status, 1);
    });

    it("honours a suppression comment end to end", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-suppress-"));
      write(dir, "legacy.yaml", fixture("suppressed-tokens-optional.yaml"));
      const run = runCli(["legacy.yaml"], dir);
      assert.doesNotMatch(run.stdout, /IMDS001/);
      assert.equal(run.status, 0);
      rmSync(dir, { recursive: true, force: true });
    });

    it("exits 2 naming a path that does not exist, after reporting the paths that do", () => {
      const run = runCli(["templates/optional.yaml", "no/such/dir"], project);
      assert.match(run.stderr, /imds-guard: no such file or directory: no\/such\/dir/);
      assert.match(run.stdout, /templates\/optional\.yaml:/);
      assert.equal(run.status, 2);
    });

    it("says so and exits 0 when there is nothing to lint", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-empty-"));
      write(dir, "README.md", "# nothing here\n");
      const run = runCli([], dir);
      assert.match(run.stderr, /no candidate files found/);
      assert.equal(run.status, 0);
      rmSync(dir, { recursive: true, force: true });
    });

    it("skips a binary file and a file over maxFileBytes with a notice, without crashing", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-bad-"));
      write(dir, "image.json", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff, 0xfe]));
      write(dir, "big.yaml", `${optional}\n# ${"x".repeat(4096)}\n`);
      write(dir, "small.yaml", optional);
      write(dir, ".imds-guard.yaml", "maxFileBytes: 2048\n");
      const run = runCli([], dir);
      assert.match(run.stderr, /^image\.json:1:1: skipped: not analysed: binary content$/m);
      assert.match(
        run.stderr,
        /^big\.yaml:1:1: skipped: not analysed: \d+ bytes is over the 2048-byte limit/m,
      );
      assert.equal(run.stderr.match(/big\.yaml/g)?.length, 1, "the large file is reported once");
      assert.match(run.stdout, /^small\.yaml:.* IMDS001 /m);
      assert.equal(run.status, 1);
      rmSync(dir, { recursive: true, force: true });
    });

    it("reports a file it cannot read and fails with 2 when nothing at all could be read", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-unreadable-"));
      execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
      const run = runCli(["pipe.yaml"], dir);
      assert.match(run.stderr, /imds-guard: cannot read .*pipe\.yaml: not a regular file/);
      assert.equal(run.status, 2);
      write(dir, "lt.yaml", optional);
      assert.equal(runCli(["pipe.yaml", "lt.yaml"], dir).status, 1, "one readable file is enough to report");
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe("flags", () => {
    it("--help prints every flag and exits 0", () => {
      const run = runCli(["--help"], project);
      for (const flag of [
        "--format",
        "--output",
        "--fix",
        "--severity-threshold",
        "--config",
        "--no-color",
        "--version",
        "--help",
      ]) {
        assert.ok(run.stdout.includes(flag), `help mentions ${flag}`);
      }
      assert.equal(run.status, 0);
    });

    it("--version prints package.json's version", () => {
      const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
        version: string;
      };
      const run = runCli(["--version"], project);
      assert.equal(run.stdout, `${version}\n`);
      assert.equal(run.status, 0);
    });

    for (const [args, message] of [
      [["--bogus"], /Unknown option '--bogus'/],
      [["--format", "xml"], /--format must be one of text, json, sarif \(got "xml"\)/],
      [
        ["--severity-threshold", "critical"],
        /--severity-threshold must be one of error, warning, info, hint/,
      ],
      [["--output"], /--output.*argument missing/],
    ] as const) {
      it(`exits 2 with a clear message on a bad command line: ${args.join(" ")}`, () => {
        const run = runCli([...args], project);
        assert.match(run.stderr, message);
        assert.match(run.stderr, /Run "imds-guard --help" for usage/);
        assert.equal(run.stdout, "");
        assert.equal(run.status, 2);
      });
    }

    it("--severity-threshold decides which findings fail the run", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-threshold-"));
      write(dir, "lt.yaml", optional);
      write(dir, ".imds-guard.yaml", "rules:\n  IMDS001: info\n");
      const byDefault = runCli([], dir);
      assert.match(byDefault.stdout, /lt\.yaml:\S+ {2}info {5}IMDS001 /);
      assert.equal(byDefault.status, 0, "info is below the default threshold (warning)");
      assert.equal(runCli(["--severity-threshold", "info"], dir).status, 1);
      assert.equal(runCli(["--severity-threshold", "hint"], dir).status, 1);
      assert.equal(runCli(["--severity-threshold", "error"], dir).status, 0);
      assert.equal(
        runCli(["--severity-threshold", "error"], project).status,
        1,
        "IMDS001 is an error by default",
      );
      rmSync(dir, { recursive: true, force: true });
    });

    it("--config reads the named file; a missing or malformed one exits 2 naming file and line", () => {
      write(project, "configs/quiet.yaml", "rules:\n  IMDS001: off\n");
      write(project, "configs/broken.yaml", "rules:\n  IMDS001: off\n  - x\n");
      const quiet = runCli(["--config", "configs/quiet.yaml", "templates/optional.yaml"], project);
      assert.doesNotMatch(quiet.stdout, /IMDS001/);
      assert.equal(quiet.status, 0);

      const missing = runCli(["--config", "configs/none.yaml"], project);
      assert.match(
        missing.stderr,
        /invalid config: .*configs\/none\.yaml: cannot read config file: no such file/,
      );
      assert.equal(missing.status, 2);

      const broken = runCli(["--config", "configs/broken.yaml"], project);
      assert.match(broken.stderr, /invalid config: .*configs\/broken\.yaml:3:\d+: /);
      assert.equal(broken.stdout, "");
      assert.equal(broken.status, 2);
    });

    it("warns about unknown keys and rule ids in the config, and goes on", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-config-"));
      write(dir, "lt.yaml", optional);
      write(dir, ".imds-guard.yaml", "rules:\n  IMDS999: off\ncolour: never\n");
      const run = runCli([], dir);
      assert.match(run.stderr, /^\.imds-guard\.yaml:2:3: warning: unknown rule id "IMDS999"/m);
      assert.match(run.stderr, /^\.imds-guard\.yaml:3:1: warning: unknown key "colour"/m);
      assert.equal(run.status, 1);
      rmSync(dir, { recursive: true, force: true });
    });

    it("the config's exclude globs remove files and folders, relative to the config file", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-exclude-"));
      write(dir, "generated/lt.yaml", optional);
      write(dir, "src/lt.yaml", optional);
      write(dir, "src/lt.template", optional);
      write(dir, ".imds-guard.yaml", "exclude:\n  - generated/\n  - '*.template'\n");
      const run = runCli([], join(dir, "src"));
      assert.match(run.stdout, /^lt\.yaml:/m);
      assert.doesNotMatch(run.stdout, /lt\.template|generated/);
      assert.equal(
        runCli(["generated/lt.yaml"], dir).stdout.includes("IMDS001"),
        false,
        "explicit files honour exclude",
      );
      rmSync(dir, { recursive: true, force: true });
    });

    it("config ignore paths are matched relative to the config file, wherever the command runs", () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-cli-ignore-"));
      mkdirSync(join(dir, ".git"));
      write(dir, "legacy/lt.yaml", optional);
      write(dir, "app/lt.yaml", optional);
      write(
        dir,
        ".imds-guard.yaml",
        "ignore:\n  - rule: IMDS001\n    paths: [legacy/**]\n    reason: retiring\n",
      );
      const fromRoot = runCli([], dir);
      assert.match(fromRoot.stdout, /^app\/lt\.yaml:/m);
      assert.doesNotMatch(fromRoot.stdout, /legacy/);
      const fromLegacy = runCli([], join(dir, "legacy"));
      assert.equal(fromLegacy.stdout, "No findings (1 file checked).\n");
      assert.equal(fromLegacy.status, 0);
      rmSync(dir, { recursive: true, force: true });
    });

    it("colours only when asked or on a terminal: FORCE_COLOR yes, NO_COLOR and --no-color no, pipes no", () => {
      const args = ["templates/optional.yaml"];
      assert.equal(hasAnsi(runCli(args, project, { FORCE_COLOR: "1" }).stdout), true);
      assert.equal(hasAnsi(runCli(args, project).stdout), false);
      assert.equal(hasAnsi(runCli(args, project, { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout), false);
      assert.equal(hasAnsi(runCli([...args, "--no-color"], project, { FORCE_COLOR: "1" }).stdout), false);
    });

    it("colours on a real terminal (a pseudo-terminal from util-linux `script`) unless NO_COLOR is set", () => {
      const onTerminal = (env: Record<string, string>) =>
        runIn(
          "script",
          ["-qec", `"${process.execPath}" "${CLI}" templates/optional.yaml`, "/dev/null"],
          project,
          env,
        );
      assert.equal(hasAnsi(onTerminal({})), true);
      assert.equal(hasAnsi(onTerminal({ NO_COLOR: "1" })), false);
    });

    it("--output writes the report to a file and nothing to stdout; an unwritable path exits 2", () => {
      const run = runCli(["templates/optional.yaml", "--output", "report.txt"], project);
      assert.equal(run.stdout, "");
      assert.match(
        readFileSync(join(project, "report.txt"), "utf8"),
        /^templates\/optional\.yaml:\d+:\d+ {2}error {4}IMDS001/,
      );
      assert.equal(run.status, 1);

      const bad = runCli(["templates/optional.yaml", "-o", "no/such/dir/report.txt"], project);
      assert.match(bad.stderr, /cannot write report to no\/such\/dir\/report\.txt/);
      assert.equal(bad.status, 2);
    });

    it("fleet: dispatches to the fleet command with the arguments after `fleet`", () => {
      const help = runCli(["fleet", "--help"], project);
      assert.match(help.stdout, /^Usage: imds-guard fleet/);
      assert.equal(help.status, 0);
      const bad = runCli(["fleet", "--bogus"], project);
      assert.match(bad.stderr, /unknown option --bogus/);
      assert.equal(bad.status, 2);
    });
  });
});
