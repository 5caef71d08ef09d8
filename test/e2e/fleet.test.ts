// The Fleet Explorer in VS Code against a real EC2 API emulator (moto's server, the fleet tests'
// launcher and seeding from test/fleet/): code-server's environment carries AWS_ENDPOINT_URL and
// a test profile in its own shared config/credentials files, exactly as a person's would.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type Moto, startMoto, useMotoEnvironment } from "../fleet/moto";
import { describeInstance, seedRegion } from "../fleet/seed";
import { CodeServer } from "./harness/codeServer";
import { copyWorkspace, viewLabels } from "./harness/paths";
import { Workbench } from "./harness/workbench";

const PROFILE = "imds-guard-e2e";
const FLEET = viewLabels("imdsGuard.fleet");

let moto: Moto;
let restoreEnvironment: () => void;
let server: CodeServer;
let awsDir: string;
const ids = new Map<string, string>();

before(async () => {
  moto = await startMoto();
  // The test process seeds and inspects moto with the SDK; code-server gets its own profile below.
  restoreEnvironment = useMotoEnvironment(moto.endpoint);
  const east = await seedRegion({
    region: "us-east-1",
    instances: [
      {
        name: "web-legacy",
        metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 },
        imdsV1Calls: [[2, 0]],
      },
      { name: "api-secure", metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 1 } },
    ],
  });
  const west = await seedRegion({
    region: "eu-west-1",
    instances: [{ name: "batch-legacy", metadata: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 } }],
  });
  for (const [name, launched] of [...east, ...west]) ids.set(name, launched[0] as string);

  awsDir = await mkdtemp(path.join(tmpdir(), "imds-guard-e2e-aws-"));
  await writeFile(
    path.join(awsDir, "credentials"),
    `[${PROFILE}]\naws_access_key_id = AKIAIMDSGUARDE2E0001\naws_secret_access_key = imds-guard-e2e-secret-key-0000000000000\n`,
  );
  await writeFile(path.join(awsDir, "config"), `[profile ${PROFILE}]\nregion = us-east-1\n`);
  server = await CodeServer.start({
    name: "fleet",
    env: {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_CONFIG_FILE: path.join(awsDir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, "credentials"),
    },
    // Two regions, not the ~30 moto's DescribeRegions lists.
    settings: {
      "imdsGuard.fleet.profiles": [PROFILE],
      "imdsGuard.fleet.regions": ["us-east-1", "eu-west-1"],
    },
  });
});

after(async () => {
  await server?.stop();
  await moto?.stop();
  restoreEnvironment?.();
  if (awsDir) await rm(awsDir, { recursive: true, force: true });
});

test("the Fleet Explorer lists regions and IMDSv1 instances, and Require IMDSv2 changes the instance after a confirmation", async () => {
  const folder = await copyWorkspace(undefined);
  const workbench = await Workbench.open(server, folder, "fleet/require-imdsv2");
  try {
    await workbench.step("open Fleet Explorer", async () => {
      await workbench.openViewContainer(FLEET.container);
      await workbench.widenSideBar(620);
    });
    const east = workbench.treeRow(FLEET.view, "us-east-1");
    const west = workbench.treeRow(FLEET.view, "eu-west-1");
    await workbench.step("regions listed", async () => {
      await workbench.treeRow(FLEET.view, PROFILE).waitFor({ timeout: 60_000 });
      await east.waitFor({ timeout: 60_000 });
      await west.waitFor();
    });
    const webLegacy = workbench.treeRow(FLEET.view, `web-legacy (${ids.get("web-legacy")})`);
    const batchLegacy = workbench.treeRow(FLEET.view, `batch-legacy (${ids.get("batch-legacy")})`);
    await workbench.step("instances listed", async () => {
      await workbench.expand(east);
      await workbench.expand(west);
      await webLegacy.waitFor();
      await batchLegacy.waitFor();
    });
    const rows = await workbench.treeRows(FLEET.view);
    const web = rows.find((row) => row.label.startsWith("web-legacy"));
    // The facts a person decides on: tokens, hop limit and recent IMDSv1 use.
    assert.match(web?.description ?? "", /tokens optional · hop 1 · IMDSv1 calls: 0 in 14 d/);
    assert.ok(!rows.some((row) => row.label.startsWith("api-secure")), "a compliant instance is not listed");

    await workbench.step("Require IMDSv2 asks first", async () => {
      await workbench.contextMenu(webLegacy, "Require IMDSv2");
      await workbench.dialog.waitFor();
    });
    const question = await workbench.dialog.textContent();
    assert.match(question ?? "", /Require IMDSv2 on 1 instance\(s\) in us-east-1\?/);
    assert.match(question ?? "", /web-legacy/);
    assert.match(question ?? "", /IMDSv1 calls/);
    // Nothing changes before the answer.
    assert.equal(
      (await describeInstance("us-east-1", ids.get("web-legacy") ?? "")).MetadataOptions?.HttpTokens,
      "optional",
    );

    await workbench.step("confirmed", () => workbench.answerDialog("Require IMDSv2"));
    await workbench.step("instance leaves the list", async () => {
      await webLegacy.waitFor({ state: "detached", timeout: 60_000 });
      await batchLegacy.waitFor();
    });
    const changed = await describeInstance("us-east-1", ids.get("web-legacy") ?? "");
    assert.equal(changed.MetadataOptions?.HttpTokens, "required");
    // Only the confirmed instance changed.
    const untouched = await describeInstance("eu-west-1", ids.get("batch-legacy") ?? "");
    assert.equal(untouched.MetadataOptions?.HttpTokens, "optional");
  } finally {
    await workbench.close();
    await rm(folder, { recursive: true, force: true });
  }
});
