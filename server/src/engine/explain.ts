// Hover text: for a launch-path resource or one of its metadata options, the resolved value of each
// option and where each part came from (instance → launch template → account default → AMI → EC2 default).
import { describeSource, resolveHopLimit, resolveHttpTokens } from "./domain/precedence";
import type { LaunchModel, LaunchPath, OptionValue } from "./model/launchPaths";
import type { CfnTemplate } from "./model/template";
import type { Outcome } from "./model/values";
import type { DocNode } from "./parsers/tree";
import { containsPosition } from "./text";
import type { Position, Range } from "./types";

export interface Explanation {
  range: Range;
  markdown: string;
}

export function explainAt(model: LaunchModel, position: Position): Explanation | undefined {
  const { template } = model;
  const at = template.lines.offset(position);
  const inside = (node: DocNode) => node.start <= at && at <= node.end;
  const path =
    model.paths.find((p) => inside(p.site.resource.key) || inside(p.site.resource.body)) ??
    model.paths.find((p) => p.users.some((u) => inside(u.key) || inside(u.body)));
  if (!path) return undefined;
  const resource = path.site.resource.key;
  const range = optionRangeAt(template, path, position) ?? template.lines.range(resource.start, resource.end);
  return { range, markdown: describePath(template, path) };
}

function optionRangeAt(template: CfnTemplate, path: LaunchPath, position: Position): Range | undefined {
  const block = path.site.block;
  if (block?.value.kind !== "map") return undefined;
  for (const e of block.value.entries) {
    const range = template.lines.range(e.key.start, e.value.end);
    if (containsPosition(range, position)) return range;
  }
  return undefined;
}

function describePath(template: CfnTemplate, path: LaunchPath): string {
  const { site } = path;
  const lines: string[] = [
    `**IMDS Guard** · ${site.kind} \`${site.resource.logicalId}\`${site.resource.cdkPath ? ` (CDK \`${site.resource.cdkPath}\`)` : ""}`,
    "",
    "| option | resolves to | how |",
    "|---|---|---|",
  ];
  const tokens = explainOption(template, path, path.tokens, (launch) =>
    resolveHttpTokens({
      launch: launch as "required" | "optional" | undefined,
      ami: path.ami.imdsV2 ? "v2.0" : "none",
    }),
  );
  const hop = explainOption(template, path, path.hopLimit, (launch) =>
    resolveHopLimit({
      launch: launch === undefined ? undefined : Number(launch),
      ami: path.ami.imdsV2 ? "v2.0" : "none",
    }),
  );
  lines.push(`| HttpTokens | ${tokens.value} | ${tokens.chain} |`);
  lines.push(`| HttpPutResponseHopLimit | ${hop.value} | ${hop.chain} |`);
  if (site.supportsEndpoint) {
    const endpoint = path.endpoint.outcomes.map(outcomeText).join(" / ") || "enabled";
    lines.push(
      `| HttpEndpoint | ${endpoint} | ${path.endpoint.outcomes.length > 0 ? placeOf(template, path.endpoint) : "EC2's default"} |`,
    );
  }
  lines.push("");
  lines.push(
    "Precedence (seed 001): launch parameter (instance over its launch template, field by field) → account default for the region (not visible in CloudFormation) → AMI `ImdsSupport` → EC2 default (optional, hop 1).",
  );
  lines.push("");
  lines.push(
    path.containerReasons.length > 0
      ? `Container host: yes, because ${path.containerReasons.join("; ")}.`
      : "Container host: no sign of containers (EKS/ECS/Batch users, container AMI, user data or tags).",
  );
  if (path.ami.description)
    lines.push(`\nAMI: \`${path.ami.description}\`${path.ami.imdsV2 ? " (ImdsSupport v2.0)" : ""}.`);
  if (path.users.length > 0)
    lines.push(`\nLaunched by: ${path.users.map((u) => `\`${u.logicalId}\` (${u.type})`).join(", ")}.`);
  return lines.join("\n");
}

function explainOption(
  template: CfnTemplate,
  path: LaunchPath,
  option: OptionValue,
  resolve: (launch: string | undefined) => {
    value: string | number;
    source: Parameters<typeof describeSource>[0];
  },
): { value: string; chain: string } {
  const chain: string[] = [];
  if (path.template) {
    chain.push(`instance: ${option.inherited || option.outcomes.length === 0 ? "not set" : "set"}`);
    chain.push(
      `launch template \`${path.template.site.resource.logicalId}\`: ${option.inherited && option.outcomes.length > 0 ? `${option.outcomes.map(outcomeText).join(" / ")} (${placeOf(template, option)})` : "not set"}`,
    );
  } else if (option.outcomes.length > 0) {
    chain.push(`set here (${placeOf(template, option)})`);
  } else {
    chain.push(`not set on this ${path.site.kind}`);
  }
  const literals = option.outcomes.filter((o) => o.kind === "literal");
  if (option.outcomes.length > 0 && literals.length === option.outcomes.length) {
    return { value: [...new Set(literals.map(outcomeText))].join(" / "), chain: chain.join(" → ") };
  }
  if (option.outcomes.some((o) => o.kind === "unknown")) {
    return {
      value: "unknown",
      chain: `${chain.join(" → ")} → ${option.outcomes.map(outcomeText).join(" / ")}`,
    };
  }
  const resolved = resolve(undefined);
  chain.push("account default: not visible here");
  chain.push(`AMI: ${path.ami.imdsV2 ? "ImdsSupport v2.0" : "not known to be v2.0"}`);
  chain.push(`so ${describeSource(resolved.source)}`);
  return { value: String(resolved.value), chain: chain.join(" → ") };
}

function outcomeText(outcome: Outcome): string {
  const when = outcome.condition ? ` when ${outcome.condition}` : "";
  if (outcome.kind === "literal") return `${outcome.value}${when}`;
  if (outcome.kind === "unset") return `removed (AWS::NoValue)${when}`;
  return `unknown: ${outcome.reason}${when}`;
}

function placeOf(template: CfnTemplate, option: OptionValue): string {
  const first = option.outcomes[0];
  if (!first) return "";
  const line = template.lines.position(first.node.start).line + 1;
  return first.kind === "literal" && first.parameter
    ? `parameter ${first.parameter.parameter.name}'s default, line ${line}`
    : `line ${line}`;
}
