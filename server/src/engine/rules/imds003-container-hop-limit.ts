// IMDS003 container-hop-limit: the hop limit does not fit a container host under the configured policy.
import { replaceScalar, setOption } from "../fixes/cfnEdits";
import type { Finding } from "../types";
import { containerHopPolicy, hopValues } from "./hopLimit";
import {
  defineRule,
  endpointDisabled,
  label,
  makeFinding,
  mergeSameCause,
  missingOptionNode,
  unsetButOverriddenByEveryUser,
  usersAsRelated,
} from "./support";

export const imds003 = defineRule("IMDS003", (model, { settings }) => {
  const { template } = model;
  const findings: Finding[] = [];
  for (const path of model.paths) {
    if (path.hopLimit.inherited || endpointDisabled(path) || unsetButOverriddenByEveryUser(path, "hopLimit"))
      continue;
    const policy = containerHopPolicy(path, settings);
    if (!policy) continue;
    for (const hop of hopValues(path)) {
      if (!policy.violates(hop.value)) continue;
      const recommended = { kind: "number", value: policy.recommended } as const;
      const edit = hop.outcome
        ? replaceScalar(template, hop.outcome.node, recommended)
        : setOption(template, path.site, "HttpPutResponseHopLimit", recommended);
      findings.push(
        makeFinding(template, {
          cdkAdvice: `\`httpPutResponseHopLimit: ${policy.recommended}\` on the LaunchTemplate, or the instance's MetadataOptions`,
          ruleId: "IMDS003",
          node: hop.outcome?.node ?? missingOptionNode(path),
          resource: path.site.resource,
          message: `${label(path)} is a container host (${path.containerReasons.join("; ")}) and its hop limit is ${hop.value} (${hop.source}): ${policy.explanation}. Set HttpPutResponseHopLimit to ${policy.recommended}.`,
          fix: { title: `Set HttpPutResponseHopLimit to ${policy.recommended}`, edit },
          related: usersAsRelated(template, path),
        }),
      );
    }
    // A hop limit the template cannot tell (a parameter without default, an import): say so, lower.
    for (const outcome of path.hopLimit.outcomes) {
      if (outcome.kind !== "unknown") continue;
      findings.push(
        makeFinding(template, {
          ruleId: "IMDS003",
          severity: "info",
          node: outcome.node,
          resource: path.site.resource,
          message: `${label(path)} is a container host (${path.containerReasons.join("; ")}) and its hop limit cannot be known from this template (${outcome.reason}): ${policy.explanation}. Make sure it resolves to ${policy.recommended}.`,
          related: usersAsRelated(template, path),
        }),
      );
    }
  }
  return mergeSameCause(findings);
});
