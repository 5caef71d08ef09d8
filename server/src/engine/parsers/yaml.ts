// YAML → DocNode with offsets, keeping CloudFormation's short-form tags as intrinsic functions.
import {
  type CollectionTag,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  Scalar,
  type ScalarTag,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import { ParseFailure } from "./errors";
import type { DocNode, MapEntry, ScalarNode } from "./tree";

/** Short-form tags and the long-form key each stands for (CloudFormation template reference). */
const SHORT_FORMS: Record<string, string> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!GetAtt": "Fn::GetAtt",
  "!Sub": "Fn::Sub",
  "!If": "Fn::If",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Base64": "Fn::Base64",
  "!FindInMap": "Fn::FindInMap",
  "!ImportValue": "Fn::ImportValue",
  "!Split": "Fn::Split",
  "!Cidr": "Fn::Cidr",
  "!GetAZs": "Fn::GetAZs",
  "!Equals": "Fn::Equals",
  "!Not": "Fn::Not",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!Transform": "Fn::Transform",
  "!Length": "Fn::Length",
  "!ToJsonString": "Fn::ToJsonString",
  "!ForEach": "Fn::ForEach",
};

/**
 * The short forms as tags the parser knows, in their scalar, sequence and mapping spellings: unknown
 * tags would each cost a warning object (an Error with a stack), a third of the parse time of a large
 * template. The tag stays on the node and `shortFormIntrinsic` turns it into the long form.
 */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = Object.keys(SHORT_FORMS).flatMap(
  (tag): (ScalarTag | CollectionTag)[] => [
    { tag, resolve: (value: string) => value },
    { tag, collection: "seq", nodeClass: YAMLSeq, resolve: (seq) => seq },
    { tag, collection: "map", nodeClass: YAMLMap, resolve: (map) => map },
  ],
);

/** Aliases are expanded by reference; past this many a document is treated as an alias bomb. */
const MAX_ALIASES = 10_000;

/** What a parse saw besides the tree: aliases make entries share nodes, so they can't be re-parsed alone. */
export interface YamlParseInfo {
  aliases: number;
}

export function parseYaml(text: string, info?: YamlParseInfo): DocNode {
  try {
    return parseStrictly(text, info);
  } catch (error) {
    if (!(error instanceof ParseFailure) || !/closing .*quote/i.test(error.message)) throw error;
    // CloudFormation (and PyYAML, cfn-lint) accept a multi-line quoted scalar whose continuation lines
    // are not indented past their key; YAML 1.2 does not. Real templates have them, so indent those
    // lines and map the offsets back, rather than lose every finding in the file.
    const repair = indentQuotedContinuations(text);
    if (!repair) throw error;
    let root: DocNode;
    try {
      root = parseStrictly(repair.text, info);
    } catch {
      throw error;
    }
    moveToOriginalOffsets(root, repair.insertions, new Set());
    return root;
  }
}

function parseStrictly(text: string, info?: YamlParseInfo): DocNode {
  const doc = parseDocument(text, {
    prettyErrors: false,
    strict: false,
    uniqueKeys: false,
    keepSourceTokens: false,
    customTags: CUSTOM_TAGS,
  });
  const error = doc.errors[0];
  if (error)
    throw new ParseFailure(`YAML syntax error: ${firstLine(error.message)}`, error.pos[0], error.pos[1]);
  if (!doc.contents) return { kind: "scalar", value: null, style: "plain", start: 0, end: 0 };
  const converter = new Converter(doc);
  const root = converter.convert(doc.contents as Node);
  if (info) info.aliases = converter.aliases;
  return root;
}

interface Insertion {
  /** Offset in the repaired text where spaces were inserted. */
  at: number;
  count: number;
}

