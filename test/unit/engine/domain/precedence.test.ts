import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type AccountTokensDefault,
  type AmiImdsSupport,
  type HttpTokens,
  resolveHopLimit,
  resolveHttpTokens,
} from "../../../../server/src/engine/domain/precedence";

// Seed 001's table, all 18 rows: launch parameter, account default, AMI → resulting HttpTokens.
// "V1 ou V2" = optional, "Somente V2" = required, "Sem preferência" = no-preference, "nulo" = AMI without v2.0.
const ROWS: [HttpTokens | undefined, AccountTokensDefault, AmiImdsSupport, HttpTokens][] = [
  ["required", "no-preference", "v2.0", "required"],
  ["required", "required", "v2.0", "required"],
  ["required", "optional", "v2.0", "required"],
  ["optional", "no-preference", "v2.0", "optional"],
  ["optional", "required", "v2.0", "optional"],
  ["optional", "optional", "v2.0", "optional"],
  [undefined, "no-preference", "v2.0", "required"],
  [undefined, "required", "v2.0", "required"],
  [undefined, "optional", "v2.0", "optional"],
  ["required", "no-preference", "none", "required"],
  ["required", "required", "none", "required"],
  ["required", "optional", "none", "required"],
  ["optional", "no-preference", "none", "optional"],
  ["optional", "required", "none", "optional"],
  ["optional", "optional", "none", "optional"],
  [undefined, "no-preference", "none", "optional"],
  [undefined, "required", "none", "required"],
  [undefined, "optional", "none", "optional"],
];

describe("resolveHttpTokens (seed 001 precedence table)", () => {
  for (const [launch, accountDefault, ami, expected] of ROWS) {
    it(`launch ${launch ?? "unset"}, account ${accountDefault}, AMI ${ami} → ${expected}`, () => {
      assert.equal(resolveHttpTokens({ launch, accountDefault, ami }).value, expected);
    });
  }

  it("says which level decided", () => {
    assert.equal(resolveHttpTokens({ launch: "optional", ami: "v2.0" }).source, "launch-parameter");
    assert.equal(resolveHttpTokens({ accountDefault: "required" }).source, "account-default");
    assert.equal(resolveHttpTokens({ accountDefault: "no-preference", ami: "v2.0" }).source, "ami");
    assert.equal(resolveHttpTokens({}).source, "ec2-default");
  });
});

describe("resolveHopLimit", () => {
  it("seed 001 example 1: the account default (1) overrides the v2.0 AMI's 2", () => {
    assert.deepEqual(resolveHopLimit({ accountDefault: 1, ami: "v2.0" }), {
      value: 1,
      source: "account-default",
    });
  });
  it("a v2.0 AMI gives 2 when nothing else is set", () => {
    assert.deepEqual(resolveHopLimit({ ami: "v2.0" }), { value: 2, source: "ami" });
  });
  it("-1 is the account default's 'no preference'", () => {
    assert.deepEqual(resolveHopLimit({ accountDefault: -1 }), { value: 1, source: "ec2-default" });
  });
  it("the launch parameter wins", () => {
    assert.deepEqual(resolveHopLimit({ launch: 3, accountDefault: 1, ami: "v2.0" }), {
      value: 3,
      source: "launch-parameter",
    });
  });
});
