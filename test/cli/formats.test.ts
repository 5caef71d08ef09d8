// `--format json` and `--format sarif`: shapes, 1-based positions, repo-relative URIs, and the
// SARIF 2.1.0 schema (the copy shipped in @microsoft/jest-sarif, from SchemaStore's sarif-2.1.0-rtm.5).
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import type * as Sarif from "sarif";
import { RULE_CATALOGUE } from "../../server/src/engine/rules/catalogue";
import { ensureBuilt, fixture, lineColumnOf, makeProject, REPO_ROOT, runCli } from "./helpers";

const optionalAt = lineColumnOf(fixture("launch-template-tokens-optional.yaml"), "optional\n");

function sarifValidator() {
  const schemaPath = join(
    REPO_ROOT,
    "node_modules",
    "@microsoft",
    "jest-sarif",
    "lib",
    "schemas",
    "sarif-2.1.0-rtm.5.json",
  );
  const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as object;
  // The schema's `language` pattern has a stray `]` that is only valid outside unicode mode.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

interface JsonReport {
  tool: string;
  version: string;
  summary: { filesChecked: number; findings: number; error: number; threshold: string; failed: boolean };
  findings: {
    ruleId: string;
    severity: string;
    file: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    resource?: string;
    fixes?: {
      title: string;
      edits: { range: { start: { line: number; character: number } }; newText: string }[];
    }[];
  }[];
  problems: { kind: string; file: string; range: { start: { line: number } } }[];
}

describe("imds-guard --format json|sarif", () => {
  let project: string;
  let version: string;
  before(() => {
    ensureBuilt();
    project = makeProject();
    version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
      .version;
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it("json: findings in the engine's shape with 1-based positions, plus problems and a summary", () => {
    const run = runCli(["--format", "json", "templates"], project);
    assert.equal(run.status, 1);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.tool, "imds-guard");
    assert.equal(report.version, version);
    const finding = report.findings.find((f) => f.file === "templates/optional.yaml");
    assert.ok(finding, "finding on templates/optional.yaml");
    assert.equal(finding.ruleId, "IMDS001");
    assert.equal(finding.severity, "error");
    assert.equal(finding.resource, "WebLaunchTemplate");
    assert.deepEqual(finding.range.start, { line: optionalAt.line, character: optionalAt.column });
    assert.deepEqual(finding.range.end, {
      line: optionalAt.line,
      character: optionalAt.column + "optional".length,
    });
    assert.equal(finding.fixes?.[0].edits[0].newText, "required");
    assert.deepEqual(finding.fixes?.[0].edits[0].range.start, finding.range.start);
    assert.deepEqual(
      report.problems.map((p) => [p.kind, p.file]),
      [["parse-error", "templates/broken.yaml"]],
    );
    assert.ok(report.problems[0].range.start.line >= 1);
    assert.equal(report.summary.filesChecked, 4);
    assert.equal(report.summary.threshold, "warning");
    assert.equal(report.summary.failed, true);
  });

  describe("sarif", () => {
    let log: Sarif.Log;
    let run: ReturnType<typeof runCli>;
    before(() => {
      run = runCli(["--format", "sarif"], project);
      log = JSON.parse(run.stdout) as Sarif.Log;
    });

    it("validates against the SARIF 2.1.0 schema", () => {
      const validate = sarifValidator();
      const valid = validate(log);
      assert.ok(valid, JSON.stringify(validate.errors, null, 2));
      assert.equal(log.version, "2.1.0");
      assert.equal(run.status, 1);
    });

    it("the schema check can fail: a result without a message is rejected", () => {
      const broken = JSON.parse(run.stdout) as { runs: { results: Partial<Sarif.Result>[] }[] };
      delete broken.runs[0].results[0].message;
      assert.equal(sarifValidator()(broken), false);
    });

    it("describes every rule with id, name, description, help URI and default level", () => {
      const driver = log.runs[0].tool.driver;
      assert.equal(driver.name, "imds-guard");
      assert.equal(driver.version, version);
      assert.match(driver.informationUri ?? "", /^https:\/\//);
      assert.deepEqual(
        driver.rules?.map((r) => r.id),
        RULE_CATALOGUE.map((r) => r.id),
      );
      const imds001 = driver.rules?.[0];
      assert.equal(imds001?.name, "tokens-optional");
      assert.equal(imds001?.helpUri, RULE_CATALOGUE[0].docsUrl);
      assert.ok(imds001?.shortDescription?.text);
      assert.equal(imds001?.defaultConfiguration?.level, "error");
      assert.equal(driver.rules?.find((r) => r.id === "IMDS008")?.defaultConfiguration?.level, "note");
    });

    it("results point at repo-relative URIs under %SRCROOT% with 1-based regions and carry fixes", () => {
      const [sarifRun] = log.runs;
      assert.equal(sarifRun.originalUriBaseIds?.["%SRCROOT%"]?.uri, `file://${project}/`);
      const result = sarifRun.results?.find(
        (r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri === "templates/optional.yaml",
      );
      assert.ok(result, "a result for templates/optional.yaml");
      assert.equal(result.ruleId, "IMDS001");
      assert.equal(sarifRun.tool.driver.rules?.[result.ruleIndex ?? -1]?.id, "IMDS001");
      assert.equal(result.level, "error");
      const location = result.locations?.[0].physicalLocation;
      assert.equal(location?.artifactLocation?.uriBaseId, "%SRCROOT%");
      assert.deepEqual(location?.region, {
        startLine: optionalAt.line,
        startColumn: optionalAt.column,
        endLine: optionalAt.line,
        endColumn: optionalAt.column + "optional".length,
      });
      const replacement = result.fixes?.[0].artifactChanges[0].replacements[0];
      assert.deepEqual(replacement?.deletedRegion, location?.region);
      assert.equal(replacement?.insertedContent?.text, "required");
      const uris = sarifRun.results
        ?.map((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri)
        .sort();
      assert.deepEqual(uris, [
        "cdk.out/Web.template.json",
        "nested/shared.yaml",
        "templates/optional.json",
        "templates/optional.yaml",
      ]);
    });

    it("cdk.out results carry no fixes (the fix belongs in the CDK source)", () => {
      const cdk = log.runs[0].results?.find((r) =>
        r.locations?.[0].physicalLocation?.artifactLocation?.uri?.startsWith("cdk.out/"),
      );
      assert.ok(cdk);
      assert.equal(cdk.fixes, undefined);
      assert.match(cdk.message.text ?? "", /WebStack\/WebLaunchTemplate\/Resource/);
    });

    it("parse errors become toolExecutionNotifications with their location", () => {
      const notifications = log.runs[0].invocations?.[0].toolExecutionNotifications ?? [];
      assert.equal(notifications.length, 1);
      assert.equal(notifications[0].level, "error");
      assert.equal(
        notifications[0].locations?.[0].physicalLocation?.artifactLocation?.uri,
        "templates/broken.yaml",
      );
      assert.ok((notifications[0].locations?.[0].physicalLocation?.region?.startLine ?? 0) >= 1);
      assert.equal(log.runs[0].invocations?.[0].executionSuccessful, true);
    });

    it("URIs are relative to the git root even when run from a subfolder", () => {
      const fromSub = JSON.parse(
        runCli(["--format", "sarif", "."], join(project, "templates")).stdout,
      ) as Sarif.Log;
      const uris = fromSub.runs[0].results
        ?.map((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri)
        .sort();
      assert.deepEqual(uris, ["templates/optional.json", "templates/optional.yaml"]);
    });

    it("--output writes the SARIF file for upload", () => {
      const out = runCli(["--format", "sarif", "--output", "imds.sarif", "templates/optional.yaml"], project);
      assert.equal(out.stdout, "");
      const written = JSON.parse(readFileSync(join(project, "imds.sarif"), "utf8")) as Sarif.Log;
      assert.equal(written.runs[0].results?.length, 1);
      assert.ok(sarifValidator()(written));
    });
  });
});
