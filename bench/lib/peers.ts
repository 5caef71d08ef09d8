// The tools people run today, on the same 1× files in the same run: checkov restricted to its IMDS
// checks, and cfn-lint (the CloudFormation linter most pipelines already have; it has no IMDS rule, so
// its count is of everything it reports). Both come from PyPI into a virtual environment made here.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { log, median, runChecked } from "./measure";

const STAMP = "bench-venv.stamp";

/**
 * Makes (or reuses) the venv at `venvDir` with `requirementsFile` installed. Idempotent: a stamp holds
 * the hash of the requirements, so an unchanged venv is reused and a changed one is rebuilt from scratch.
 */
export async function ensureVenv(venvDir: string, requirementsFile: string): Promise<string> {
  const python = process.env.BENCH_PYTHON ?? "python3";
  const wanted = createHash("sha256").update(readFileSync(requirementsFile)).digest("hex");
  const stampFile = join(venvDir, STAMP);
  const bin = join(venvDir, "bin");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === wanted) return bin;
  log(`installing ${basename(requirementsFile)} into ${venvDir} (first run only, about 2 minutes)`);
  rmSync(venvDir, { recursive: true, force: true });
  await runChecked(python, ["-m", "venv", venvDir]);
  await runChecked(
    join(bin, "pip"),
    ["install", "--quiet", "--disable-pip-version-check", "-r", requirementsFile],
    {
      timeoutMs: 15 * 60_000,
    },
  );
  writeFileSync(stampFile, `${wanted}\n`);
  return bin;
}

export interface PeerResult {
  tool: string;
  version: string;
  ms: number;
  cpu_ms: number;
  findings: number;
  runs: number;
}

interface CheckovReport {
  summary?: { failed?: number };
}

export async function runCheckov(bin: string, dir: string, runs: number): Promise<PeerResult> {
  const checkov = join(bin, "checkov");
  const version = (await runChecked(checkov, ["--version"])).stdout.trim();
  const times: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let run = 0; run < runs; run++) {
    // `--skip-download`: no calls to the Prisma Cloud API (this machine has no route to it anyway).
    const result = await runChecked(
      checkov,
      [
        ...["-d", ".", "--framework", "cloudformation", "--check", "CKV_AWS_79,CKV_AWS_341"],
        ...["-o", "json", "--quiet", "--skip-download"],
      ],
      { cwd: dir, okCodes: [0, 1], cpu: true },
    );
    times.push(result.ms);
    cpu.push(result.cpuMs ?? Number.NaN);
    const parsed = JSON.parse(result.stdout) as CheckovReport | CheckovReport[];
    findings = (Array.isArray(parsed) ? parsed : [parsed]).reduce(
      (sum, r) => sum + (r.summary?.failed ?? 0),
      0,
    );
  }
  log(`checkov ${version}: ${median(times).toFixed(0)} ms, ${findings} failed checks`);
  return { tool: "checkov", version, ms: median(times), cpu_ms: median(cpu), findings, runs };
}

export async function runCfnLint(
  bin: string,
  dir: string,
  templates: readonly string[],
  runs: number,
): Promise<PeerResult> {
  const cfnLint = join(bin, "cfn-lint");
  const version = (await runChecked(cfnLint, ["--version"])).stdout.trim();
  const times: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let run = 0; run < runs; run++) {
    // cfn-lint's exit code is a bit mask of the levels it found (2 error, 4 warning, 8 info).
    const result = await runChecked(cfnLint, ["--format", "json", "--", ...templates], {
      cwd: dir,
      okCodes: Array.from({ length: 16 }, (_, i) => i),
      cpu: true,
    });
    times.push(result.ms);
    cpu.push(result.cpuMs ?? Number.NaN);
    findings = (JSON.parse(result.stdout) as unknown[]).length;
  }
  log(`${version}: ${median(times).toFixed(0)} ms, ${findings} matches`);
  return { tool: "cfn-lint", version, ms: median(times), cpu_ms: median(cpu), findings, runs };
}
