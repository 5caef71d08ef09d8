// `imds-guard fleet`: the Fleet Explorer's inventory on the command line (DESIGN.md, "Outputs").
// Read-only unless `--fix` comes with an explicit `--yes`; then every instance the report can fix
// safely is dry-run first and each change is printed. The CLI dispatcher (server/src/cli) calls
// runFleetCommand with the arguments after `fleet`.

import { writeFile } from "node:fs/promises";
import type { FleetScanResult, InstanceRecord, MetadataChange } from "../shared/fleetProtocol";
import { modifyInstances } from "./actions";
import { recommendedHopLimit } from "./classify";
import { errorText, modifyInstancesCliCommand } from "./present";
import { type FleetReportFormat, formatFleetReport } from "./report";
import { clampDays, DEFAULT_DAYS, scanFleet } from "./scan";

export interface FleetIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const FORMATS: readonly FleetReportFormat[] = ["text", "json", "sarif", "csv"];

export const FLEET_USAGE = `Usage: imds-guard fleet [options]

Lists the EC2 instances, launch templates and account defaults that leave IMDSv1 open, with the
IMDSv1 calls each instance made (CloudWatch MetadataNoToken). Read-only unless --fix --yes.

Options:
  --profile P            AWS profile (default: the standard credential chain)
  --region R             region to scan; repeat or comma-separate (default: every enabled region)
  --days N               MetadataNoToken window in days (default: ${DEFAULT_DAYS})
  --pods-need-imds B     true (default): hop limit 2 on container hosts; false: 1 on EKS nodes
  --format F             text | json | sarif | csv (default: text)
  --output F             write the report to F instead of stdout
  --fix --yes            require IMDSv2 where MetadataNoToken is 0, set the policy's hop limit on
                         container hosts; DryRun first, each change printed
Exit codes: 0 nothing to fix, 1 findings, 2 usage error or an incomplete scan (a region failed).
`;

interface FleetArgs {
  profile?: string;
  regions: string[];
  days: number;
  podsNeedImds: boolean;
  format: FleetReportFormat;
  output?: string;
  fix: boolean;
  yes: boolean;
}

function parseArgs(argv: readonly string[]): FleetArgs | { error: string } | "help" {
  const args: FleetArgs = {
    regions: [],
    days: DEFAULT_DAYS,
    podsNeedImds: true,
    format: "text",
    fix: false,
    yes: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const [flag, inline] =
      raw.startsWith("--") && raw.includes("=")
        ? [raw.slice(0, raw.indexOf("=")), raw.slice(raw.indexOf("=") + 1)]
        : [raw, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case "-h":
      case "--help":
        return "help";
      case "--fix":
        args.fix = true;
        break;
      case "--yes":
      case "-y":
        args.yes = true;
        break;
      case "--profile": {
        const v = value();
        if (!v) return { error: "--profile needs a profile name" };
        args.profile = v;
        break;
      }
      case "--region": {
        const v = value();
        if (!v) return { error: "--region needs a region name" };
        for (const r of v
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean)) {
          if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r))
            return { error: `--region ${r}: not a region name (e.g. eu-west-1)` };
          args.regions.push(r);
        }
        break;
      }
      case "--days": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) return { error: "--days needs a whole number of days (1..455)" };
        args.days = clampDays(v);
        break;
      }
      case "--pods-need-imds": {
        const v = value();
        if (v !== "true" && v !== "false") return { error: "--pods-need-imds takes true or false" };
        args.podsNeedImds = v === "true";
        break;
      }
      case "--format":
      case "-f": {
        const v = value() as FleetReportFormat | undefined;
        if (!v || !FORMATS.includes(v)) return { error: `--format takes ${FORMATS.join(", ")}` };
        args.format = v;
        break;
      }
      case "--output":
      case "-o": {
        const v = value();
        if (!v) return { error: "--output needs a file name" };
        args.output = v;
        break;
      }
      default:
        return { error: `unknown option ${raw}` };
    }
  }
  if (args.yes && !args.fix) return { error: "--yes only confirms --fix" };
  return args;
}

