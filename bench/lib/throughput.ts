// CLI throughput against the parse-only floor, per corpus scale, plus the peers on the 1× files.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Corpus } from "./corpus";
import { log, median, type ProcessRun, runChecked } from "./measure";

export interface ScaleTiming {
  scale: number;
  files: number;
  megabytes: number;
  cli_ms: number;
  floor_ms: number;
  cli_over_parse: number;
  /** The same medians in CPU time (user + system), less sensitive to other load on the machine. */
  cli_cpu_ms: number;
  floor_cpu_ms: number;
  cli_over_parse_cpu: number;
  findings: number;
}

interface CliReport {
  summary: { filesChecked: number; findings: number };
  problems?: unknown[];
}

/** Our CLI's JSON report for `dir` (the folder is its own repository: see corpus.ts). */
export async function runCli(
  cliPath: string,
  dir: string,
  reportPath: string,
): Promise<ProcessRun & { report: CliReport }> {
  rmSync(reportPath, { force: true });
  // Exit 1 means "findings at or above the threshold": the expected outcome on this corpus.
  const run = await runChecked(process.execPath, [cliPath, ".", "--format", "json", "--output", reportPath], {
    cwd: dir,
    okCodes: [0, 1],
    cpu: true,
  });
  return { ...run, report: JSON.parse(readFileSync(reportPath, "utf8")) as CliReport };
}

export async function measureThroughput(
  corpus: Corpus,
  cliPath: string,
  floorPath: string,
  runs: number,
  workDir: string,
): Promise<ScaleTiming[]> {
  const results: ScaleTiming[] = [];
  for (const [scaleText, { dir, files, bytes }] of Object.entries(corpus.scales)) {
    const scale = Number(scaleText);
    const cliTimes: number[] = [];
    const floorTimes: number[] = [];
    const cliCpu: number[] = [];
    const floorCpu: number[] = [];
    let findings = 0;
    let filesChecked = 0;
    for (let run = 0; run < runs; run++) {
      // Alternate the order so a machine that speeds up or slows down during the run favours neither.
      const order = run % 2 === 0 ? (["cli", "floor"] as const) : (["floor", "cli"] as const);
      for (const which of order) {
        if (which === "cli") {
          const cli = await runCli(cliPath, dir, join(workDir, `cli-report-${scale}.json`));
          cliTimes.push(cli.ms);
          cliCpu.push(cli.cpuMs ?? Number.NaN);
          findings = cli.report.summary.findings;
          filesChecked = cli.report.summary.filesChecked;
        } else {
          const floor = await runChecked(process.execPath, [floorPath, "."], { cwd: dir, cpu: true });
          floorTimes.push(floor.ms);
          floorCpu.push(floor.cpuMs ?? Number.NaN);
          const { files: floorFiles } = JSON.parse(floor.stdout) as { files: number };
          if (floorFiles !== files.length)
            throw new Error(`the floor read ${floorFiles} files in ${dir}, the corpus has ${files.length}`);
        }
      }
    }
    if (filesChecked !== files.length)
      log(`warning: the CLI checked ${filesChecked} files at ${scale}x, the corpus has ${files.length}`);
    const timing: ScaleTiming = {
      scale,
      files: files.length,
      megabytes: bytes / 1024 / 1024,
      cli_ms: median(cliTimes),
      floor_ms: median(floorTimes),
      cli_over_parse: median(cliTimes) / median(floorTimes),
      cli_cpu_ms: median(cliCpu),
      floor_cpu_ms: median(floorCpu),
      cli_over_parse_cpu: median(cliCpu) / median(floorCpu),
      findings,
    };
    log(
      `${scale}x: ${files.length} files, cli ${timing.cli_ms.toFixed(0)} ms, floor ${timing.floor_ms.toFixed(0)} ms, ` +
        `ratio ${timing.cli_over_parse.toFixed(2)} (CPU ${timing.cli_over_parse_cpu.toFixed(2)}), ${findings} findings`,
    );
    results.push(timing);
  }
  return results;
}
