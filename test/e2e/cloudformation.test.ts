// A person opens CloudFormation templates in VS Code with the packaged extension installed: the
// Problems panel, the hover, the lightbulb and Fix All. Expected rule ids and positions follow
// DESIGN.md ("Rule catalogue", "Where a finding points") on the fixtures in fixtures/cfn/.
import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { CodeServer } from "./harness/codeServer";
import { copyWorkspace } from "./harness/paths";
import { type Problem, Workbench } from "./harness/workbench";

const THREE_PATHS = "three-launch-paths.yaml";
const WEB_SERVER = "web-server.yaml";

/**
 * What a person checks in a row: rule, severity and where (1-based, as the panel shows it), in
 * file order (the panel itself lists errors first).
 */
function summary(problems: Problem[], file: string): string[] {
  return problems
    .filter((problem) => problem.file === file && problem.source === "imds-guard")
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map((problem) => `${problem.code} ${problem.severity} ${problem.line}:${problem.column}`);
}

let server: CodeServer;

before(async () => {
  server = await CodeServer.start({ name: "cloudformation" });
});

after(async () => {
  await server?.stop();
});

/** Each scenario gets its own copy of the workspace (fixes are saved to disk) and its own browser. */
async function withWorkbench(scenario: string, body: (workbench: Workbench) => Promise<void>): Promise<void> {
  const folder = await copyWorkspace("cfn");
  const workbench = await Workbench.open(server, folder, `cloudformation/${scenario}`);
  try {
    await body(workbench);
  } finally {
    await workbench.close();
    await rm(folder, { recursive: true, force: true });
  }
}

test("a CloudFormation template lists its IMDS findings in the Problems panel, and the hover explains the resolution", async () => {
  await withWorkbench("problems-and-hover", async (workbench) => {
    await workbench.step("open template", () => workbench.openFile(THREE_PATHS));
    const problems = await workbench.step("problems panel", () =>
      workbench.waitForProblems(
        "the three findings of three-launch-paths.yaml",
        (rows) => summary(rows, THREE_PATHS).length >= 3,
      ),
    );
    assert.deepEqual(summary(problems, THREE_PATHS), [
      // AppTemplate: a launch template with no MetadataOptions → its logical id.
      "IMDS002 warning 4:3",
      // Bastion: HttpTokens: optional → the value.
      "IMDS001 error 16:21",
      // LegacyConfig: MetadataOptions without HttpTokens → the block's key.
      "IMDS002 warning 22:7",
    ]);
    const bastion = problems.find((problem) => problem.code === "IMDS001");
    assert.match(bastion?.message ?? "", /Bastion.*optional/);

    const explainValue = await workbench.step("hover on HttpTokens optional", async () => {
      await workbench.goTo(16, 21);
      return await workbench.hoverText(/Precedence/);
    });
    // The diagnostic and the resolution table: where each option's value came from.
    assert.match(explainValue, /IMDS001/);
    assert.match(explainValue, /HttpTokens\s+optional\s+set here \(line 16\)/);

    const explainInherited = await workbench.step(
      "hover on a launch configuration without HttpTokens",
      async () => {
        await workbench.page.keyboard.press("Escape");
        await workbench.goTo(22, 7);
        return await workbench.hoverText(/Precedence/);
      },
    );
    // The whole chain of seed 001's precedence, step by step, for a value nobody set.
    assert.match(explainInherited, /HttpTokens\s+optional\s+not set on this launch configuration/);
    assert.match(explainInherited, /account default.*AMI.*EC2's default/s);
  });
});

test("a quick fix from the lightbulb sets HttpTokens to required and the finding goes", async () => {
  await withWorkbench("quick-fix", async (workbench) => {
    await workbench.step("open template", () => workbench.openFile(WEB_SERVER));
    await workbench.step("finding listed", () =>
      workbench.waitForProblems("IMDS001 on web-server.yaml line 10", (rows) =>
        summary(rows, WEB_SERVER).includes("IMDS001 error 10:21"),
      ),
    );
    await workbench.step("cursor on the finding", () => workbench.goTo(10, 21));
    const offered = await workbench.step("lightbulb menu", () => workbench.openLightbulbMenu());
    assert.ok(offered.includes("Set HttpTokens to required"), `the lightbulb offered: ${offered.join(", ")}`);

    await workbench.step("apply quick fix", () => workbench.chooseCodeAction("Set HttpTokens to required"));
    await workbench.step("finding gone", () =>
      workbench.waitForProblems(
        "no finding left on web-server.yaml",
        (rows) => summary(rows, WEB_SERVER).length === 0,
      ),
    );
    assert.match(await workbench.editorText(), /^ {8}HttpTokens: required$/m);

    await workbench.step("saved", () => workbench.save());
    const original = await readFile(path.join(__dirname, "fixtures/cfn", WEB_SERVER), "utf8");
    const saved = await readFile(path.join(workbench.folder, WEB_SERVER), "utf8");
    assert.equal(saved, original.replace("HttpTokens: optional", "HttpTokens: required"));
  });
});

test("Fix All fixes every finding of a template at once", async () => {
  await withWorkbench("fix-all", async (workbench) => {
    await workbench.step("open template", () => workbench.openFile(THREE_PATHS));
    await workbench.step("three findings", () =>
      workbench.waitForProblems("three findings", (rows) => summary(rows, THREE_PATHS).length === 3),
    );
    await workbench.step("run Fix All", () => workbench.runCommand("Fix All"));
    await workbench.step("all findings gone", () =>
      workbench.waitForProblems(
        "no finding left on three-launch-paths.yaml",
        (rows) => summary(rows, THREE_PATHS).length === 0,
      ),
    );
    await workbench.step("saved", () => workbench.save());
    const saved = await readFile(path.join(workbench.folder, THREE_PATHS), "utf8");
    // One HttpTokens: required per launch path, each inside that resource's own block.
    assert.equal(saved.match(/HttpTokens: required/g)?.length, 3, saved);
    assert.doesNotMatch(saved, /HttpTokens: optional/);
    const resources = saved.split(/\n {2}(?=\w+:\n)/);
    for (const name of ["AppTemplate", "Bastion", "LegacyConfig"]) {
      const block = resources.find((candidate) => candidate.startsWith(`${name}:`));
      assert.match(block ?? "", /HttpTokens: required/, `${name} was not fixed:\n${saved}`);
    }
  });
});
