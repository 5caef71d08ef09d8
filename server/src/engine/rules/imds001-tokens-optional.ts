// IMDS001 tokens-optional: `HttpTokens` is explicitly `optional` (or a service switch re-enables IMDSv1).
import { replaceScalar } from "../fixes/cfnEdits";
import type { LiteralOutcome } from "../model/values";
import { isScalar, isSeq, scalarText } from "../parsers/tree";
import type { Finding } from "../types";
import {
  defineRule,
  endpointDisabled,
  label,
  makeFinding,
  mergeSameCause,
  outcomeOrigin,
  outcomeRelated,
  usersAsRelated,
} from "./support";

export const imds001 = defineRule("IMDS001", (model) => {
  const { template } = model;
  const findings: Finding[] = [];
  for (const path of model.paths) {
    if (path.tokens.inherited || endpointDisabled(path)) continue;
    for (const outcome of path.tokens.outcomes) {
      if (outcome.kind !== "literal" || outcome.value !== "optional") continue;
      findings.push(
        makeFinding(template, {
          ruleId: "IMDS001",
          node: outcome.node,
          resource: path.site.resource,
          message: `${label(path)} sets HttpTokens to optional${outcomeOrigin(outcome)}: IMDSv1 stays open, so one SSRF bug can read the instance's credentials. Set it to required once the MetadataNoToken metric shows no IMDSv1 calls.`,
          fix: {
            title: outcome.parameter
              ? `Set the default of parameter ${outcome.parameter.parameter.name} to required`
              : "Set HttpTokens to required",
            // A default outside AllowedValues would not deploy: then the fix is a person's to make.
            edit: defaultMayBeRequired(outcome)
              ? replaceScalar(template, outcome.node, { kind: "string", value: "required" })
              : undefined,
          },
          related: [
            ...outcomeRelated(template, outcome, path.site.resource),
            ...usersAsRelated(template, path),
          ],
        }),
      );
    }
  }
  for (const serviceSwitch of model.switches) {
    findings.push(
      makeFinding(template, {
        ruleId: "IMDS001",
        node: serviceSwitch.value,
        resource: serviceSwitch.resource,
        message: `${serviceSwitch.resource.type} ${serviceSwitch.resource.logicalId} sets ${serviceSwitch.setting} so that IMDSv1 stays enabled. Set it to ${serviceSwitch.secureValue} to require IMDSv2.`,
        cdkAdvice: `set ${serviceSwitch.setting} to ${serviceSwitch.secureValue}`,
        fix: {
          title: `Set ${serviceSwitch.setting} to ${serviceSwitch.secureValue}`,
          edit: isScalar(serviceSwitch.value)
            ? replaceScalar(template, serviceSwitch.value, {
                kind: "string",
                value: serviceSwitch.secureValue,
              })
            : undefined,
        },
      }),
    );
  }
  return mergeSameCause(findings);
});

function defaultMayBeRequired(outcome: LiteralOutcome): boolean {
  const allowed = outcome.parameter?.parameter.allowedValues;
  return !isSeq(allowed) || allowed.items.some((item) => scalarText(item) === "required");
}
