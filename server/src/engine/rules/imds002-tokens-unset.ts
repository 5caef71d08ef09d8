// IMDS002 tokens-unset: no `HttpTokens`, and the value it resolves to (seed 001's precedence) is optional.
import { resolveHttpTokens } from "../domain/precedence";
import { setOption } from "../fixes/cfnEdits";
import type { LaunchPath } from "../model/launchPaths";
import type { CfnTemplate } from "../model/template";
import { canonical } from "../model/values";
import { intrinsic, scalarText } from "../parsers/tree";
import type { Finding, Severity } from "../types";
import {
  defineRule,
  endpointDisabled,
  label,
  makeFinding,
  mergeSameCause,
  missingOptionNode,
  outcomeOrigin,
  unsetButOverriddenByEveryUser,
  usersAsRelated,
} from "./support";

const REQUIRE = { kind: "string", value: "required" } as const;

export const imds002 = defineRule("IMDS002", (model) => {
  const { template } = model;
  const findings: Finding[] = [];
  for (const path of model.paths) {
    if (path.tokens.inherited || endpointDisabled(path)) continue;
    if (path.tokens.outcomes.length === 0) {
      if (!unsetButOverriddenByEveryUser(path, "tokens")) findings.push(unsetFinding(template, path));
      continue;
    }
    for (const outcome of path.tokens.outcomes) {
      if (outcome.kind === "literal") continue;
      const unknown = outcome.kind === "unknown";
      findings.push(
        makeFinding(template, {
          ruleId: "IMDS002",
          severity: unknown ? "info" : "warning",
          node: outcome.node,
          resource: path.site.resource,
          message: unknown
            ? `${label(path)}: HttpTokens cannot be known from this template (${outcome.reason}${outcomeOrigin(outcome).replace(/^ \(/, ", ").replace(/\)$/, "")}). Make sure it resolves to required; IMDS Guard does not assume it does.`
            : `${label(path)} leaves HttpTokens unset${outcomeOrigin(outcome)}, so it falls back to EC2's default, optional: IMDSv1 stays open. Set it to required in every branch.`,
          related: usersAsRelated(template, path),
        }),
      );
    }
  }
  for (const { resource, spec } of model.inlineSpotSpecs) {
    findings.push(
      makeFinding(template, {
        ruleId: "IMDS002",
        node: spec.entries[0]?.key ?? resource.key,
        resource,
        message: `Spot Fleet ${resource.logicalId} launches from an inline launch specification, which cannot set metadata options: its instances get EC2's default, optional, unless the region's account default requires tokens. Launch from a launch template with HttpTokens: required instead.`,
      }),
    );
  }
  return mergeSameCause(findings);
});

function unsetFinding(template: CfnTemplate, path: LaunchPath): Finding {
  const site = path.site;
  const fix = {
    title: `Add ${site.blockKey}.HttpTokens: required`,
    edit: setOption(template, site, "HttpTokens", REQUIRE),
  };
  const { severity, message } = unsetVerdict(path);
  return makeFinding(template, {
    ruleId: "IMDS002",
    severity,
    node: path.externalTemplate ?? missingOptionNode(path),
    resource: site.resource,
    message,
    fix,
    related: path.externalTemplate ? [] : usersAsRelated(template, path),
  });
}

/** How sure the engine is that an unset HttpTokens leaves IMDSv1 open on this path, and why. */
function unsetVerdict(path: LaunchPath): { severity: Severity; message: string } {
  const { blockKey } = path.site;
  if (path.externalTemplate)
    return {
      severity: "info",
      message: `${label(path)} does not set HttpTokens and inherits it from launch template ${describeReference(path)}, which is not in this template: IMDS Guard cannot know whether it requires tokens. Set ${blockKey}.HttpTokens: required on the instance to be sure.`,
    };
  const what = path.site.block ? `sets no HttpTokens in its ${blockKey}` : `has no ${blockKey}`;
  if (resolveHttpTokens({ ami: path.ami.imdsV2 ? "v2.0" : "none" }).value === "required")
    return {
      severity: "hint",
      message: `${label(path)} ${what}; tokens are required only because its AMI (${path.ami.description}) is registered with ImdsSupport v2.0. Set HttpTokens: required so IMDSv1 stays off if the AMI changes.`,
    };
  if (path.ami.unknown)
    return {
      severity: "info",
      message: `${label(path)} ${what}, so HttpTokens depends on an AMI this template cannot tell (${path.ami.unknown}): optional, leaving IMDSv1 open, unless that AMI is registered with ImdsSupport v2.0. Add ${blockKey}.HttpTokens: required to be sure.`,
    };
  return {
    severity: "warning",
    message: `${label(path)} ${what}, so HttpTokens resolves to EC2's default, optional (no account default or v2.0 AMI in this template makes it required): IMDSv1 stays open. Add ${blockKey}.HttpTokens: required.`,
  };
}

/** The reference as a person wrote it: `!Ref SharedTemplateId`, `shared-web`, `!ImportValue …`. */
function describeReference(path: LaunchPath): string {
  const node = path.externalTemplate;
  const literal = scalarText(node);
  const fn = intrinsic(node);
  const text =
    literal ??
    (fn ? `!${fn.name.replace(/^Fn::/, "")} ${scalarText(fn.arg) ?? canonical(fn.arg)}` : canonical(node));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
