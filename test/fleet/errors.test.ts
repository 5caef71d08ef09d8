// SDK failures become the error a person can act on, with its fix, and never carry a credential.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redact, toFleetError } from "../../server/src/fleet/errors";

describe("toFleetError", () => {
  const cases: [string, unknown, string, RegExp | undefined][] = [
    [
      "no credentials",
      { name: "CredentialsProviderError", message: "Could not load credentials from any providers" },
      "no-credentials",
      /aws configure/,
    ],
    [
      "expired SSO token",
      { name: "TokenProviderError", message: "The SSO session token has expired" },
      "sso-expired",
      /aws sso login --profile dev/,
    ],
    [
      "access denied",
      { name: "UnauthorizedOperation", message: "You are not authorized" },
      "access-denied",
      /iam-read-only\.json/,
    ],
    [
      "opt-in region",
      { name: "OptInRequired", message: "" },
      "opt-in-required",
      /aws account enable-region --region-name ap-east-1/,
    ],
    [
      "throttling",
      { name: "RequestLimitExceeded", message: "Request limit exceeded." },
      "throttled",
      undefined,
    ],
    ["timeout", { name: "TimeoutError", message: "socket hang up" }, "timeout", undefined],
    [
      "connection refused",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      "unreachable",
      undefined,
    ],
    [
      "invalid key",
      { name: "AuthFailure", message: "AWS was not able to validate the provided access credentials" },
      "profile-invalid",
      /aws configure list/,
    ],
  ];
  for (const [what, error, code, remedy] of cases) {
    it(`classifies ${what}`, () => {
      const result = toFleetError(error, { profile: "dev", region: "ap-east-1", ssoProfile: true });
      assert.equal(result.code, code);
      if (remedy) assert.match(result.remedy ?? "", remedy);
      assert.ok(result.message.length > 0);
    });
  }

  it("redacts access key ids and long secrets from messages", () => {
    const message =
      "The security token AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYXXXX is invalid";
    assert.equal(redact(message), "The security token [redacted key id] / [redacted] is invalid");
    const result = toFleetError({ name: "InvalidClientTokenId", message });
    assert.ok(!result.message.includes("AKIAIOSFODNN7EXAMPLE"));
  });
});
