// Re-parse only the CloudFormation resources an edit touched (DESIGN.md, Architecture): parsing a 1 MB
// YAML template takes about a second, re-parsing one resource entry a few milliseconds. The result is
// the same tree a full parse gives (offsets included); anything this cannot prove local falls back to
// a full parse: JSON (already fast), aliases, edits outside `Resources`, or a snippet that does not
// parse as entries at the resources' own indentation.
import { ParseFailure } from "./errors";
import { parseStructured } from "./index";
import { type DocNode, isMap, type MapEntry, type MapNode, type ParsedDocument } from "./tree";
import { parseYaml, type YamlParseInfo } from "./yaml";

/** A parse kept for the next edit of the same document. */
export interface ParseState {
  text: string;
  parsed: ParsedDocument;
  /** Set when the document used aliases: its entries may share nodes. */
  usesAliases: boolean;
  /**
   * Set once a later version was parsed from this state: the nodes after the edit were moved in place
   * (copying them costs more than the re-parse saves), so this state no longer matches its text.
   */
  consumed?: boolean;
}

export interface ParseOutcome {
  state: ParseState;
  /** True when only the edited resources were re-parsed. */
  incremental: boolean;
}

export function parseWithReuse(text: string, previous: ParseState | undefined): ParseOutcome {
  const reused = previous ? reparseResources(text, previous) : undefined;
  if (reused) return { state: reused, incremental: true };
  const info: YamlParseInfo = { aliases: 0 };
  const parsed = parseStructured(text, info);
  return { state: { text, parsed, usesAliases: info.aliases > 0 }, incremental: false };
}

function reparseResources(text: string, previous: ParseState): ParseState | undefined {
  const { parsed } = previous;
  if (
    previous.consumed ||
    parsed.syntax !== "yaml" ||
    previous.usesAliases ||
    !isMap(parsed.root) ||
    parsed.root.flow
  )
    return undefined;
  const old = previous.text;
  if (old === text) return previous;
  const resourcesIndex = parsed.root.entries.findIndex((e) => e.key.value === "Resources");
  const resources = parsed.root.entries[resourcesIndex]?.value;
  if (!isMap(resources) || resources.flow || resources.entries.length === 0) return undefined;

  // The edit, as the old range [start, oldEnd) replaced by the new range [start, newEnd).
  let start = 0;
  const limit = Math.min(old.length, text.length);
  while (start < limit && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let suffix = 0;
  while (
    suffix < limit - start &&
    old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
  )
    suffix++;
  const oldEnd = old.length - suffix;
  const delta = text.length - old.length;

  // Resource entries as spans of whole lines: from the key's line to the next key's line.
  const spans = resources.entries.map((e, i) => {
    const from = lineStartOf(old, e.key.start);
    const next = resources.entries[i + 1];
    return {
      from,
      to: next ? lineStartOf(old, next.key.start) : sectionEnd(old, parsed.root as MapNode, resourcesIndex),
    };
  });
  const index = spans.findIndex((span) => span.from <= start && oldEnd <= span.to);
  if (index < 0) return undefined;
  const span = spans[index];
  // An edit on the key's own line could change the entry's indentation: only safe past the key.
  const keyColumn = resources.entries[index].key.start - span.from;
  if (start < span.from + keyColumn) return undefined;

  const snippet = text.slice(span.from, span.to + delta);
  let snippetRoot: DocNode;
  try {
    const info: YamlParseInfo = { aliases: 0 };
    snippetRoot = parseYaml(snippet, info);
    if (info.aliases > 0) return undefined;
  } catch (error) {
    if (error instanceof ParseFailure) return undefined;
    throw error;
  }
  if (!isMap(snippetRoot) || snippetRoot.flow || snippetRoot.entries.length === 0) return undefined;
  if (!snippetRoot.entries.every((e) => e.key.start - lineStartOf(snippet, e.key.start) === keyColumn))
    return undefined;

  const fresh = snippetRoot.entries.map((e) => moveEntry(e, span.from));
  previous.consumed = true;
  const following = resources.entries.slice(index + 1);
  for (const e of following) moveEntry(e, delta);
  resources.entries = [...resources.entries.slice(0, index), ...fresh, ...following];
  resources.end += delta;
  for (const e of parsed.root.entries.slice(resourcesIndex + 1)) moveEntry(e, delta);
  parsed.root.end += delta;
  return { text, parsed, usesAliases: false };
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Where the `Resources` section's text ends: the next top-level key's line, or the end of the text. */
function sectionEnd(text: string, root: MapNode, resourcesIndex: number): number {
  const next = root.entries[resourcesIndex + 1];
  return next ? lineStartOf(text, next.key.start) : text.length;
}

/** Moves an entry's nodes by `delta` characters, in place. */
function moveEntry(entry: MapEntry, delta: number): MapEntry {
  if (delta !== 0) {
    move(entry.key, delta);
    move(entry.value, delta);
  }
  return entry;
}

function move(node: DocNode, delta: number): void {
  node.start += delta;
  node.end += delta;
  if (node.kind === "map") for (const e of node.entries) moveEntry(e, delta);
  else if (node.kind === "seq") for (const item of node.items) move(item, delta);
}
