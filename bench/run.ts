// `npm run bench`: builds, generates the corpus, measures, writes bench/results/latest.json, prints the
// table and refreshes BENCHMARKS.md. See bench/README.md for what each figure means and how it is taken.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, type as osType, release, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { inspectBundles } from "./lib/artifacts";
import { type Corpus, generateCorpus } from "./lib/corpus";
import { measureEditorLatency, measureServerReady, measureWorkspaceScan } from "./lib/lsp";
import { log, median, type ProcessRun, runChecked, runTimed } from "./lib/measure";
import { ensureVenv, type PeerResult, runCfnLint, runCheckov } from "./lib/peers";
import { profileCli } from "./lib/profile";
import { printTable, type Results, type SizeKey, updateBenchmarksMd } from "./lib/report";
import { measureThroughput, runCli, type ScaleTiming } from "./lib/throughput";

const REPO = join(__dirname, "..");
const CACHE = join(REPO, ".cache", "bench");
const USAGE = `npm run bench -- [--runs N] [--peer-runs N] [--seed N] [--skip SECTIONS] [--no-build]

  --runs       repetitions of each CLI / parse-only / server-start measurement (default 3)
  --peer-runs  repetitions of checkov, cfn-lint and the fleet comparison (default 1: each takes minutes)
  --seed       corpus seed (default 1; the corpus sha256 in the results identifies it)
  --skip       sections to leave out, comma-separated: throughput, peers, lsp, profile, fleet, vsix
  --no-build   measure dist/ as it is (no npm run package / build first)
`;

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "peer-runs": { type: "string", default: "1" },
    seed: { type: "string", default: "1" },
    skip: { type: "string", default: "" },
    "no-build": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const runs = Number(args.runs);
