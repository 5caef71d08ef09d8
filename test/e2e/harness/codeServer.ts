// Starts code-server (the open-source VS Code server) with the packaged .vsix installed, on a free
// loopback port, with every directory it writes to inside one throwaway folder. DESIGN.md "How we
// test" item 4: code-server writes into $HOME unless XDG_* point elsewhere, and the workbench
// must open straight onto the workspace (no welcome page, telemetry or workspace-trust prompt).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { extensionId, repoRoot, resultsDir } from "./paths";

const execFileAsync = promisify(execFile);

/** Settings that make a fresh workbench open straight onto the workspace, quietly. */
const USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "window.restoreWindows": "none",
  // The suite saves explicitly, then reads the file from disk: no save may happen behind its back.
  "files.autoSave": "off",
  "editor.hover.delay": 200,
  "editor.lightbulb.enabled": "on",
  "editor.stickyScroll.enabled": false,
};

export interface CodeServerOptions {
  /** Names the scenario's folder under test-results/e2e/ (logs, screenshots). */
  name: string;
  /** Extra environment for code-server and so for the extension host (e.g. the moto endpoint). */
  env?: Record<string, string>;
  /** User settings on top of the quiet defaults (e.g. the Fleet Explorer's profiles and regions). */
  settings?: Record<string, unknown>;
}

/** Where `npm run test:e2e` (scripts/e2e/run.sh) put code-server and the .vsix; else ask install.sh. */
async function locateInstallation(): Promise<{ entry: string; vsix: string }> {
  let entry = process.env.IMDS_GUARD_E2E_CODE_SERVER;
  if (!entry) {
    const { stdout } = await execFileAsync("bash", [path.join(repoRoot, "scripts/e2e/install.sh")], {
      maxBuffer: 16 * 1024 * 1024,
    });
    entry = stdout.trim();
  }
  const vsix = process.env.IMDS_GUARD_E2E_VSIX ?? path.join(repoRoot, "dist/imds-guard.vsix");
  try {
    await readFile(vsix);
  } catch {
    throw new Error(`no packaged extension at ${vsix}: run \`npm run package\` (or \`npm run test:e2e\`)`);
  }
  return { entry, vsix };
}

async function freeLoopbackPort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment code-server (and the extension host it spawns) runs with: the caller's, minus
 * every AWS_* variable (a developer's own credentials must never reach a scenario), with the
 * SDK's instance-metadata credential provider switched off (this machine must not call IMDS),
 * and with the scenario's own additions.
 */
function scenarioEnvironment(root: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("AWS_")) env[key] = value;
  }
  return {
    ...env,
    XDG_CONFIG_HOME: path.join(root, "xdg/config"),
    XDG_DATA_HOME: path.join(root, "xdg/data"),
    XDG_CACHE_HOME: path.join(root, "xdg/cache"),
    // Point the shared files at paths that do not exist unless a scenario supplies its own, so the
    // developer's ~/.aws never leaks in.
    AWS_CONFIG_FILE: path.join(root, "aws/config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, "aws/credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

export class CodeServer {
  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly root: string,
    private readonly process: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const { entry, vsix } = await locateInstallation();
    const root = await mkdtemp(path.join(tmpdir(), `imds-guard-e2e-${options.name}-`));
    const userDataDir = path.join(root, "user-data");
    const extensionsDir = path.join(root, "extensions");
    await mkdir(path.join(userDataDir, "User"), { recursive: true });
    await mkdir(extensionsDir, { recursive: true });
    await writeFile(
      path.join(userDataDir, "User/settings.json"),
      JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2),
    );
    const env = scenarioEnvironment(root, options.env ?? {});
    const common = ["--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];

    await execFileAsync(process.execPath, [entry, ...common, "--install-extension", vsix], { env });
    const { stdout: installed } = await execFileAsync(
      process.execPath,
      [entry, ...common, "--list-extensions"],
      {
        env,
      },
    );
    if (!installed.split("\n").includes(extensionId)) {
      throw new Error(
        `code-server did not install ${extensionId} from ${vsix}; it lists: ${installed.trim()}`,
      );
    }

    const port = await freeLoopbackPort();
    const logFile = path.join(root, "code-server.log");
    const log = createWriteStream(logFile);
    const child = spawn(
      process.execPath,
      [
        entry,
        ...common,
        "--bind-addr",
        `127.0.0.1:${port}`,
        "--auth",
        "none",
        "--config",
        path.join(root, "code-server.yaml"),
        "--disable-telemetry",
        "--disable-update-check",
        "--disable-workspace-trust",
        "--disable-getting-started-override",
        "--ignore-last-opened",
      ],
      // Its own process group, so stop() ends the extension host and the language server with it.
      { env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const server = new CodeServer(options.name, `http://127.0.0.1:${port}`, root, child, exited);
    try {
      await server.waitUntilServing();
    } catch (error) {
      await server.stop();
      const tail = (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-30).join("\n");
      throw new Error(`${(error as Error).message}\ncode-server log:\n${tail}`);
    }
    return server;
  }

  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`code-server exited with ${this.process.exitCode}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error("code-server did not answer /healthz within 60 s");
  }

  /** The workbench URL that opens `folder` as the workspace. */
  workspaceUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  /** Stops code-server and everything it started; keeps its logs under test-results/e2e/<name>/logs. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.pid !== undefined) {
      try {
        process.kill(-this.process.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5_000));
      if ((await Promise.race([this.exited, timeout])) === "timeout") {
        try {
          process.kill(-this.process.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    await this.keepLogs();
    await rm(this.root, { recursive: true, force: true });
  }

  /** code-server's own log, the extension host's and the extension's output channels. */
  private async keepLogs(): Promise<void> {
    const target = path.join(resultsDir, this.name, "logs");
    await mkdir(target, { recursive: true });
    await cp(path.join(this.root, "code-server.log"), path.join(target, "code-server.log")).catch(
      () => undefined,
    );
    const logsRoot = path.join(this.root, "user-data/logs");
    const entries = await readdir(logsRoot, { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries) {
      if (entry.endsWith(".log")) {
        await cp(path.join(logsRoot, entry), path.join(target, entry.replaceAll(path.sep, "_"))).catch(
          () => undefined,
        );
      }
    }
  }
}
