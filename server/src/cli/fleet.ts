// `imds-guard fleet …`: the live-fleet report lives in server/src/fleet (AWS SDK). It is imported only
// when asked for, so linting files never loads (nor initialises) the SDK.
import type { CliContext } from "./run";

export async function runFleet(argv: readonly string[], context: CliContext): Promise<number> {
  const { runFleetCommand } = await import("../fleet/cli.js");
  return runFleetCommand([...argv], { stdout: context.stdout, stderr: context.stderr });
}
