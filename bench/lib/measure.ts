// Timing helpers. Every figure the benchmark reports is a median (or a percentile) over repeated runs,
// and every comparison is a ratio of figures measured in the same run: shared machines are noisy.
import { spawn } from "node:child_process";

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Linear interpolation between closest ranks (the common "R-7" definition). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (rank - low);
}

export const round = (value: number, digits = 2): number =>
  Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value;

export interface ProcessRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs a command to completion and times it from spawn to exit (wall time, what a CI job waits for). */
export function runTimed(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill("SIGKILL");
          }, options.timeoutMs);
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({
        ms: performance.now() - started,
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
}

/** Runs and fails loudly (with the command's own stderr) unless it exits with one of `okCodes`. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: RunOptions & { okCodes?: readonly number[] } = {},
): Promise<ProcessRun> {
  const run = await runTimed(command, args, options);
  const ok = options.okCodes ?? [0];
  if (run.code === null || !ok.includes(run.code))
    throw new Error(
      `${command} ${args.join(" ")} exited with ${run.code ?? "a signal"}:\n${run.stderr.slice(-2000) || run.stdout.slice(-2000)}`,
    );
  return run;
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
