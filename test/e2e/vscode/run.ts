// `npm run test:vscode`: the end-to-end checks through the VS Code API, in a desktop VS Code that
// @vscode/test-electron downloads (docs/testing.md). Where that download is not reachable (these
// build machines) it stops with the reason; the code-server suite (`npm run test:e2e`) is the one
// that runs here.
import { execFileSync } from "node:child_process";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runTests } from "@vscode/test-electron";
import { build } from "esbuild";
import { fixturesDir, repoRoot } from "../harness/paths";

/** The VS Code the code-server suite runs (code-server 4.100.3 embeds 1.100.3). */
const VSCODE_VERSION = process.env.IMDS_GUARD_VSCODE_VERSION ?? "1.100.3";

async function main(): Promise<void> {
  execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: "inherit" });
  // The suite runs inside the extension host, which loads CommonJS from disk.
  const suite = path.join(repoRoot, "out/e2e-vscode/suite.js");
  await build({
    entryPoints: [path.join(__dirname, "suite.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["vscode"],
    outfile: suite,
    logLevel: "warning",
  });
  // One private workspace holding both fixture folders: fixes are applied to it.
  const workspace = await mkdtemp(path.join(tmpdir(), "imds-guard-vscode-"));
  await cp(path.join(fixturesDir, "cfn"), path.join(workspace, "cfn"), { recursive: true });
  await cp(path.join(fixturesDir, "cdk"), path.join(workspace, "cdk"), { recursive: true });
  const userData = await mkdtemp(path.join(tmpdir(), "imds-guard-vscode-user-"));

  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) env[key] = undefined;
  await runTests({
    version: VSCODE_VERSION,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suite,
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--user-data-dir", userData],
    extensionTestsEnv: {
      ...env,
      // As in the code-server suite: no developer credentials, no call to the instance metadata service.
      AWS_CONFIG_FILE: path.join(userData, "aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(userData, "aws-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    },
  });
}

main().catch((error: unknown) => {
  console.error(`test:vscode failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(
    "If VS Code could not be downloaded (no access to update.code.visualstudio.com), run `npm run test:e2e` instead.",
  );
  process.exit(1);
});
