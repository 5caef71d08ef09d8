// Our fleet scan as a process of its own (bundled like dist/cli.js), for the side-by-side with
// `aws ec2 describe-instances`: used while `imds-guard fleet` is not wired in the CLI. Same module the
// CLI and the extension call (server/src/fleet/scan.ts); endpoint and credentials from the environment.
import { scanFleet } from "../../server/src/fleet/scan";

async function main(): Promise<void> {
  const regions = process.argv.slice(2);
  const result = await scanFleet({ regions });
  if ("error" in result && result.error) throw new Error(JSON.stringify(result.error));
  let instances = 0;
  for (const region of result.regions) {
    if (!region.ok) throw new Error(`${region.region}: ${JSON.stringify(region.error)}`);
    instances += region.instances.length;
  }
  process.stdout.write(`${JSON.stringify({ regions: result.regions.length, instances })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
