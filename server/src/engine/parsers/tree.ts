// A format-neutral tree of a structured document (YAML or JSON) with source offsets.
// CloudFormation short-form tags (`!Ref X`) are normalised to their long form (`{Ref: X}`) with
// `shortForm` set, so the model reads both spellings the same way.

interface NodeBase {
  /** Offset of the node's first character. */
  start: number;
  /** Offset just past the node's last character. */
  end: number;
  /** True for nodes made up by normalisation (the `Ref` key of `!Ref X`): they have no text of their own. */
  synthetic?: boolean;
}

export interface ScalarNode extends NodeBase {
  kind: "scalar";
  value: string | number | boolean | null;
  /** How the scalar is written, so an edit can keep the same quoting. */
  style: "plain" | "single" | "double" | "block";
}

export interface MapEntry {
  key: ScalarNode;
  value: DocNode;
}

export interface MapNode extends NodeBase {
  kind: "map";
  entries: MapEntry[];
  /** `{…}` in YAML, or any JSON object. */
  flow: boolean;
  /** The YAML tag (`!If`) when this map is a normalised short-form intrinsic function. */
  shortForm?: string;
}

export interface SeqNode extends NodeBase {
  kind: "seq";
  items: DocNode[];
  flow: boolean;
}

export type DocNode = ScalarNode | MapNode | SeqNode;

export interface ParsedDocument {
  syntax: "yaml" | "json";
  root: DocNode;
}

export function isMap(node: DocNode | undefined): node is MapNode {
  return node?.kind === "map";
}

export function isSeq(node: DocNode | undefined): node is SeqNode {
  return node?.kind === "seq";
}

export function isScalar(node: DocNode | undefined): node is ScalarNode {
  return node?.kind === "scalar";
}

export function entry(map: DocNode | undefined, key: string): MapEntry | undefined {
  if (!isMap(map)) return undefined;
  for (const e of map.entries) if (e.key.value === key) return e;
  return undefined;
}

export function get(map: DocNode | undefined, key: string): DocNode | undefined {
  return entry(map, key)?.value;
}

/** `get` along a path of keys. */
export function getPath(node: DocNode | undefined, ...keys: string[]): DocNode | undefined {
  let current = node;
  for (const key of keys) current = get(current, key);
  return current;
}

/** The scalar's value as text, or undefined for anything else (an intrinsic function, a map, null). */
export function scalarText(node: DocNode | undefined): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

/** A single-key map whose key is `Ref` or `Fn::…`: a CloudFormation intrinsic function. */
export function intrinsic(node: DocNode | undefined): { name: string; arg: DocNode } | undefined {
  if (!isMap(node) || node.entries.length !== 1) return undefined;
  const name = node.entries[0].key.value;
  if (typeof name !== "string" || !(name === "Ref" || name === "Condition" || name.startsWith("Fn::")))
    return undefined;
  return { name, arg: node.entries[0].value };
}
