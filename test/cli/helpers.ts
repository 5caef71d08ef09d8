// Runs the BUILT command (dist/cli.js) the way CI and people do, on throw-away projects made from
// test/fixtures/cli. `.gitignore`, `node_modules` and `.git` are made at run time: committed into this
// repository they would hide the fixtures from git itself.
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");
export const CLI = join(REPO_ROOT, "dist", "cli.js");
export const FIXTURES = join(REPO_ROOT, "test", "fixtures", "cli");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm test` builds first; when a test file is run alone, build here if the bundle is missing or older than the source. */
export function ensureBuilt(): void {
  const stale = !existsSync(CLI) || statSync(CLI).mtimeMs < newestSource(join(REPO_ROOT, "server", "src"));
  if (stale)
    execFileSync(process.execPath, [join(REPO_ROOT, "scripts", "build.mjs")], {
      cwd: REPO_ROOT,
      stdio: "inherit",
    });
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command`; colour is decided by NO_COLOR/FORCE_COLOR, so those come only from `env`. */
function spawn(command: string, args: string[], cwd: string, env: Record<string, string>): CliRun {
  const inherited = { ...process.env };
  delete inherited.NO_COLOR;
  delete inherited.FORCE_COLOR;
  const result = spawnSync(command, args, {
    cwd,
    env: { ...inherited, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  return spawn(process.execPath, [CLI, ...args], cwd, env);
}

/** Standard output of another program (e.g. `script`, which gives the CLI a terminal). */
export function runIn(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): string {
  return spawn(command, args, cwd, env).stdout;
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/** 1-based line and column of `needle` in `text`, as the text/JSON/SARIF outputs report them. */
export function lineColumnOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/**
 * A small repository:
 *   templates/optional.yaml, templates/required.yaml, templates/optional.json, templates/broken.yaml,
 *   k8s/configmap.yaml (not CloudFormation), cdk.out/Web.template.json (gitignored but linted),
 *   ignored/, node_modules/, .terraform/ (never linted), nested/.gitignore hiding nested/local-*.yaml.
 */
export function makeProject(): string {
  const root = mkdtempSync(join(tmpdir(), "imds-cli-"));
  mkdirSync(join(root, ".git"));
  const copy = (from: string, to: string) => {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(join(FIXTURES, from), join(root, to));
  };
  copy("launch-template-tokens-optional.yaml", "templates/optional.yaml");
  copy("launch-template-tokens-required.yaml", "templates/required.yaml");
  copy("launch-template-tokens-optional.json", "templates/optional.json");
  copy("malformed.yaml", "templates/broken.yaml");
  copy("not-cloudformation.yaml", "k8s/configmap.yaml");
  copy("cdk-out-tokens-optional.template.json", "cdk.out/Web.template.json");
  copy("launch-template-tokens-optional.yaml", "ignored/optional.yaml");
  copy("launch-template-tokens-optional.yaml", "node_modules/some-package/optional.yaml");
  copy("launch-template-tokens-optional.yaml", ".terraform/modules/optional.yaml");
  copy("launch-template-tokens-optional.yaml", "nested/local-dev.yaml");
  copy("launch-template-tokens-optional.yaml", "nested/shared.yaml");
  write(root, ".gitignore", "ignored/\ncdk.out/\n");
  write(root, "nested/.gitignore", "local-*.yaml\n");
  return root;
}
