// Finds the source files of the CDK app that synthesised a `cdk.out` template: the folder that holds
// `cdk.out` (where `cdk.json` lives), its code files outside build output and dependencies. Read once
// per app and cached; bounded so a huge monorepo cannot stall a lint.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { SourceText } from "../engine/cdk/sourceLink";

const CODE = /\.(ts|py|java|cs|go|js|mjs)$/;
const SKIP_DIRS = new Set([
  "node_modules",
  "cdk.out",
  ".git",
  "dist",
  "build",
  "target",
  ".venv",
  "venv",
  "__pycache__",
  "obj",
]);
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 512 * 1024;

const cache = new Map<string, readonly SourceText[]>();

/** The CDK app folder for a template inside `cdk.out`, or undefined when the template is not in one. */
export function cdkAppFolder(templateFile: string): string | undefined {
  let dir = dirname(templateFile);
  while (basename(dir) !== "cdk.out") {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return dirname(dir);
}

export function cdkSourcesFor(templateFile: string): readonly SourceText[] {
  const app = cdkAppFolder(templateFile);
  if (!app) return [];
  const known = cache.get(app);
  if (known) return known;
  const sources: SourceText[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (sources.length >= MAX_FILES) return;
      const path = join(dir, name);
      let info: ReturnType<typeof statSync>;
      try {
        info = statSync(path);
      } catch {
        continue;
      }
      if (info.isDirectory()) {
        if (!SKIP_DIRS.has(name) && !name.startsWith(".")) walk(path);
      } else if (CODE.test(name) && !name.endsWith(".d.ts") && info.size <= MAX_FILE_BYTES) {
        try {
          sources.push({ file: path, text: readFileSync(path, "utf8") });
        } catch {
          // unreadable: not a source we can point at
        }
      }
    }
  };
  walk(app);
  // TypeScript before the JavaScript compiled from it, so links go to what people edit.
  sources.sort((a, b) => Number(a.file.endsWith(".js")) - Number(b.file.endsWith(".js")));
  cache.set(app, sources);
  return sources;
}

/** Forget cached sources (the language server calls this when files change). */
export function forgetCdkSources(): void {
  cache.clear();
}
