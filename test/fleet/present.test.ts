// The words and commands a person sees for a fleet resource, the same in the tree, the CLI and exports.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  instanceConsoleUrl,
  instanceDescription,
  launchTemplateCliCommand,
  modifyAccountDefaultCliCommand,
  modifyInstancesCliCommand,
} from "../../server/src/fleet/present";
import { formatFleetReport } from "../../server/src/fleet/report";
import type { FleetScanResult, InstanceRecord } from "../../server/src/shared/fleetProtocol";

const instance: InstanceRecord = {
  instanceId: "i-0123456789abcdef0",
  name: "web | prod",
  state: "running",
  platform: "Linux/UNIX",
  metadata: { httpTokens: "optional", hopLimit: 1, endpoint: "enabled", state: "applied" },
  tags: { Name: "web | prod" },
  imdsV1Calls: 0,
  findings: [{ ruleId: "IMDS001", severity: "error", message: "HttpTokens is optional." }],
};

describe("fleet presentation", () => {
  it("describes an instance as tokens · hop · IMDSv1 calls", () => {
    assert.equal(instanceDescription(instance, 14), "tokens optional · hop 1 · IMDSv1 calls: 0 in 14 d");
    assert.equal(
      instanceDescription({ ...instance, state: "stopped", imdsV1Calls: null }, 7),
      "stopped · tokens optional · hop 1 · IMDSv1 calls: unknown in 7 d",
    );
  });

  it("writes AWS CLI commands that a shell runs as meant", () => {
    assert.equal(
      modifyInstancesCliCommand("eu-west-1", ["i-1", "i-2"], { httpTokens: "required" }, "my profile"),
      [
        "aws ec2 modify-instance-metadata-options --region eu-west-1 --instance-id i-1 --http-tokens required --profile 'my profile'",
        "aws ec2 modify-instance-metadata-options --region eu-west-1 --instance-id i-2 --http-tokens required --profile 'my profile'",
      ].join("\n"),
    );
    assert.equal(
      modifyAccountDefaultCliCommand("us-east-1", { httpTokens: "required" }),
      "aws ec2 modify-instance-metadata-defaults --region us-east-1 --http-tokens required",
    );
    assert.match(
      launchTemplateCliCommand("us-east-1", "lt-1", 3, { httpTokens: "required", hopLimit: 2 }),
      /create-launch-template-version .*--source-version 3 --launch-template-data '\{"MetadataOptions":\{"HttpTokens":"required","HttpPutResponseHopLimit":2\}\}'\naws ec2 modify-launch-template .*--default-version '\$Latest'/,
    );
  });

  it("links to the instance in the EC2 console", () => {
    assert.equal(
      instanceConsoleUrl("eu-west-1", "i-1"),
      "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-1",
    );
  });

  it("exports Markdown with table cells escaped", () => {
    const result: FleetScanResult = {
      accountId: "123456789012",
      days: 14,
      podsNeedImds: true,
      scannedAt: "2026-01-01T00:00:00.000Z",
      regions: [
        {
          region: "eu-west-1",
          ok: true,
          instances: [instance],
          launchTemplates: [],
          warnings: [],
          accountDefault: { httpTokens: "required", hopLimit: -1, findings: [] },
        },
        {
          region: "ap-east-1",
          ok: false,
          error: {
            code: "opt-in-required",
            message: "Region ap-east-1 is not enabled.",
            remedy: "aws account enable-region --region-name ap-east-1",
          },
        },
      ],
    };
    const markdown = formatFleetReport(result, "markdown");
    assert.match(
      markdown,
      /\| web \\\| prod \(i-0123456789abcdef0\) \| instance \| running \| optional \| 1 \| 0 \| \*\*IMDS001\*\* HttpTokens is optional\. \|/,
    );
    assert.match(
      markdown,
      /## ap-east-1\n\n> ⚠ Region ap-east-1 is not enabled\. Fix: aws account enable-region --region-name ap-east-1/,
    );
  });
});
