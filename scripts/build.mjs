// Bundles the extension client, the language server and the CLI with esbuild.
// `--production` minifies and drops source maps (used by `npm run package`).
import { build } from "esbuild";

const production = process.argv.includes("--production");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: production,
  sourcemap: production ? false : "linked",
  logLevel: "warning",
  // Prefer packages' ES module builds: jsonc-parser's UMD build requires its parts at run time,
  // which a bundle cannot resolve.
  mainFields: ["module", "main"],
};

await Promise.all([
  build({
    ...common,
    entryPoints: ["client/src/extension.ts"],
    outfile: "dist/client/extension.js",
    external: ["vscode"],
  }),
  build({ ...common, entryPoints: ["server/src/server.ts"], outfile: "dist/server/server.js" }),
  build({
    ...common,
    entryPoints: ["server/src/cli.ts"],
    outfile: "dist/cli.js",
    banner: { js: "#!/usr/bin/env node" },
  }),
]);
