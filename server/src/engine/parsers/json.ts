// JSON → DocNode with offsets, via jsonc-parser (tolerates comments and trailing commas as editors do).
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { ParseFailure } from "./errors";
import type { DocNode, MapEntry } from "./tree";

export function parseJson(text: string): DocNode {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const error = errors[0];
  if (error)
    throw new ParseFailure(
      `JSON syntax error: ${describe(error)}`,
      error.offset,
      error.offset + error.length,
    );
  if (!tree) return { kind: "scalar", value: null, style: "plain", start: 0, end: 0 };
  return convert(tree);
}

function describe(error: ParseError): string {
  // "ValueExpected" → "value expected"
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

function convert(node: Node): DocNode {
  const start = node.offset;
  const end = node.offset + node.length;
  switch (node.type) {
    case "object": {
      const entries: MapEntry[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const key = convert(keyNode);
        if (key.kind !== "scalar") continue;
        const value: DocNode = valueNode
          ? convert(valueNode)
          : { kind: "scalar", value: null, style: "plain", start: key.end, end: key.end };
        entries.push({ key, value });
      }
      return { kind: "map", entries, flow: true, start, end };
    }
    case "array":
      return { kind: "seq", items: (node.children ?? []).map(convert), flow: true, start, end };
    case "string":
      return { kind: "scalar", value: node.value as string, style: "double", start, end };
    case "number":
    case "boolean":
      return { kind: "scalar", value: node.value as number | boolean, style: "plain", start, end };
    default:
      return { kind: "scalar", value: null, style: "plain", start, end };
  }
}
