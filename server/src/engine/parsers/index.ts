// Parse a structured document: JSON when it starts like JSON, YAML otherwise.
import { ParseFailure } from "./errors";
import { parseJson } from "./json";
import type { ParsedDocument } from "./tree";
import { parseYaml, type YamlParseInfo } from "./yaml";

export { ParseFailure } from "./errors";

export function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}

/** Parses `text`, throwing `ParseFailure` (with an offset) for anything it cannot read. */
export function parseStructured(text: string, info?: YamlParseInfo): ParsedDocument {
  const syntax = looksLikeJson(text) ? "json" : "yaml";
  try {
    return { syntax, root: syntax === "json" ? parseJson(text) : parseYaml(text, info) };
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    // Recursion in the parsers is bounded only by the stack: a pathologically deep document ends here.
    if (error instanceof RangeError) throw new ParseFailure("the document is nested too deeply to read", 0);
    throw error;
  }
}
