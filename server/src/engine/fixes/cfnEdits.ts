// Text edits on a CloudFormation template that keep its style: YAML block or flow, JSON, the file's
// indentation and line endings, quoting, and comments next to the place being changed.
import type { OptionsSite } from "../model/launchPaths";
import type { CfnTemplate } from "../model/template";
import { type DocNode, isMap, type MapNode, type ScalarNode } from "../parsers/tree";
import type { TextEdit } from "../types";

/** The text for a value of an option: numbers stay numbers, strings get the document's quoting. */
export type OptionValueText = { kind: "string"; value: string } | { kind: "number"; value: number };

/** Replace a scalar with another value, keeping its quotes (or its JSON type). */
export function replaceScalar(
  template: CfnTemplate,
  node: ScalarNode,
  value: OptionValueText,
): TextEdit | undefined {
  if (node.synthetic) return undefined;
  let text: string;
  if (node.style === "double") text = JSON.stringify(String(value.value));
  else if (node.style === "single") text = `'${String(value.value)}'`;
  else if (node.style === "block") return undefined;
  else if (template.syntax === "json" && value.kind === "string" && typeof node.value !== "number")
    text = JSON.stringify(value.value);
  else text = String(value.value);
  return { range: template.lines.range(node.start, node.end), newText: text };
}

/**
 * Set `key` in the site's options block: insert it into the block, or insert the whole block into
 * the site's holder (`Properties`, `LaunchTemplateData`). Undefined when no text edit can do it safely.
 */
export function setOption(
  template: CfnTemplate,
  site: OptionsSite,
  key: string,
  value: OptionValueText,
): TextEdit | undefined {
  if (site.block) {
    const block = site.block.value;
    if (!isMap(block) || block.shortForm || block.entries.some((e) => e.key.synthetic)) return undefined;
    return insertEntry(template, site, block, [{ key, value }]);
  }
  if (!site.holder) return undefined;
  return insertEntry(template, site, site.holder, [
    { key: site.blockKey, value: { nested: [{ key, value }] } },
  ]);
}

interface NewEntry {
  key: string;
  value: OptionValueText | { nested: NewEntry[] };
}

function insertEntry(
  template: CfnTemplate,
  site: OptionsSite,
  map: MapNode,
  entries: NewEntry[],
): TextEdit | undefined {
  const { text, lines } = template;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const step = indentStep(template, site);
  if (template.syntax === "json") return insertJson(template, map, entries, step, eol);
  if (map.flow) {
    // `{HttpEndpoint: enabled}` → `{HttpEndpoint: enabled, HttpTokens: required}`
    const close = text.lastIndexOf("}", map.end);
    if (close < map.start) return undefined;
    const separator = map.entries.length > 0 ? ", " : "";
    const at = lines.range(close, close);
    return { range: at, newText: `${separator}${entries.map(yamlFlow).join(", ")}` };
  }
  const first = map.entries[0];
  if (!first) return undefined;
  const firstLine = lines.position(first.key.start).line;
  const indent = lines.lineText(firstLine).slice(0, lines.position(first.key.start).character);
  if (indent.trim() !== "") return undefined; // the first key shares its line (`- Key: v`): leave it to a person
  // New entries go first, above any comment lines that belong to the current first key.
  let line = firstLine;
  while (line > 0 && /^\s*#/.test(lines.lineText(line - 1))) line--;
  const at = lines.lineStart(line);
  const body = entries.flatMap((e) => yamlBlock(e, indent, step)).join(eol);
  return { range: lines.range(at, at), newText: `${body}${eol}` };
}

function yamlScalar(value: OptionValueText): string {
  return String(value.value);
}

function yamlFlow(entry: NewEntry): string {
  if ("nested" in entry.value) return `${entry.key}: {${entry.value.nested.map(yamlFlow).join(", ")}}`;
  return `${entry.key}: ${yamlScalar(entry.value)}`;
}

function yamlBlock(entry: NewEntry, indent: string, step: string): string[] {
  if ("nested" in entry.value)
    return [
      `${indent}${entry.key}:`,
      ...entry.value.nested.flatMap((e) => yamlBlock(e, indent + step, step)),
    ];
  return [`${indent}${entry.key}: ${yamlScalar(entry.value)}`];
}

function insertJson(
  template: CfnTemplate,
  map: MapNode,
  entries: NewEntry[],
  step: string,
  eol: string,
): TextEdit {
  const { text, lines } = template;
  const last = map.entries[map.entries.length - 1];
  const jsonValue = (value: NewEntry["value"], indent: string): string => {
    if (!("nested" in value))
      return value.kind === "number" ? String(value.value) : JSON.stringify(value.value);
    const inner = indent + step;
    return `{${eol}${value.nested.map((e) => `${inner}${JSON.stringify(e.key)}: ${jsonValue(e.value, inner)}`).join(`,${eol}`)}${eol}${indent}}`;
  };
  if (!last) {
    const open = map.start + 1;
    const indent = leadingIndent(lines.lineText(lines.position(map.start).line));
    const inner = indent + step;
    const body = entries
      .map((e) => `${inner}${JSON.stringify(e.key)}: ${jsonValue(e.value, inner)}`)
      .join(`,${eol}`);
    return { range: lines.range(open, map.end - 1), newText: `${eol}${body}${eol}${indent}` };
  }
  const keyPos = lines.position(last.key.start);
  const sameLine = lines.position(map.start).line === keyPos.line;
  const indent = leadingIndent(lines.lineText(keyPos.line));
  const body = entries
    .map(
      (e) => `${sameLine ? " " : `${eol}${indent}`}${JSON.stringify(e.key)}: ${jsonValue(e.value, indent)}`,
    )
    .join(",");
  // Keep a trailing comma where the author had one.
  const after = text.slice(last.value.end).match(/^\s*,/);
  const at = last.value.end + (after ? after[0].length : 0);
  return { range: lines.range(at, at), newText: after ? `${body},` : `,${body}` };
}

function leadingIndent(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? "";
}

/** The document's indentation unit, read from how a resource's `Properties` sit under its logical id. */
function indentStep(template: CfnTemplate, site: OptionsSite): string {
  const { lines } = template;
  const keyColumn = lines.position(site.resource.key.start).character;
  const child = site.resource.body.entries[0]?.key;
  if (child) {
    const childColumn = lines.position(child.start).character;
    const childLine = lines.lineText(lines.position(child.start).line);
    if (childColumn > keyColumn && leadingIndent(childLine).length === childColumn)
      return childLine.slice(keyColumn, childColumn).replace(/[^\t ]/g, " ");
  }
  return "  ";
}

/** For messages and hovers: where a node sits, 1-based. */
export function lineOf(template: CfnTemplate, node: DocNode): number {
  return template.lines.position(node.start).line + 1;
}
