// Profiles for the picker come from the shared files, with their kind and region and without secrets.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { listProfiles } from "../../server/src/fleet/profiles";

describe("listProfiles", () => {
  it("merges config and credentials, names each profile's kind and never returns a secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "imds-guard-profiles-"));
    writeFileSync(
      join(dir, "config"),
      [
        "[default]",
        "region = eu-west-1",
        "# a comment",
        "[profile dev]",
        "sso_session = corp",
        "sso_account_id = 111111111111",
        "[profile ops]",
        "role_arn = arn:aws:iam::222222222222:role/Ops",
        "source_profile = default",
        "[sso-session corp]",
        "sso_start_url = https://corp.awsapps.com/start",
        "[services local]",
        "ec2 =",
        "  endpoint_url = http://localhost:5000",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "credentials"),
      [
        "[default]",
        "aws_access_key_id = AKIAEXAMPLEEXAMPLE12",
        "aws_secret_access_key = s3cr3t/s3cr3t/s3cr3t",
        "[ci]",
        "credential_process = /bin/get-creds",
      ].join("\n"),
    );
    const found = await listProfiles({
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    });
    assert.deepEqual(found.profiles, [
      { name: "default", kind: "keys", region: "eu-west-1" },
      { name: "ci", kind: "process" },
      { name: "dev", kind: "sso" },
      { name: "ops", kind: "assume-role" },
    ]);
    assert.equal(found.environmentCredentials, false);
    assert.ok(!JSON.stringify(found).includes("s3cr3t"));
    assert.ok(!JSON.stringify(found).includes("AKIAEXAMPLE"));
  });

  it("answers an empty list when the files do not exist", async () => {
    const found = await listProfiles({
      AWS_CONFIG_FILE: "/nonexistent/config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
      AWS_PROFILE: "x",
    });
    assert.deepEqual(found, { profiles: [], environmentCredentials: true });
  });
});
