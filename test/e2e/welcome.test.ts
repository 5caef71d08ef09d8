// A person without AWS credentials opens the Fleet Explorer: instead of an empty tree or an error,
// the welcome view says what is missing and offers the steps to configure it (issue 3).
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, test } from "node:test";
import { CodeServer } from "./harness/codeServer";
import { copyWorkspace, viewLabels } from "./harness/paths";
import { Workbench } from "./harness/workbench";

const FLEET = viewLabels("imdsGuard.fleet");

let server: CodeServer;

before(async () => {
  // The harness gives code-server no AWS variables and shared config/credentials paths that do not
  // exist, with the instance-metadata provider off: the default credential chain finds nothing.
  server = await CodeServer.start({ name: "welcome" });
});

after(async () => {
  await server?.stop();
});

test("without credentials the Fleet Explorer shows its welcome view with the steps to configure them", async () => {
  const folder = await copyWorkspace(undefined);
  const workbench = await Workbench.open(server, folder, "welcome/no-credentials");
  try {
    await workbench.step("open Fleet Explorer", () => workbench.openViewContainer(FLEET.container));
    const welcome = workbench.view(FLEET.view).locator(".welcome-view-content");
    await workbench.step("welcome view", () => welcome.waitFor({ timeout: 60_000 }));
    const text = (await welcome.textContent()) ?? "";
    assert.match(text, /No AWS credentials found/);
    assert.match(text, /aws configure sso/);
    const buttons = await welcome.locator(".monaco-button").allTextContents();
    assert.ok(
      buttons.some((label) => /Select Profiles/.test(label)),
      `the welcome view offers: ${buttons.join(", ")}`,
    );
  } finally {
    await workbench.close();
    await rm(folder, { recursive: true, force: true });
  }
});
