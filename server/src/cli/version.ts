// The version printed by `--version` and written into JSON and SARIF reports: the package's own,
// found next to the running file whether it is the bundle (dist/cli.js) or the source (server/src/cli).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

let cached: string | undefined;

export function toolVersion(): string {
  if (cached !== undefined) return cached;
  cached = "0.0.0-unknown";
  for (let dir = __dirname; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === "imds-guard" && typeof manifest.version === "string") {
        cached = manifest.version;
        break;
      }
    } catch {
      // No (readable) package.json here; keep looking upwards.
    }
    if (dirname(dir) === dir) break;
  }
  return cached;
}
