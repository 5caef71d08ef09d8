// One in-memory form of a CloudFormation template, rendered two ways: YAML with short-form tags, block
// scalars and comments (what people write by hand), and JSON with long-form intrinsics (what CDK emits).
// Map keys starting with "//" are comments: YAML shows them, JSON drops them (JSON has none).

export type CfnValue = string | number | boolean | Intrinsic | Literal | CfnValue[] | CfnMap;
export interface CfnMap {
  [key: string]: CfnValue;
}

type IntrinsicName =
  | "Ref"
  | "GetAtt"
  | "Sub"
  | "If"
  | "Base64"
  | "Equals"
  | "Not"
  | "Join"
  | "Select"
  | "GetAZs"
  | "ImportValue";

export class Intrinsic {
  constructor(
    readonly name: IntrinsicName,
    readonly arg: CfnValue,
  ) {}
}

/** A multi-line string written as a YAML `|` block (user data, inline policies). */
export class Literal {
  constructor(readonly text: string) {}
}

export const ref = (logicalId: string): Intrinsic => new Intrinsic("Ref", logicalId);
export const getAtt = (logicalId: string, attribute: string): Intrinsic =>
  new Intrinsic("GetAtt", [logicalId, attribute]);
export const sub = (text: string): Intrinsic =>
  new Intrinsic("Sub", text.includes("\n") ? new Literal(text) : text);
export const iff = (condition: string, whenTrue: CfnValue, whenFalse: CfnValue): Intrinsic =>
  new Intrinsic("If", [condition, whenTrue, whenFalse]);
export const base64 = (value: CfnValue): Intrinsic => new Intrinsic("Base64", value);
export const equals = (left: CfnValue, right: CfnValue): Intrinsic => new Intrinsic("Equals", [left, right]);
export const not = (condition: CfnValue): Intrinsic => new Intrinsic("Not", [condition]);
export const join = (separator: string, parts: CfnValue[]): Intrinsic =>
  new Intrinsic("Join", [separator, parts]);
export const importValue = (exportName: string): Intrinsic => new Intrinsic("ImportValue", exportName);
export const selectAz = (index: number): Intrinsic =>
  new Intrinsic("Select", [index, new Intrinsic("GetAZs", "")]);

const isComment = (key: string): boolean => key.startsWith("//");

function isScalar(value: CfnValue): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

// ---------------------------------------------------------------------------------------------- JSON

const LONG_NAMES: Record<IntrinsicName, string> = {
  Ref: "Ref",
  GetAtt: "Fn::GetAtt",
  Sub: "Fn::Sub",
  If: "Fn::If",
  Base64: "Fn::Base64",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  Join: "Fn::Join",
  Select: "Fn::Select",
  GetAZs: "Fn::GetAZs",
  ImportValue: "Fn::ImportValue",
};

type JsonValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

export function toJsonValue(value: CfnValue): JsonValue {
  if (isScalar(value)) return value;
  if (value instanceof Literal) return value.text;
  if (value instanceof Intrinsic) return { [LONG_NAMES[value.name]]: toJsonValue(value.arg) };
  if (Array.isArray(value)) return value.map(toJsonValue);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, child] of Object.entries(value)) if (!isComment(key)) out[key] = toJsonValue(child);
  return out;
}

// ---------------------------------------------------------------------------------------------- YAML

const YAML_KEYWORDS = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
const PLAIN_SAFE = /^[A-Za-z_/$][A-Za-z0-9_./:${}<>(), -]*$/;

export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  if (PLAIN_SAFE.test(value) && !YAML_KEYWORDS.test(value) && !value.includes(": ") && !value.endsWith(" "))
    return value;
  return JSON.stringify(value);
}

const spaces = (n: number): string => " ".repeat(n);

function pushBlock(text: string, indent: number, out: string[]): void {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  for (const line of body.split("\n")) out.push(line === "" ? "" : spaces(indent) + line);
}

