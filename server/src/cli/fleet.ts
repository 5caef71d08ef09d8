// `imds-guard fleet …`: the live-fleet report lives in server/src/fleet (AWS SDK). It is loaded only
// when asked for, so linting files never pays for loading the SDK.
import type { CliContext } from "./run";

export async function runFleet(_argv: readonly string[], context: CliContext): Promise<number> {
  context.stderr.write(
    "imds-guard: the fleet command is not available in this build (server/src/fleet/cli.ts is missing)\n",
  );
  return 2;
}
