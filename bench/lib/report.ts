// The results file (bench/results/latest.json), the printed table and the figures in BENCHMARKS.md.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { round } from "./measure";
import type { PeerResult } from "./peers";
import type { ProfileSummary } from "./profile";
import type { ScaleTiming } from "./throughput";

export type SizeKey = "10k" | "100k" | "1m";

export interface Results {
  date: string;
  duration_s: number;
  machine: { cpu: string; cores: number; memory_gb: number; node: string; os: string };
  options: { seed: number; runs: number; peer_runs: number; edits: Record<SizeKey, number> };
  corpus: {
    sha256: string;
    scales: ScaleTiming[];
  } | null;
  /** CLI time over parse-only time on the largest (8×) corpus, medians. */
  cli_over_parse: number | null;
  /** The same ratio in CPU time: what the figure is on a machine nobody else is using. */
  cli_over_parse_cpu: number | null;
  cli_growth_8x_over_1x: number | null;
  floor_growth_8x_over_1x: number | null;
  checkov_over_ours: number | null;
  cfnlint_over_ours: number | null;
  checkov_over_ours_cpu: number | null;
  cfnlint_over_ours_cpu: number | null;
  peers: PeerResult[];
  /** Findings our CLI reported on the 1× files the peers ran on; its median time in runs taken around the peers'. */
  ours_findings_1x: number | null;
  ours_ms_1x: number | null;
  ours_cpu_ms_1x: number | null;
  lsp_p95_ms: Partial<Record<SizeKey, number>>;
  lsp_p50_ms: Partial<Record<SizeKey, number>>;
  lsp_budget_ms: Partial<Record<SizeKey, number>>;
  parse_ms: Partial<Record<SizeKey, number>>;
  server_ready_ms: number | null;
  workspace_scan_2000_ms: number | null;
  workspace_scan_2000_rss_mb: number | null;
  bundle_bytes: Record<string, number | null>;
  client_bundle_aws_sdk_markers: string[] | null;
  vsix_bytes: number | null;
  fleet_over_awscli: number | null;
  fleet: { instances: number; regions: number; ours_ms: number; awscli_ms: number } | null;
  /** Self time of one CLI run on the 1× corpus under --cpu-prof, by module and by function. */
  cli_profile_1x: ProfileSummary | null;
  /** Why a figure is null, or what else the reader should know, keyed by section. */
  notes: Record<string, string>;
}

interface Row {
  metric: string;
  value: string;
  target: string;
  met: boolean | null;
}

const ms = (value: number | null | undefined) =>
  value == null ? "—" : `${round(value, value < 10 ? 1 : 0)} ms`;
const ratio = (value: number | null | undefined) => (value == null ? "—" : `${round(value, 2)}×`);
const check = (value: number | null | undefined, ok: (v: number) => boolean) =>
  value == null ? null : ok(value);

export function tableRows(r: Results): Row[] {
  const rows: Row[] = [
    {
      metric: "CLI / parse-only, 8× corpus (medians, wall; CPU)",
      value: `${ratio(r.cli_over_parse)} (CPU ${ratio(r.cli_over_parse_cpu)})`,
      target: "≤ 1.5×",
      met: check(r.cli_over_parse, (v) => v <= 1.5),
    },
    {
      metric: "CLI time growth 1× → 8× (parse-only's)",
      value: `${ratio(r.cli_growth_8x_over_1x)} (${ratio(r.floor_growth_8x_over_1x)})`,
      target: "≈ 8× (linear)",
      met: check(r.cli_growth_8x_over_1x, (v) => v <= 9),
    },
    {
      metric: "checkov / ours, 1× corpus (wall; CPU)",
      value: `${ratio(r.checkov_over_ours)} (CPU ${ratio(r.checkov_over_ours_cpu)})`,
      target: "≥ 20×",
      met: check(r.checkov_over_ours, (v) => v >= 20),
    },
    {
      metric: "cfn-lint / ours, 1× corpus (wall; CPU)",
      value: `${ratio(r.cfnlint_over_ours)} (CPU ${ratio(r.cfnlint_over_ours_cpu)})`,
      target: "—",
      met: null,
    },
  ];
  for (const size of ["10k", "100k", "1m"] as const) {
    const p95 = r.lsp_p95_ms[size];
    const budget = r.lsp_budget_ms[size];
    rows.push({
      metric: `didChange → diagnostics ${size}: p50 / p95 (parse)`,
      value: p95 == null ? "—" : `${ms(r.lsp_p50_ms[size])} / ${ms(p95)} (${ms(r.parse_ms[size])})`,
      target: budget == null ? "p95 ≤ 1.3× parse + 15 ms" : `p95 ≤ ${ms(budget)}`,
      met: p95 == null || budget == null ? null : p95 <= budget,
    });
  }
  rows.push(
    { metric: "server spawn → initialize answered", value: ms(r.server_ready_ms), target: "—", met: null },
    { metric: "workspace scan, 2,000 files", value: ms(r.workspace_scan_2000_ms), target: "—", met: null },
    {
      metric: "workspace scan peak RSS",
      value: r.workspace_scan_2000_rss_mb == null ? "—" : `${round(r.workspace_scan_2000_rss_mb, 0)} MB`,
      target: "≤ 200 MB",
      met: check(r.workspace_scan_2000_rss_mb, (v) => v <= 200),
    },
  );
  for (const [name, bytes] of Object.entries(r.bundle_bytes))
    rows.push({
      metric: `bundle ${name}`,
      value: bytes == null ? "—" : `${round(bytes / 1024, 0)} KB`,
      target: "—",
      met: null,
    });
  rows.push(
    {
      metric: "AWS SDK in the client bundle",
      value:
        r.client_bundle_aws_sdk_markers == null
          ? "—"
          : r.client_bundle_aws_sdk_markers.length === 0
            ? "no"
            : `yes (${r.client_bundle_aws_sdk_markers.join(", ")})`,
      target: "no",
      met: r.client_bundle_aws_sdk_markers == null ? null : r.client_bundle_aws_sdk_markers.length === 0,
    },
    {
      metric: ".vsix",
      value: r.vsix_bytes == null ? "—" : `${round(r.vsix_bytes / 1024, 0)} KB`,
      target: "—",
      met: null,
    },
    {
      metric: "fleet scan / aws ec2 describe-instances",
      value: ratio(r.fleet_over_awscli),
      target: "≤ 1.2×",
      met: check(r.fleet_over_awscli, (v) => v <= 1.2),
    },
  );
  return rows;
}

