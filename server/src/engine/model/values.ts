// What a property value can be at deploy time. A value may have several outcomes (`!If` branches,
// a `FindInMap` over every region); each keeps the node a fix would edit.
import {
  type DocNode,
  get,
  intrinsic,
  isMap,
  isScalar,
  isSeq,
  type ScalarNode,
  scalarText,
} from "../parsers/tree";
import type { CfnParameter, CfnTemplate } from "./template";

export interface ParameterUse {
  parameter: CfnParameter;
  /** The `!Ref` that reads the parameter. */
  use: DocNode;
}

interface OutcomeBase {
  /** The `!If` branch that gives this outcome, e.g. `IsProd is false`. */
  condition?: string;
}

export interface LiteralOutcome extends OutcomeBase {
  kind: "literal";
  value: string;
  /** The scalar to edit: the value itself, or the parameter default it came from. */
  node: ScalarNode;
  parameter?: ParameterUse;
}

/** `!Ref AWS::NoValue`: the property is removed, as if never written. */
export interface UnsetOutcome extends OutcomeBase {
  kind: "unset";
  node: DocNode;
}

export interface UnknownOutcome extends OutcomeBase {
  kind: "unknown";
  node: DocNode;
  reason: string;
  /** A public SSM parameter path the value is read from at deploy time (AMI ids). */
  ssmPath?: string;
}

export type Outcome = LiteralOutcome | UnsetOutcome | UnknownOutcome;

const MAX_DEPTH = 8;

export function evaluate(template: CfnTemplate, node: DocNode | undefined, depth = 0): Outcome[] {
  if (!node) return [];
  if (isScalar(node)) {
    if (node.value === null) return [{ kind: "unset", node }];
    return [{ kind: "literal", value: String(node.value), node }];
  }
  const fn = intrinsic(node);
  if (!fn || depth > MAX_DEPTH)
    return [{ kind: "unknown", node, reason: "the value is computed at deploy time" }];
  switch (fn.name) {
    case "Ref":
      return evaluateRef(template, node, scalarText(fn.arg));
    case "Fn::If":
      return evaluateIf(template, fn.arg, depth);
    case "Fn::FindInMap":
      return evaluateFindInMap(template, node, fn.arg, depth);
    case "Fn::Sub": {
      const text = scalarText(fn.arg);
      if (text !== undefined && isScalar(fn.arg) && !text.includes("${"))
        return [{ kind: "literal", value: text, node: fn.arg }];
      return [{ kind: "unknown", node, reason: "the value is built with Fn::Sub at deploy time" }];
    }
    default:
      return [{ kind: "unknown", node, reason: `the value comes from ${fn.name} at deploy time` }];
  }
}

function evaluateRef(template: CfnTemplate, node: DocNode, name: string | undefined): Outcome[] {
  if (name === "AWS::NoValue") return [{ kind: "unset", node }];
  const parameter = name === undefined ? undefined : template.parameters.get(name);
  if (!parameter) return [{ kind: "unknown", node, reason: `the value comes from ${name ?? "a reference"}` }];
  const defaultText = scalarText(parameter.defaultValue);
  if (parameter.type?.startsWith("AWS::SSM::Parameter::Value"))
    return [
      {
        kind: "unknown",
        node,
        reason: `parameter ${parameter.name} is read from SSM parameter ${defaultText ?? "(no default)"} at deploy time`,
        ssmPath: defaultText,
      },
    ];
  if (defaultText === undefined || !isScalar(parameter.defaultValue))
    return [{ kind: "unknown", node, reason: `parameter ${parameter.name} has no default` }];
  return [
    {
      kind: "literal",
      value: defaultText,
      node: parameter.defaultValue,
      parameter: { parameter, use: node },
    },
  ];
}

function evaluateIf(template: CfnTemplate, arg: DocNode, depth: number): Outcome[] {
  if (!isSeq(arg) || arg.items.length !== 3)
    return [{ kind: "unknown", node: arg, reason: "a malformed Fn::If" }];
  const condition = scalarText(arg.items[0]) ?? "condition";
  const branch = (item: DocNode, label: string) =>
    evaluate(template, item, depth + 1).map((o) => ({ ...o, condition: o.condition ?? label }));
  return [...branch(arg.items[1], `${condition} is true`), ...branch(arg.items[2], `${condition} is false`)];
}

function evaluateFindInMap(template: CfnTemplate, node: DocNode, arg: DocNode, depth: number): Outcome[] {
  const unknown: Outcome[] = [{ kind: "unknown", node, reason: "the value comes from Fn::FindInMap" }];
  if (!isSeq(arg) || arg.items.length < 3) return unknown;
  const mapping = get(template.mappings, scalarText(arg.items[0]) ?? "");
  if (!isMap(mapping)) return unknown;
  // A key chosen at deploy time (`!Ref AWS::Region`, a nested FindInMap on the instance type): every
  // entry at that level is possible, as in the classic region → architecture → AMI maps.
  const topKey = scalarText(arg.items[1]);
  const secondKey = scalarText(arg.items[2]);
  const rows = topKey === undefined ? mapping.entries.map((e) => e.value) : [get(mapping, topKey)];
  const cells = rows.flatMap((row) =>
    secondKey !== undefined ? [get(row, secondKey)] : isMap(row) ? row.entries.map((e) => e.value) : [],
  );
  const outcomes = cells.flatMap((cell) => evaluate(template, cell, depth + 1));
  return outcomes.length > 0 ? outcomes : unknown;
}

/**
 * A canonical spelling of a node, without offsets: two references that are written the same way
 * (`!Sub "${AWS::StackName}-web"` in the template's name and in the instance) name the same thing.
 * Bounded, because YAML aliases can make a small document a very large tree.
 */
export function canonical(node: DocNode | undefined, budget = { left: 4096 }): string {
  if (!node || --budget.left < 0) return "…";
  if (isScalar(node)) return JSON.stringify(node.value);
  if (isSeq(node)) return `[${node.items.map((item) => canonical(item, budget)).join(",")}]`;
  return `{${node.entries.map((e) => `${JSON.stringify(e.key.value)}:${canonical(e.value, budget)}`).join(",")}}`;
}
