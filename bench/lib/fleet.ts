// Fleet scan against `aws ec2 describe-instances` paging the same instances: 10,000 instances over
// 4 regions in moto, started and seeded with the fleet tests' own helpers (scripts/moto/launcher.py
// fills moto's EC2 gaps with AWS's semantics). Both sides run as processes, `imds-guard fleet` and
// the AWS CLI, one region after another.
import { existsSync } from "node:fs";
import { join } from "node:path";
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
  const cli = join(repo, "dist", "cli.js");
  const aws = join(venvBin, "aws");
  const report = join(outDir, "fleet-report.json");
  log("starting moto and seeding 10,000 instances in 4 regions");
  const moto = await startMoto();
  const restoreEnvironment = useMotoEnvironment(moto.endpoint);
  try {
    const seeding = performance.now();
    for (const region of REGIONS) await seedRegion(regionSeed(region));
    log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
    const ours: number[] = [];
    const awscli: number[] = [];
    for (let run = 0; run < runs; run++) {
      // Region by region on both sides: moto is one Python process answering one request at a time,
      // and four 1,000-instance pages at once outlast the CLI's 15 s request timeout.
      let oursMs = 0;
      let awsMs = 0;
      let listed = 0;
      for (const region of REGIONS) {
        // Exit 1 means "findings": expected, this fleet has IMDSv1 instances.
        const scan = await runChecked(
          process.execPath,
          [cli, "fleet", "--region", region, "--format", "json", "--output", report],
          { okCodes: [0, 1] },
        );
        oursMs += scan.ms;
        const page = await runChecked(aws, [
          "ec2",
          "describe-instances",
          "--region",
          region,
          "--output",
          "json",
        ]);
        awsMs += page.ms;
        listed += (
          JSON.parse(page.stdout) as { Reservations: { Instances: unknown[] }[] }
        ).Reservations.reduce((n, reservation) => n + reservation.Instances.length, 0);
      }
      if (listed !== REGIONS.length * PER_REGION)
        throw new Error(`aws ec2 describe-instances listed ${listed} instances`);
      ours.push(oursMs);
      awscli.push(awsMs);
    }
    notes.fleet =
      "ours: imds-guard fleet --region R --format json (instances, launch templates, account default and " +
      "MetadataNoToken), awscli: describe-instances --region R; both region by region, summed";
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
