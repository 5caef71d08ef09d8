// Entry point of the `imds-guard` command (bundled to dist/cli.js, package.json `bin`).
import { runCli } from "./cli/run";

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug gets here; say so plainly and use the I/O-error code so CI does not pass.
    process.stderr.write(
      `imds-guard: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
