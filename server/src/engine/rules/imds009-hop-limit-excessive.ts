// IMDS009 hop-limit-excessive: a hop limit above 2 lets the token travel further than any container needs.
import { replaceScalar } from "../fixes/cfnEdits";
import type { Finding } from "../types";
import { containerHopPolicy, hopValues } from "./hopLimit";
import { defineRule, endpointDisabled, label, makeFinding, mergeSameCause, usersAsRelated } from "./support";

export const imds009 = defineRule("IMDS009", (model, { settings }) => {
  const { template } = model;
  const findings: Finding[] = [];
  for (const path of model.paths) {
    if (path.hopLimit.inherited || endpointDisabled(path)) continue;
    const policy = containerHopPolicy(path, settings);
    for (const hop of hopValues(path)) {
      // Values the container policy already flags are IMDS003's; one finding per cause.
      if (!hop.outcome || hop.value <= 2 || policy?.violates(hop.value)) continue;
      findings.push(
        makeFinding(template, {
          cdkAdvice: `\`httpPutResponseHopLimit: 2\` on the LaunchTemplate, or the instance's MetadataOptions`,
          ruleId: "IMDS009",
          node: hop.outcome.node,
          resource: path.site.resource,
          message: `${label(path)} sets HttpPutResponseHopLimit to ${hop.value}: a token can then be fetched from ${hop.value - 1} network hops away from the instance, further than any container needs. Use 2 on container hosts, 1 elsewhere.`,
          fix: {
            title: "Set HttpPutResponseHopLimit to 2",
            edit: replaceScalar(template, hop.outcome.node, { kind: "number", value: 2 }),
          },
          related: usersAsRelated(template, path),
        }),
      );
    }
  }
  return mergeSameCause(findings);
});