/** The changes `--fix` makes: only those seed 000 calls safe (no IMDSv1 use seen) and the policy's hop limit. */
export function plannedFixes(
  instance: InstanceRecord,
  podsNeedImds: boolean,
): { change?: MetadataChange; skipped?: string } {
  const change: MetadataChange = {};
  const rules = new Set(instance.findings.map((f) => f.ruleId));
  if (rules.has("IMDS001")) {
    if (instance.imdsV1Calls === 0) change.httpTokens = "required";
    else
      return {
        skipped:
          instance.imdsV1Calls === null
            ? "IMDSv1 usage unknown (MetadataNoToken unavailable)"
            : `${instance.imdsV1Calls} IMDSv1 calls in the window: update that software first`,
      };
  }
  if (rules.has("IMDS003") || rules.has("IMDS009"))
    change.hopLimit = recommendedHopLimit(instance.containerHost, podsNeedImds);
  return change.httpTokens || change.hopLimit !== undefined ? { change } : {};
}

async function applyFixes(result: FleetScanResult, args: FleetArgs, io: FleetIo): Promise<number> {
  let failures = 0;
  for (const region of result.regions) {
    if (!region.ok) continue;
    for (const instance of region.instances) {
      const plan = plannedFixes(instance, args.podsNeedImds);
      if (plan.skipped) io.stderr.write(`skipped ${region.region} ${instance.instanceId}: ${plan.skipped}\n`);
      if (!plan.change) continue;
      const params = {
        region: region.region,
        instanceIds: [instance.instanceId],
        change: plan.change,
        ...(args.profile ? { profile: args.profile } : {}),
      };
      const dry = (await modifyInstances({ ...params, dryRun: true })).results[0];
      if (!dry?.ok) {
        failures++;
        io.stderr.write(
          `not changed ${region.region} ${instance.instanceId}: ${dry?.error ? errorText(dry.error) : "dry run failed"}\n`,
        );
        continue;
      }
      const done = (await modifyInstances({ ...params, dryRun: false })).results[0];
      if (done?.ok) {
        io.stderr.write(
          `changed ${region.region} ${instance.instanceId}: ${modifyInstancesCliCommand(region.region, [instance.instanceId], plan.change, args.profile)}\n`,
        );
      } else {
        failures++;
        io.stderr.write(
          `failed ${region.region} ${instance.instanceId}: ${done?.error ? errorText(done.error) : "unknown error"}\n`,
        );
      }
    }
  }
  return failures;
}

export async function runFleetCommand(argv: string[], io: FleetIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed === "help") {
    io.stdout.write(FLEET_USAGE);
    return 0;
  }
  if ("error" in parsed) {
    io.stderr.write(`imds-guard fleet: ${parsed.error}\n\n${FLEET_USAGE}`);
    return 2;
  }
  if (parsed.fix && !parsed.yes) {
    io.stderr.write(
      "imds-guard fleet: --fix changes live instances; add --yes to confirm. Nothing was changed.\n",
    );
    return 2;
  }
  const result = await scanFleet({
    ...(parsed.profile ? { profile: parsed.profile } : {}),
    regions: parsed.regions,
    days: parsed.days,
    podsNeedImds: parsed.podsNeedImds,
    onRegionDone: (scan, completed, total) => {
      if (!scan.ok) io.stderr.write(`imds-guard fleet: ${scan.region}: ${errorText(scan.error)}\n`);
      else if (parsed.output) io.stderr.write(`scanned ${scan.region} (${completed}/${total})\n`);
    },
  });
  if (result.error) {
    io.stderr.write(`imds-guard fleet: ${errorText(result.error)}\n`);
    return 2;
  }
  const report = formatFleetReport(result, parsed.format);
  if (parsed.output) {
    try {
      await writeFile(parsed.output, report);
    } catch (error) {
      io.stderr.write(`imds-guard fleet: cannot write ${parsed.output}: ${(error as Error).message}\n`);
      return 2;
    }
  } else io.stdout.write(report);

  const fixFailures = parsed.fix ? await applyFixes(result, parsed, io) : 0;
  const incomplete = result.regions.some((r) => !r.ok) || fixFailures > 0;
  const findings = result.regions.some(
    (r) =>
      r.ok &&
      [...r.instances, ...r.launchTemplates, ...("error" in r.accountDefault ? [] : [r.accountDefault])].some(
        (x) => x.findings.some((f) => f.severity === "error" || f.severity === "warning"),
      ),
  );
  return incomplete ? 2 : findings ? 1 : 0;
}
