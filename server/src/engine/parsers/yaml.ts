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
