// The parse-only floor: the files the CLI would lint, found by the CLI's own walker, read and parsed
// by the engine's own parser entry (`parseStructured`: `yaml`'s parseDocument or jsonc-parser, plus the
// conversion to the engine's node tree) and nothing else. Bundled like dist/cli.js and run as a
// process, so "CLI time / floor time" is what the analysis, the rules and the report cost on top.
import { readFileSync } from "node:fs";
import { ParseFailure, parseStructured } from "../../server/src/engine/parsers";
import { collectFiles } from "../../server/src/project/walk";

const { files } = collectFiles(process.argv.slice(2), process.cwd(), () => false);
let parsed = 0;
let failed = 0;
for (const file of files) {
  try {
    parseStructured(readFileSync(file, "utf8"));
    parsed++;
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    failed++;
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, parsed, failed })}\n`);
