// Bundles the extension client, the language server and the CLI with esbuild.
// `--production` minifies and drops source maps (used by `npm run package`).
import { relative } from "node:path";
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

// The AWS SDK is a bundle of its own (dist/aws-sdk.js, ~4 MB). The server and the CLI reach it through
// a shim that `require`s that file when the fleet code first `import()`s an SDK package, so linting
// (and the language server's start-up) never reads or compiles it.
const SDK_PACKAGES = {
  "@aws-sdk/client-ec2": "ec2",
  "@aws-sdk/client-cloudwatch": "cloudwatch",
  "@aws-sdk/client-sts": "sts",
  "@aws-sdk/credential-providers": "credentialProviders",
};
const SDK_BUNDLE = "dist/aws-sdk.js";

function separateAwsSdk(outfile) {
  const fromBundle = relative(outfile.replace(/\/[^/]+$/, ""), SDK_BUNDLE).replace(/^(?!\.)/, "./");
  return {
    name: "separate-aws-sdk",
    setup(esbuild) {
      const filter = new RegExp(`^(${Object.keys(SDK_PACKAGES).join("|")})$`);
      esbuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: "aws-sdk-shim" }));
      esbuild.onLoad({ filter: /.*/, namespace: "aws-sdk-shim" }, (args) => ({
        contents: `module.exports = require(require("node:path").join(__dirname, ${JSON.stringify(fromBundle)}))[${JSON.stringify(SDK_PACKAGES[args.path])}];`,
        loader: "js",
      }));
    },
  };
}

const entry = (entryPoint, outfile, extra = {}) =>
  build({ ...common, entryPoints: [entryPoint], outfile, plugins: [separateAwsSdk(outfile)], ...extra });

await Promise.all([
  build({
    ...common,
    entryPoints: ["client/src/extension.ts"],
    outfile: "dist/client/extension.js",
    external: ["vscode"],
  }),
  build({
    ...common,
    stdin: {
      contents: Object.entries(SDK_PACKAGES)
        .map(([name, key]) => `export * as ${key} from ${JSON.stringify(name)};`)
        .join("\n"),
      resolveDir: ".",
      loader: "js",
    },
    outfile: SDK_BUNDLE,
  }),
  entry("server/src/server.ts", "dist/server/server.js"),
  entry("server/src/cli.ts", "dist/cli.js", { banner: { js: "#!/usr/bin/env node" } }),
]);
