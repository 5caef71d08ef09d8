// Fleet scan against `aws ec2 describe-instances` paging the same instances: 10,000 instances over
// 4 regions in moto, started and seeded with the fleet tests' own helpers (scripts/moto/launcher.py
// fills moto's EC2 gaps with AWS's semantics). Both sides run as processes, 4 regions at once.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { startMoto, useMotoEnvironment } from "../../test/fleet/moto";
import { type SeedRegion, seedRegion } from "../../test/fleet/seed";
import { log, median, runChecked } from "./measure";

export interface FleetComparison {
  instances: number;
  regions: number;
  ours_ms: number;
  awscli_ms: number;
}

const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"];
const PER_REGION = 2500;

/** A region's worth of instances: mostly compliant, some IMDSv1, EKS nodes with hop limit 1. */
function regionSeed(region: string): SeedRegion {
  return {
    region,
    instances: [
      { name: "web", count: 1000, metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 2 } },
      { name: "legacy", count: 750, metadata: { HttpTokens: "optional" } },
      {
        name: "eks-node",
        count: 500,
        metadata: { HttpTokens: "required", HttpPutResponseHopLimit: 1 },
        tags: { "eks:cluster-name": "prod" },
      },
      { name: "batch", count: PER_REGION - 2250 },
    ],
  };
}

async function bundleScanEntry(outDir: string): Promise<string> {
  const outfile = join(outDir, "fleet-scan.js");
  await build({
    entryPoints: [join(__dirname, "fleet-scan.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    mainFields: ["module", "main"],
    logLevel: "warning",
  });
  return outfile;
}

export async function measureFleet(
  repo: string,
  venvBin: string,
  runs: number,
  outDir: string,
  notes: Record<string, string>,
): Promise<FleetComparison | null> {
  if (!existsSync(join(repo, "server", "src", "fleet", "scan.ts"))) {
    notes.fleet = "server/src/fleet/scan.ts does not exist yet";
    return null;
  }
  const scanEntry = await bundleScanEntry(outDir);
  const aws = join(venvBin, "aws");
  log("starting moto and seeding 10,000 instances in 4 regions");
  const moto = await startMoto();
  const restoreEnvironment = useMotoEnvironment(moto.endpoint);
  try {
    for (const region of REGIONS) await seedRegion(regionSeed(region));
    const ours: number[] = [];
    const awscli: number[] = [];
    for (let run = 0; run < runs; run++) {
      const scan = await runChecked(process.execPath, [scanEntry, ...REGIONS]);
      const seen = (JSON.parse(scan.stdout) as { instances: number }).instances;
      if (seen !== REGIONS.length * PER_REGION) throw new Error(`our scan saw ${seen} instances`);
      ours.push(scan.ms);
      const started = performance.now();
      const pages = await Promise.all(
        REGIONS.map((region) =>
          runChecked(aws, ["ec2", "describe-instances", "--region", region, "--output", "json"]),
        ),
      );
      awscli.push(performance.now() - started);
      const listed = pages.reduce(
        (sum, page) =>
          sum +
          (JSON.parse(page.stdout) as { Reservations: { Instances: unknown[] }[] }).Reservations.reduce(
            (n, reservation) => n + reservation.Instances.length,
            0,
          ),
        0,
      );
      if (listed !== REGIONS.length * PER_REGION)
        throw new Error(`aws ec2 describe-instances listed ${listed} instances`);
    }
    notes.fleet =
      "our side: scanFleet (server/src/fleet/scan.ts) bundled as a process — instances, launch templates, account " +
      "defaults and MetadataNoToken per region; awscli: one describe-instances per region, the 4 in parallel";
    const result = {
      instances: REGIONS.length * PER_REGION,
      regions: REGIONS.length,
      ours_ms: median(ours),
      awscli_ms: median(awscli),
    };
    log(`fleet: ours ${result.ours_ms.toFixed(0)} ms, awscli ${result.awscli_ms.toFixed(0)} ms`);
    return result;
  } finally {
    restoreEnvironment();
    await moto.stop();
  }
}
