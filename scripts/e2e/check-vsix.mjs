// Checks a packaged .vsix the way the Marketplace and an offline user would meet it: it holds the
// two bundles, the grammar, the icon and the manifest's documents, and nothing else (no sources,
// tests, maps or node_modules); the bundles load nothing but Node built-ins and `vscode`, since
// `vsce package --no-dependencies` ships no node_modules; and the language server, unpacked on its
// own, starts. Prints the size.
//
// Usage: node scripts/e2e/check-vsix.mjs dist/imds-guard.vsix
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

const vsix = process.argv[2];
if (!vsix) {
  console.error("usage: check-vsix.mjs <file.vsix>");
  process.exit(2);
}

const entries = execFileSync("unzip", ["-Z1", vsix], { encoding: "utf8" }).split("\n").filter(Boolean);
const problems = [];

const required = [
  "extension/package.json",
  "extension/dist/client/extension.js",
  "extension/dist/server/server.js",
  "extension/dist/aws-sdk.js",
  "extension/media/icon.png",
  "extension/LICENSE.txt",
];
for (const file of required) {
  if (!entries.includes(file)) problems.push(`missing ${file}`);
}

// Every file the manifest points at (icons of the extension, views and commands; grammars) must be
// inside, or VS Code shows a blank icon or no highlighting, silently.
const manifest = JSON.parse(
  execFileSync("unzip", ["-p", vsix, "extension/package.json"], { encoding: "utf8" }),
);
function manifestFiles(value, key) {
  if (typeof value === "string") {
    return ["icon", "path", "light", "dark"].includes(key) && !value.startsWith("$(") ? [value] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item) => manifestFiles(item, key));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([childKey, child]) => manifestFiles(child, childKey));
  }
  return [];
}
for (const file of manifestFiles({ icon: manifest.icon, contributes: manifest.contributes })) {
  if (!entries.includes(`extension/${path.posix.normalize(file)}`)) {
    problems.push(`package.json refers to ${file}, which is not packaged`);
  }
}

// Every bundle the build wrote ships, except the CLI (an npm `bin`, not part of the extension): the
// server loads some of them at run time by path (the AWS SDK bundle), where no check of its
// source can see it.
for (const file of readdirSync("dist", { recursive: true })) {
  if (String(file).endsWith(".js") && file !== "cli.js" && !entries.includes(`extension/dist/${file}`)) {
    problems.push(`dist/${file} was built but is not packaged`);
  }
}

const forbidden = [
  /\.ts$/,
  /\.map$/,
  /(^|\/)node_modules\//,
  /^extension\/(test|server|scripts|bench)\//,
  /^extension\/client\/.*\.(js|ts|json)$/,
];
for (const entry of entries) {
  if (forbidden.some((pattern) => pattern.test(entry))) problems.push(`should not be packaged: ${entry}`);
}

// esbuild leaves `require("x")` only for what it was told to keep external, or for a require it
// could not follow (a UMD wrapper's relative require); anything other than a built-in or `vscode`
// fails at activation in a .vsix that has no node_modules.
const allowed = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`), "vscode"]);
for (const bundle of ["extension/dist/client/extension.js", "extension/dist/server/server.js"]) {
  if (!entries.includes(bundle)) continue;
  const source = execFileSync("unzip", ["-p", vsix, bundle], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const external = new Set();
  for (const match of source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    const name = match[1];
    if (!allowed.has(name) && !allowed.has(name.split("/")[0])) external.add(name);
  }
  for (const name of external) problems.push(`${bundle} requires "${name}", which the .vsix does not ship`);
}

/** Starts the unpacked server over stdio; a bundle that cannot load dies at once with its reason. */
async function serverStarts() {
  const unpacked = mkdtempSync(path.join(tmpdir(), "imds-guard-vsix-"));
  try {
    execFileSync("unzip", ["-q", vsix, "-d", unpacked]);
    const server = spawn(
      process.execPath,
      [path.join(unpacked, "extension/dist/server/server.js"), "--stdio"],
      {
        cwd: unpacked,
        stdio: ["pipe", "ignore", "pipe"],
      },
    );
    let stderr = "";
    server.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exitCode = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve("running"), 2000);
      server.once("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    if (exitCode === "running") {
      server.kill();
      return;
    }
    const reason =
      stderr.split("\n").find((line) => /^\w*Error\b/.test(line)) ?? stderr.trim().split("\n").at(-1);
    problems.push(`the packaged language server exited at start (code ${exitCode}): ${reason}`);
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}

if (entries.includes("extension/dist/server/server.js")) await serverStarts();

const bytes = statSync(vsix).size;
if (problems.length > 0) {
  console.error(`${vsix}: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`${vsix}: ${entries.length} files, ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`);