/** A flow sequence `[a, b]` when every element is a scalar or a scalar-argument tag, else undefined. */
function flowSequence(items: CfnValue[]): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    if (isScalar(item)) parts.push(yamlScalar(item));
    else if (item instanceof Intrinsic && (isScalar(item.arg) || item.name === "GetAtt")) {
      const inline = inlineTag(item);
      if (inline === undefined) return undefined;
      parts.push(inline);
    } else return undefined;
  }
  const text = `[${parts.join(", ")}]`;
  return text.length <= 90 ? text : undefined;
}

function inlineTag(tag: Intrinsic): string | undefined {
  if (tag.name === "GetAtt" && Array.isArray(tag.arg)) return `!GetAtt ${tag.arg.map(String).join(".")}`;
  if (isScalar(tag.arg)) return tag.arg === "" ? `!${tag.name} ""` : `!${tag.name} ${yamlScalar(tag.arg)}`;
  if (Array.isArray(tag.arg)) {
    const flow = flowSequence(tag.arg);
    return flow === undefined ? undefined : `!${tag.name} ${flow}`;
  }
  return undefined;
}

/**
 * Writes `head` (a `key:` or `-` already indented) followed by `value`; nested content goes at `childIndent`.
 */
function writeValue(head: string, value: CfnValue, childIndent: number, out: string[]): void {
  if (isScalar(value)) {
    out.push(`${head} ${yamlScalar(value)}`);
  } else if (value instanceof Literal) {
    out.push(`${head} |`);
    pushBlock(value.text, childIndent, out);
  } else if (value instanceof Intrinsic) {
    writeIntrinsic(head, value, childIndent, out);
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${head} []`);
      return;
    }
    out.push(head);
    for (const item of value) writeListItem(item, childIndent, out);
  } else {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.push(`${head} {}`);
      return;
    }
    out.push(head);
    writeMap(value, childIndent, out);
  }
}

function writeIntrinsic(head: string, tag: Intrinsic, childIndent: number, out: string[]): void {
  // Two short tags cannot stack on one node (`!Base64 !Sub`), so the outer one is written long-form.
  if (tag.arg instanceof Intrinsic && !isScalar(tag.arg.arg) && tag.arg.name !== "GetAtt") {
    out.push(head);
    writeValue(`${spaces(childIndent)}${LONG_NAMES[tag.name]}:`, tag.arg, childIndent + 2, out);
    return;
  }
  const inline = inlineTag(tag);
  if (inline !== undefined) {
    out.push(`${head} ${inline}`);
  } else if (tag.arg instanceof Literal) {
    out.push(`${head} !${tag.name} |`);
    pushBlock(tag.arg.text, childIndent, out);
  } else if (tag.arg instanceof Intrinsic) {
    out.push(`${head} !${tag.name} ${inlineTag(tag.arg) ?? ""}`);
  } else if (Array.isArray(tag.arg)) {
    out.push(`${head} !${tag.name}`);
    for (const item of tag.arg) writeListItem(item, childIndent, out);
  } else {
    out.push(`${head} !${tag.name}`);
    writeMap(tag.arg as CfnMap, childIndent, out);
  }
}

function writeListItem(item: CfnValue, indent: number, out: string[]): void {
  if (!isScalar(item) && !(item instanceof Intrinsic) && !(item instanceof Literal) && !Array.isArray(item)) {
    // A map item starts on the dash line: `- Key: value`, its other keys aligned under the first.
    const lines: string[] = [];
    writeMap(item, indent + 2, lines);
    const first = lines[0];
    if (first === undefined) {
      out.push(`${spaces(indent)}- {}`);
      return;
    }
    out.push(`${spaces(indent)}- ${first.slice(indent + 2)}`);
    for (const line of lines.slice(1)) out.push(line);
    return;
  }
  writeValue(`${spaces(indent)}-`, item, indent + 2, out);
}

function writeMap(map: CfnMap, indent: number, out: string[]): void {
  for (const [key, value] of Object.entries(map)) {
    if (isComment(key)) {
      out.push(`${spaces(indent)}# ${String(value)}`);
      continue;
    }
    writeValue(`${spaces(indent)}${yamlScalar(key)}:`, value, indent + 2, out);
  }
}

/** The YAML lines of `map` at `indent`, without a trailing newline. */
export function toYamlLines(map: CfnMap, indent = 0): string[] {
  const out: string[] = [];
  writeMap(map, indent, out);
  return out;
}
