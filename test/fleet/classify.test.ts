// Classification of live resources, case by case, beside the end-to-end scans against moto.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveHopLimit, resolveHttpTokens } from "../../server/src/engine/domain/precedence";
import {
  classifyAccountDefault,
  classifyInstance,
  classifyLaunchTemplate,
  recommendedHopLimit,
} from "../../server/src/fleet/classify";

const policy = { podsNeedImds: true, days: 14 };
const rules = (findings: { ruleId: string; severity: string }[]) =>
  findings.map((f) => `${f.ruleId}/${f.severity}`);

describe("fleet classification", () => {
  it("resolves an unset launch template through the AMI (seed 001: no preference + v2.0 = required)", () => {
    const httpTokens = resolveHttpTokens({ accountDefault: "no-preference", ami: "v2.0" });
    const hopLimit = resolveHopLimit({ accountDefault: -1, ami: "v2.0" });
    assert.deepEqual(
      rules(classifyLaunchTemplate({ name: "al2023", httpTokens, hopLimit, endpoint: "enabled" }, policy)),
      [],
    );
  });

  it("lowers IMDS002 to info when the account default could not be read", () => {
    const httpTokens = resolveHttpTokens({ ami: "none" });
    const hopLimit = resolveHopLimit({});
    const findings = classifyLaunchTemplate(
      { name: "web", httpTokens, hopLimit, endpoint: "enabled", accountDefaultUnknown: true },
      policy,
    );
    assert.deepEqual(rules(findings), ["IMDS002/info"]);
    assert.match(findings[0]?.message ?? "", /account default could not be read/);
  });

  it("says nothing where the metadata endpoint is off", () => {
    const metadata = {
      httpTokens: "optional" as const,
      hopLimit: 9,
      endpoint: "disabled" as const,
      state: "applied",
    };
    assert.deepEqual(
      classifyInstance(
        { metadata, containerHost: "it carries the EKS tag eks:cluster-name", imdsV1Calls: 5 },
        policy,
      ),
      [],
    );
  });

  it("recommends the hop limit of the policy", () => {
    assert.equal(recommendedHopLimit("it carries the ECS tag AmazonECSManaged", true), 2);
    assert.equal(recommendedHopLimit("it carries the ECS tag AmazonECSManaged", false), 2);
    assert.equal(recommendedHopLimit("it carries the EKS tag eks:cluster-name", false), 1);
    assert.equal(recommendedHopLimit(undefined, true), 1);
  });

  it("podsNeedImds=false keeps Kubernetes nodes at hop limit 1, and leaves ECS hosts at 2 alone", () => {
    const metadata = {
      httpTokens: "required" as const,
      hopLimit: 2,
      endpoint: "enabled" as const,
      state: "applied",
    };
    const strict = { ...policy, podsNeedImds: false };
    assert.deepEqual(
      rules(
        classifyInstance(
          { metadata, containerHost: "it carries the EKS tag eks:cluster-name", imdsV1Calls: 0 },
          strict,
        ),
      ),
      ["IMDS003/warning"],
    );
    assert.deepEqual(
      rules(
        classifyInstance(
          { metadata, containerHost: "it carries the ECS tag AmazonECSManaged", imdsV1Calls: 0 },
          strict,
        ),
      ),
      [],
    );
  });

  it("grades the account default: optional warns, no preference informs, required passes", () => {
    assert.deepEqual(rules(classifyAccountDefault("optional", "eu-west-1")), ["IMDS007/warning"]);
    assert.deepEqual(rules(classifyAccountDefault("no-preference", "eu-west-1")), ["IMDS007/info"]);
    assert.deepEqual(rules(classifyAccountDefault("required", "eu-west-1")), []);
  });
});