const peerRuns = Number(args["peer-runs"]);
const seed = Number(args.seed);
const skip = new Set(args.skip.split(",").filter(Boolean));
for (const [name, value] of [
  ["--runs", runs],
  ["--peer-runs", peerRuns],
  ["--seed", seed],
] as const)
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench: ${name} must be a positive integer\n${USAGE}`);
    process.exit(2);
  }

const EDITS: Record<SizeKey, number> = { "10k": 60, "100k": 40, "1m": 20 };

function machine(): Results["machine"] {
  const cpuInfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /model name\s*:\s*(.+)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  return {
    cpu: model.trim(),
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 1024 ** 3),
    node: process.versions.node,
    os: `${osType()} ${release()}`,
  };
}

/** Production bundles (what ships) and the .vsix when the project can package one. */
async function buildProject(notes: Record<string, string>): Promise<number | null> {
  const scripts = (
    JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts?: Record<string, string> }
  ).scripts;
  if (!skip.has("vsix") && scripts?.package) {
    log("npm run package (production bundles and the .vsix)");
    const packaged = await runTimed("npm", ["run", "package"], { cwd: REPO });
    const vsix = join(REPO, "dist", "imds-guard.vsix");
    if (packaged.code === 0 && existsSync(vsix)) return statSync(vsix).size;
    notes.vsix = `npm run package failed (exit ${packaged.code}): ${(packaged.stderr || packaged.stdout).trim().split("\n").slice(-3).join(" / ")}`;
  } else {
    notes.vsix = skip.has("vsix") ? "skipped (--skip vsix)" : "package.json has no package script";
  }
  log("npm run build -- --production");
  await runChecked("npm", ["run", "build", "--", "--production"], { cwd: REPO });
  return null;
}

/** The parse-only floor, bundled like the CLI so both pay the same start-up. */
async function buildFloor(): Promise<string> {
  const outfile = join(CACHE, "floor.js");
  await build({
    entryPoints: [join(__dirname, "lib", "floor.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    // jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow; its ESM build is the same code.
    mainFields: ["module", "main"],
    logLevel: "warning",
  });
  return outfile;
}

async function section<T>(
  name: string,
  notes: Record<string, string>,
  errors: string[],
  body: () => Promise<T>,
): Promise<T | null> {
  if (skip.has(name)) {
    notes[name] ??= `skipped (--skip ${name})`;
    return null;
  }
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${name} failed: ${message}`);
    notes[name] = `failed: ${message.split("\n")[0]}`;
    errors.push(name);
    return null;
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  mkdirSync(CACHE, { recursive: true });
  const notes: Record<string, string> = {};
  const errors: string[] = [];

  const vsixBytes = args["no-build"] ? null : await buildProject(notes);
  if (args["no-build"]) notes.vsix = "not built (--no-build)";
  const floor = await buildFloor();
  const cli = join(REPO, "dist", "cli.js");

  log(`generating the corpus (seed ${seed})`);
  const corpus: Corpus = generateCorpus(join(__dirname, "corpus"), seed);

  const scales = await section("throughput", notes, errors, () =>
    measureThroughput(corpus, cli, floor, runs, CACHE),
  );
  const at = (scale: number): ScaleTiming | undefined => scales?.find((s) => s.scale === scale);
  const one = at(1);
  const eight = at(8);

  const peers = (await section("peers", notes, errors, async () => {
    const bin = await ensureVenv(join(REPO, ".cache", "bench-venv"), join(__dirname, "requirements.txt"));
    const oneX = corpus.scales[1];
    if (!oneX) throw new Error("no 1× corpus");
    const templates = oneX.files
      .filter((f) => !f.endsWith("manifest.json"))
      .map((f) => f.slice(oneX.dir.length + 1));
    // Our CLI again on the same files right before and after each peer: on a shared machine the load
    // changes within minutes, and the ratio should compare runs taken under the same conditions.
    const ours: ProcessRun[] = [];
    const oursNow = async () => {
      ours.push(await runCli(cli, oneX.dir, join(CACHE, "cli-report-peers.json")));
    };
    await oursNow();
    const checkov = await runCheckov(bin, oneX.dir, peerRuns);
    await oursNow();
    const cfnLint = await runCfnLint(bin, oneX.dir, templates, peerRuns);
    await oursNow();
    return {
      results: [checkov, cfnLint] as PeerResult[],
      ours_ms: median(ours.map((r) => r.ms)),
      ours_cpu_ms: median(ours.map((r) => r.cpuMs ?? Number.NaN)),
    };
  })) ?? { results: [] as PeerResult[], ours_ms: Number.NaN, ours_cpu_ms: Number.NaN };
  const peerRatio = (tool: string, cpu = false) => {
    const peer = peers.results.find((p) => p.tool === tool);
    if (!peer) return null;
    return cpu ? peer.cpu_ms / peers.ours_cpu_ms : peer.ms / peers.ours_ms;
  };

  const lsp = await section("lsp", notes, errors, async () => ({
    ready: await measureServerReady(Math.max(runs, 5)),
    editor: await measureEditorLatency(corpus, EDITS, Math.max(runs, 5)),
    workspace: await measureWorkspaceScan(corpus),
  }));

  const fleet = await section("fleet", notes, errors, async () => {
    const bin = await ensureVenv(join(REPO, ".cache", "bench-venv"), join(__dirname, "requirements.txt"));
    // Loaded here, not at the top: it brings the AWS SDK and the fleet tests' moto helpers.
    const { measureFleet } = require("./lib/fleet") as typeof import("./lib/fleet");
    return measureFleet(REPO, bin, peerRuns, CACHE, notes);
  });

  const profile = await section("profile", notes, errors, async () => {
    const oneX = corpus.scales[1];
    if (!oneX) throw new Error("no 1× corpus");
    return profileCli(REPO, oneX.dir, CACHE);
  });

  const artifacts = inspectBundles(REPO);
  const pick = (key: "p95_ms" | "p50_ms" | "budget_ms" | "parse_ms") =>
    Object.fromEntries((lsp?.editor ?? []).map((e) => [e.size, e[key]]));

  const results: Results = {
    date: new Date().toISOString(),
    duration_s: (performance.now() - started) / 1000,
    machine: machine(),
    options: { seed, runs, peer_runs: peerRuns, edits: EDITS },
    corpus: scales ? { sha256: corpus.sha256, scales } : null,
    cli_over_parse: eight?.cli_over_parse ?? null,
    cli_over_parse_cpu: eight?.cli_over_parse_cpu ?? null,
    cli_growth_8x_over_1x: one && eight ? eight.cli_ms / one.cli_ms : null,
    floor_growth_8x_over_1x: one && eight ? eight.floor_ms / one.floor_ms : null,
    checkov_over_ours: peerRatio("checkov"),
    cfnlint_over_ours: peerRatio("cfn-lint"),
    checkov_over_ours_cpu: peerRatio("checkov", true),
    cfnlint_over_ours_cpu: peerRatio("cfn-lint", true),
    peers: peers.results,
    ours_findings_1x: one?.findings ?? null,
    ours_ms_1x: peers.results.length > 0 ? peers.ours_ms : null,
    ours_cpu_ms_1x: peers.results.length > 0 ? peers.ours_cpu_ms : null,
    lsp_p95_ms: pick("p95_ms"),
    lsp_p50_ms: pick("p50_ms"),
    lsp_budget_ms: pick("budget_ms"),
    parse_ms: pick("parse_ms"),
    server_ready_ms: lsp?.ready ?? null,
    workspace_scan_2000_ms: lsp?.workspace.ms ?? null,
    workspace_scan_2000_rss_mb: lsp?.workspace.peak_rss_mb ?? null,
    bundle_bytes: artifacts.bytes,
    client_bundle_aws_sdk_markers: artifacts.bytes.client === null ? null : artifacts.sdk_markers.client,
    vsix_bytes: vsixBytes,
    fleet_over_awscli: fleet ? fleet.ours_ms / fleet.awscli_ms : null,
    fleet,
    cli_profile_1x: profile,
    notes,
  };
  mkdirSync(join(__dirname, "results"), { recursive: true });
  writeFileSync(join(__dirname, "results", "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  updateBenchmarksMd(join(REPO, "BENCHMARKS.md"), results);
  printTable(results);
  log(`done in ${results.duration_s.toFixed(0)} s; bench/results/latest.json and BENCHMARKS.md updated`);
  return errors.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