export function markdownTable(r: Results): string {
  const lines = ["| measure | value | target | met |", "|---|---|---|---|"];
  for (const row of tableRows(r))
    lines.push(
      `| ${row.metric} | ${row.value} | ${row.target} | ${row.met === null ? "" : row.met ? "yes" : "**no**"} |`,
    );
  return lines.join("\n");
}

export function scalesTable(r: Results): string {
  if (!r.corpus) return "";
  const lines = [
    "| scale | files | MB | CLI wall / CPU (medians) | parse-only wall / CPU | ratio wall / CPU | findings |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const s of r.corpus.scales)
    lines.push(
      `| ${s.scale}× | ${s.files} | ${round(s.megabytes, 1)} | ${ms(s.cli_ms)} / ${ms(s.cli_cpu_ms)} | ` +
        `${ms(s.floor_ms)} / ${ms(s.floor_cpu_ms)} | ${ratio(s.cli_over_parse)} / ${ratio(s.cli_over_parse_cpu)} | ${s.findings} |`,
    );
  return lines.join("\n");
}

export function peersTable(r: Results): string {
  const lines = [
    "| tool | wall time (1× corpus) | CPU time | findings reported | runs |",
    "|---|---|---|---|---|",
  ];
  lines.push(
    `| imds-guard | ${ms(r.ours_ms_1x)} | ${ms(r.ours_cpu_ms_1x)} | ${r.ours_findings_1x ?? "—"} | 3, around the peers' |`,
  );
  for (const p of r.peers)
    lines.push(
      `| ${p.version.startsWith(p.tool) ? p.version : `${p.tool} ${p.version}`} | ${ms(p.ms)} | ${ms(p.cpu_ms)} | ${p.findings} | ${p.runs} |`,
    );
  return lines.join("\n");
}

export function printTable(r: Results): void {
  const rows = tableRows(r);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((row) => [row.metric, row.value, row.target][i]?.length ?? 0)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  process.stdout.write(`\n${line(["measure", "value", "target"])}  met\n`);
  for (const row of rows)
    process.stdout.write(
      `${line([row.metric, row.value, row.target])}  ${row.met === null ? "" : row.met ? "yes" : "NO"}\n`,
    );
  for (const [section, note] of Object.entries(r.notes)) process.stdout.write(`note (${section}): ${note}\n`);
}

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

/** Replaces the generated block of BENCHMARKS.md (between the markers); the prose around it is kept. */
export function updateBenchmarksMd(path: string, r: Results): void {
  const block = [
    START,
    `Latest run: ${r.date}, ${round(r.duration_s, 0)} s for the whole \`npm run bench\`.`,
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory_gb} GB RAM, ${r.machine.os}, Node ${r.machine.node}.`,
    `Corpus: seed ${r.options.seed}, sha256 \`${r.corpus?.sha256.slice(0, 16) ?? "—"}…\`; ${r.options.runs} runs per figure (peers and fleet: ${r.options.peer_runs}).`,
    "",
    markdownTable(r),
    "",
    "Per corpus scale:",
    "",
    scalesTable(r),
    "",
    "Peers on the same 1× files, same run:",
    "",
    peersTable(r),
    "",
    ...(r.cli_profile_1x
      ? [
          `Where the CLI's time goes (one run on the 1× corpus under \`--cpu-prof\`, ${r.cli_profile_1x.total_ms} ms of samples, self time):`,
          "",
          "| module | self time | share |",
          "|---|---|---|",
          ...r.cli_profile_1x.modules.slice(0, 8).map((m) => `| ${m.module} | ${m.ms} ms | ${m.share}% |`),
          "",
        ]
      : []),
    ...Object.entries(r.notes).map(([section, note]) => `- ${section}: ${note}`),
    END,
  ].join("\n");
  const current = existsSync(path) ? readFileSync(path, "utf8") : `# Benchmarks\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
