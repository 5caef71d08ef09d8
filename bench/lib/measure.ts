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
  /** User + system CPU time of the command and its children (bash's `times`), when asked for. */
  cpuMs?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /**
   * Also take the CPU time. On a shared machine wall time rises with everyone else's load; CPU time
   * much less, so a ratio of CPU times checks a ratio of wall times taken on a busy machine.
   */
  cpu?: boolean;
}

const CPU_MARKER = "\n@@bench-cpu@@";

/** Runs `command args` under bash, which prints its children's CPU times after the command ends. */
function withCpuTimes(command: string, args: readonly string[]): [string, string[]] {
  const script = `"$@"; code=$?; printf '${CPU_MARKER.replace("\n", "\\n")}' >&2; times >&2; exit $code`;
  return ["bash", ["-c", script, "bash", command, ...args]];
}

/** `0m1.234s 0m0.056s` (user, system) → milliseconds. */
function parseTimes(line: string): number {
  let total = 0;
  for (const match of line.matchAll(/(\d+)m([\d.]+)s/g))
    total += Number(match[1]) * 60_000 + Number(match[2]) * 1000;
  return total;
}

/** Runs a command to completion and times it from spawn to exit (wall time, what a CI job waits for). */
export function runTimed(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [program, programArgs] = options.cpu ? withCpuTimes(command, args) : [command, [...args]];
    const child = spawn(program, programArgs, {
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
      const ms = performance.now() - started;
      let errorText = Buffer.concat(stderr).toString("utf8");
      let cpuMs: number | undefined;
      const marker = errorText.lastIndexOf(CPU_MARKER);
      if (options.cpu && marker >= 0) {
        // `times` prints the shell's own times, then its children's: the second line is the command's.
        const childLine =
          errorText
            .slice(marker + CPU_MARKER.length)
            .trim()
            .split("\n")[1] ?? "";
        cpuMs = parseTimes(childLine);
        errorText = errorText.slice(0, marker);
      }
      resolve({
        ms,
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: errorText,
        ...(cpuMs === undefined ? {} : { cpuMs }),
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