/** A value that opens a quoted scalar: `Key: "…`, `- '…`. */
const OPENS_QUOTE = /^( *)(?:- +)?(?:[^\s#'"][^#]*?: +)?(["'])/;

/** The index just past the closing quote in `line` from `from`, or -1 when the scalar goes on. */
function closingQuote(line: string, quote: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === "\\") i++;
    else if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

function indentQuotedContinuations(text: string): { text: string; insertions: Insertion[] } | undefined {
  const lines = text.split(/(?<=\n)/);
  const insertions: Insertion[] = [];
  const out: string[] = [];
  let offset = 0;
  let open: { quote: string; minIndent: number } | undefined;
  for (let line of lines) {
    if (open) {
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      if (line.trim() !== "" && indent < open.minIndent) {
        insertions.push({ at: offset, count: open.minIndent - indent });
        line = " ".repeat(open.minIndent - indent) + line;
      }
      if (closingQuote(line, open.quote, 0) >= 0) open = undefined;
    } else {
      const match = OPENS_QUOTE.exec(line);
      if (match && closingQuote(line, match[2], match[0].length) < 0)
        open = { quote: match[2], minIndent: match[1].length + 1 };
    }
    out.push(line);
    offset += line.length;
  }
  return insertions.length > 0 ? { text: out.join(""), insertions } : undefined;
}

function moveToOriginalOffsets(node: DocNode, insertions: Insertion[], seen: Set<DocNode>): void {
  if (seen.has(node)) return;
  seen.add(node);
  const original = (offset: number) => {
    let shift = 0;
    for (const { at, count } of insertions) {
      if (at >= offset) break;
      shift += Math.min(count, offset - at);
    }
    return offset - shift;
  };
  node.start = original(node.start);
  node.end = original(node.end);
  if (node.kind === "map")
    for (const e of node.entries) {
      moveToOriginalOffsets(e.key, insertions, seen);
      moveToOriginalOffsets(e.value, insertions, seen);
    }
  else if (node.kind === "seq") for (const item of node.items) moveToOriginalOffsets(item, insertions, seen);
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

class Converter {
  private readonly converted = new Map<Node, DocNode>();
  aliases = 0;

  constructor(private readonly doc: Document) {}

  convert(node: Node | null | undefined, fallbackOffset = 0): DocNode {
    if (!node)
      return { kind: "scalar", value: null, style: "plain", start: fallbackOffset, end: fallbackOffset };
    if (isAlias(node)) {
      if (++this.aliases > MAX_ALIASES)
        throw new ParseFailure(
          `more than ${MAX_ALIASES} YAML aliases (an alias bomb?)`,
          node.range?.[0] ?? 0,
        );
      const target = node.resolve(this.doc);
      if (!target) throw new ParseFailure(`unknown YAML alias *${node.source}`, node.range?.[0] ?? 0);
      return this.convert(target);
    }
    const known = this.converted.get(node);
    if (known) return known;
    const result = this.convertFresh(node);
    this.converted.set(node, result);
    return result;
  }

  private convertFresh(node: Node): DocNode {
    const [start, end] = node.range ?? [0, 0];
    let result: DocNode;
    if (isMap(node)) {
      const entries: MapEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = this.convert(pair.key as Node, start);
        if (key.kind !== "scalar") continue; // complex keys never occur in templates
        entries.push({ key, value: this.convert(pair.value as Node, key.end) });
      }
      result = { kind: "map", entries, flow: Boolean(node.flow), start, end };
    } else if (isSeq(node)) {
      result = {
        kind: "seq",
        items: node.items.map((item) => this.convert(item as Node, start)),
        flow: Boolean(node.flow),
        start,
        end,
      };
    } else if (isScalar(node)) {
      result = scalarNode(node, start, end);
    } else {
      result = { kind: "scalar", value: null, style: "plain", start, end };
    }
    const longForm = node.tag ? SHORT_FORMS[node.tag] : undefined;
    return longForm ? shortFormIntrinsic(node.tag as string, longForm, result) : result;
  }
}

function scalarNode(node: Scalar, start: number, end: number): ScalarNode {
  const raw = node.value;
  const value =
    raw === null || typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean"
      ? raw
      : String(raw);
  return { kind: "scalar", value, style: scalarStyle(node.type), start, end };
}

function scalarStyle(type: Scalar["type"]): ScalarNode["style"] {
  switch (type) {
    case Scalar.QUOTE_DOUBLE:
      return "double";
    case Scalar.QUOTE_SINGLE:
      return "single";
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return "block";
    default:
      return "plain";
  }
}

function shortFormIntrinsic(tag: string, name: string, value: DocNode): DocNode {
  let argument = value;
  // `!GetAtt Resource.Attribute` is the dotted scalar form of `[Resource, Attribute]`.
  if (name === "Fn::GetAtt" && value.kind === "scalar" && typeof value.value === "string") {
    const dot = value.value.indexOf(".");
    const parts = dot < 0 ? [value.value] : [value.value.slice(0, dot), value.value.slice(dot + 1)];
    argument = {
      kind: "seq",
      flow: true,
      synthetic: true,
      start: value.start,
      end: value.end,
      items: parts.map((part) => ({ ...value, value: part, synthetic: true })),
    };
  }
  const key: ScalarNode = {
    kind: "scalar",
    value: name,
    style: "plain",
    start: value.start,
    end: value.start,
    synthetic: true,
  };
  return {
    kind: "map",
    entries: [{ key, value: argument }],
    flow: true,
    shortForm: tag,
    start: value.start,
    end: value.end,
  };
}
