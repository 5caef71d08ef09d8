// What ships: the bundles and the .vsix, and whether the client bundle carries the AWS SDK (it
// must not: the SDK belongs to the Fleet view, DESIGN.md "Architecture", and loading it at activation
// would slow every editor start).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const BUNDLES = {
  client: "dist/client/extension.js",
  server: "dist/server/server.js",
  cli: "dist/cli.js",
  /** The SDK's own bundle, which the server and the CLI load on the first fleet request. */
  "aws-sdk": "dist/aws-sdk.js",
} as const;

/** Strings only the AWS SDK v3 puts in a bundle (they survive minification: they are data, not names). */
const AWS_SDK_MARKERS = ["@aws-sdk/", "DescribeInstancesCommand", "AWS_EC2_METADATA_DISABLED", "sigv4"];

export interface Artifacts {
  bytes: Record<keyof typeof BUNDLES, number | null>;
  sdk_markers: Record<keyof typeof BUNDLES, string[]>;
}

export function inspectBundles(repo: string): Artifacts {
  const bytes = {} as Artifacts["bytes"];
  const markers = {} as Artifacts["sdk_markers"];
  for (const [name, path] of Object.entries(BUNDLES) as [keyof typeof BUNDLES, string][]) {
    const absolute = join(repo, path);
    if (!existsSync(absolute)) {
      bytes[name] = null;
      markers[name] = [];
      continue;
    }
    bytes[name] = statSync(absolute).size;
    const text = readFileSync(absolute, "utf8");
    markers[name] = AWS_SDK_MARKERS.filter((marker) => text.includes(marker));
  }
  return { bytes, sdk_markers: markers };
}
