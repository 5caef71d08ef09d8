// A CDK project's synthesised template (cdk.out) in VS Code: the finding names the construct, so a
// person knows which CDK code to change, and the CDK's requireImdsv2 pattern (a launch template
// linked by a literal LaunchTemplateName) is not reported (DESIGN.md "Inputs", CDK output).
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, test } from "node:test";
import { CodeServer } from "./harness/codeServer";
import { copyWorkspace } from "./harness/paths";
import { Workbench } from "./harness/workbench";

const TEMPLATE = "cdk.out/AppStack.template.json";

let server: CodeServer;

before(async () => {
  server = await CodeServer.start({ name: "cdk" });
});

after(async () => {
  await server?.stop();
});

test("a cdk.out template's finding names the construct path", async () => {
  const folder = await copyWorkspace("cdk");
  const workbench = await Workbench.open(server, folder, "cdk/construct-path");
  try {
    await workbench.step("open cdk.out template", () => workbench.openFile(TEMPLATE));
    const problems = await workbench.step("problems panel", () =>
      workbench.waitForProblems("a finding on the CDK template", (rows) =>
        rows.some((row) => row.file === TEMPLATE && row.source === "imds-guard"),
      ),
    );
    const findings = problems.filter((row) => row.file === TEMPLATE && row.source === "imds-guard");
    // Only the instance without MetadataOptions; SecureServer gets IMDSv2 from its launch template.
    assert.deepEqual(
      findings.map((row) => `${row.code} ${row.severity} ${row.line}:${row.column}`),
      ["IMDS002 warning 15:5"],
    );
    assert.match(findings[0]?.message ?? "", /AppStack\/WebServer\/Resource/);
    assert.doesNotMatch(findings.map((row) => row.message).join("\n"), /SecureServer/);
  } finally {
    await workbench.close();
    await rm(folder, { recursive: true, force: true });
  }
});
