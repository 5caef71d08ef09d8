// Starts moto's server (a real EC2/CloudWatch/STS API emulator) for one test file: the venv is
// created once by scripts/moto/setup_venv.py (cached under .cache/, safe when test files run in
// parallel), the launcher fills moto's EC2 gaps and listens on a free loopback port, and closing
// its stdin stops it. The SDK reaches it through AWS_ENDPOINT_URL, the standard setting the
// product honours, never through a test-only code path.

import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const REPO = resolve(__dirname, "..", "..");
const SETUP = join(REPO, "scripts", "moto", "setup_venv.py");
const LAUNCHER = join(REPO, "scripts", "moto", "launcher.py");

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

/** Fault injection, `REGION:SERVICE:denied|throttled|slow` (see launcher.py). */
export interface MotoOptions {
  faults?: string[];
}

function motoPython(): string {
  const setup = spawnSync("python3", [SETUP], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (setup.status !== 0) throw new Error(`scripts/moto/setup_venv.py failed with exit code ${setup.status}`);
  return setup.stdout.trim().split("\n").at(-1) as string;
}

export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const python = motoPython();
  const args = [LAUNCHER, ...(options.faults ?? []).flatMap((fault) => ["--fault", fault])];
  const child = spawn(python, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  const endpoint = await new Promise<string>((resolveEndpoint, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto did not start within 60 s:\n${stderr}`)), 60_000);
    lines.on("line", (line) => {
      const ready = /^READY (http:\/\/\S+)$/.exec(line);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolveEndpoint(ready[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited with code ${code}:\n${stderr}`));
    });
  });
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Points the SDK at moto with dummy static credentials and no shared files from the machine, so the
 * test sees exactly what it seeded. Returns a function that restores the previous environment.
 */
export function useMotoEnvironment(endpoint: string): () => void {
  const saved = { ...process.env };
  const empty = mkdtempSync(join(tmpdir(), "imds-guard-aws-"));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "AKIAIMDSGUARDTEST0001",
    AWS_SECRET_ACCESS_KEY: "imds-guard-test-secret-access-key-0000000000",
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: join(empty, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
