import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  ConfigError,
  createGlobMatcher,
  EMPTY_CONFIG,
  findConfig,
  loadConfig,
  parseConfig,
} from "../../../server/src/engine/config";

describe("parseConfig", () => {
  it("reads every documented key", () => {
    const { config, warnings } = parseConfig(
      [
        "rules:",
        "  IMDS002: hint",
        "  IMDS009: off",
        "ignore:",
        "  - rule: IMDS003",
        "    paths: [legacy/**]",
        "    reason: hosts retire in Q3",
        "  - IMDS001",
        "exclude:",
        "  - generated/",
        "podsNeedImds: false",
        "maxFileBytes: 1048576",
      ].join("\n"),
      "/repo/.imds-guard.yaml",
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(config, {
      rules: { IMDS002: "hint", IMDS009: "off" },
      ignore: [{ rule: "IMDS003", paths: ["legacy/**"], reason: "hosts retire in Q3" }, { rule: "IMDS001" }],
      exclude: ["generated/"],
      podsNeedImds: false,
      maxFileBytes: 1048576,
    });
  });

  it("treats an empty file as the empty config", () => {
    assert.deepEqual(parseConfig("", "c.yaml").config, EMPTY_CONFIG);
    assert.deepEqual(parseConfig("# nothing yet\n", "c.yaml").config, EMPTY_CONFIG);
  });

  it("reports unknown keys, unknown rule ids and bad values with their line, and keeps the rest", () => {
    const { config, warnings } = parseConfig(
      [
        "rules:",
        "  IMDS042: error",
        "  IMDS001: critical",
        "  IMDS002: info",
        "colour: true",
        "maxFileBytes: -3",
      ].join("\n"),
      "c.yaml",
    );
    assert.deepEqual(config.rules, { IMDS002: "info" });
    assert.deepEqual(
      warnings.map((w) => [w.range.start.line + 1, w.message.split(" (")[0].split(";")[0]]),
      [
        [2, 'unknown rule id "IMDS042"'],
        [3, "severity of IMDS001 must be one of error, warning, info, hint, off"],
        [5, 'unknown key "colour"'],
        [6, "maxFileBytes must be a positive whole number of bytes"],
      ],
    );
  });

  it("throws a ConfigError naming the file, line and column of malformed YAML", () => {
    assert.throws(
      () => parseConfig("rules:\n  IMDS001: error\n  - nope\n", "/repo/.imds-guard.yaml"),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^\/repo\/\.imds-guard\.yaml:3:\d+: /);
        return true;
      },
    );
  });

  it("rejects duplicate keys and a config that is not a map", () => {
    assert.throws(() => parseConfig("exclude: [a]\nexclude: [b]\n", "c.yaml"), /c\.yaml:2:1: .*unique/i);
    assert.throws(() => parseConfig("- rules\n", "c.yaml"), /c\.yaml:1:1: expected a map/);
  });
});

describe("findConfig / loadConfig", () => {
  const root = mkdtempSync(join(tmpdir(), "imds-config-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("finds the nearest config up to the repository root, and not above it", () => {
    const repo = join(root, "repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    mkdirSync(join(repo, "a", "b"), { recursive: true });
    writeFileSync(join(root, ".imds-guard.yaml"), "exclude: [outside]\n");
    assert.equal(findConfig(join(repo, "a", "b")), undefined);
    assert.deepEqual(loadConfig(join(repo, "a", "b")), { config: EMPTY_CONFIG, warnings: [] });

    writeFileSync(join(repo, ".imds-guard.yaml"), "exclude: [inside]\n");
    assert.equal(findConfig(join(repo, "a", "b")), join(repo, ".imds-guard.yaml"));
    assert.deepEqual(loadConfig(join(repo, "a")).config.exclude, ["inside"]);
  });
});

describe("createGlobMatcher", () => {
  it("matches with .gitignore syntax relative to the config folder", () => {
    const matches = createGlobMatcher(["generated/", "*.template", "!keep.template"]);
    assert.equal(matches("generated/x.yaml"), true);
    assert.equal(matches("a/b.template"), true);
    assert.equal(matches("keep.template"), false);
    assert.equal(matches("src/app.yaml"), false);
    assert.equal(matches("../generated/x.yaml"), false);
  });
});
