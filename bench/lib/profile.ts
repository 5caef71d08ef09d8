// Where the CLI's time goes: one run of an unminified CLI bundle under `node --cpu-prof` on the 1×
// corpus, self time summed per source module (esbuild marks each module with a `// path` comment)
// and per function. Printed and saved so a missed target comes with its explanation.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { runChecked } from "./measure";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  total_ms: number;
  /** Self time by source module (a package or a file of ours), largest first. */
  modules: { module: string; ms: number; share: number }[];
  functions: { function: string; module: string; ms: number; share: number }[];
}

/** Line (0-based) → module path, from the `// node_modules/yaml/dist/…` comments esbuild writes. */
function moduleOfLine(bundle: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  bundle.split("\n").forEach((text, line) => {
    const match = /^\/\/ ((?:node_modules|server|bench|client)\/\S+)$/.exec(text);
    if (match?.[1]) starts.push({ line, module: match[1] });
  });
  return (line) => {
    let low = 0;
    let high = starts.length - 1;
    let found = "(bundle prelude)";
    while (low <= high) {
      const mid = (low + high) >> 1;
      const start = starts[mid] as { line: number; module: string };
      if (start.line <= line) {
        found = start.module;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  };
}

/** Groups node_modules/<pkg>/… into the package; our files stay files. */
function moduleGroup(path: string): string {
  const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1] ? `${match[1]} (package)` : path;
}

export async function profileCli(repo: string, corpusDir: string, workDir: string): Promise<ProfileSummary> {
  const bundlePath = join(workDir, "cli-profile.js");
  await build({
    entryPoints: [join(repo, "server", "src", "cli.ts")],
    outfile: bundlePath,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: false,
    mainFields: ["module", "main"],
    logLevel: "warning",
  });
  const profileDir = join(workDir, "cpu-profile");
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  await runChecked(
    process.execPath,
    [
      "--cpu-prof",
      "--cpu-prof-dir",
      profileDir,
      bundlePath,
      ".",
      "--format",
      "json",
      "--output",
      join(workDir, "profile-report.json"),
    ],
    { cwd: corpusDir, okCodes: [0, 1] },
  );
  const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error("node --cpu-prof wrote no profile");
  const profile = JSON.parse(readFileSync(join(profileDir, file), "utf8")) as CpuProfile;
  const lineModule = moduleOfLine(readFileSync(bundlePath, "utf8"));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, { module: string; ms: number }>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const node = nodes.get(id);
    if (!node) return;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const inBundle = url.endsWith("cli-profile.js");
    const module = inBundle
      ? moduleGroup(lineModule(lineNumber))
      : functionName.startsWith("(")
        ? functionName
        : "node internals";
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
    const key = `${functionName || "(anonymous)"} @ ${inBundle ? lineModule(lineNumber) : url || "native"}`;
    const entry = byFunction.get(key) ?? { module, ms: 0 };
    entry.ms += ms;
    byFunction.set(key, entry);
  });
  const share = (ms: number) => Math.round((ms / total) * 1000) / 10;
  return {
    total_ms: Math.round(total),
    modules: [...byModule.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([module, ms]) => ({ module, ms: Math.round(ms), share: share(ms) })),
    functions: [...byFunction.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 15)
      .map(([fn, { module, ms }]) => ({ function: fn, module, ms: Math.round(ms), share: share(ms) })),
  };
}
