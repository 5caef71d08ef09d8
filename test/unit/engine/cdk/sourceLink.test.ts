import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { constructIds, findConstructId, locateConstruct } from "../../../../server/src/engine/cdk/sourceLink";
import { analyze } from "../../../../server/src/engine/index";
import { cdkAppFolder, cdkSourcesFor } from "../../../../server/src/project/cdkSources";

describe("CDK source links", () => {
  it("reads construct ids from a cdk path, most specific first, without CDK's own ids", () => {
    assert.deepEqual(constructIds("AppStack/Worker/LaunchTemplate/Resource"), ["LaunchTemplate", "Worker"]);
  });

  it("finds the id where it is passed to a construct, in TypeScript, Python and Go", () => {
    assert.ok(findConstructId('new ec2.Instance(this, "Web", {})', "Web"));
    assert.ok(findConstructId("ec2.Instance(self, 'Web', vpc=vpc)", "Web"));
    assert.ok(findConstructId('awsec2.NewInstance(stack, jsii.String("Web"), &props)', "Web"));
    assert.equal(findConstructId('const name = "Web";', "Web"), undefined);
  });

  it("falls back to the construct the person named when CDK made the child", () => {
    const found = locateConstruct("AppStack/Worker/LaunchTemplate/Resource", [
      { file: "lib/app-stack.ts", text: 'new ec2.LaunchTemplate(this, "Worker", {});' },
    ]);
    assert.equal(found?.id, "Worker");
  });

  it("a cdk.out finding points at the CDK code that creates the construct", () => {
    const template = "test/fixtures/cdk-app/cdk.out/AppStack.template.json";
    assert.equal(cdkAppFolder(template), "test/fixtures/cdk-app");
    const { result } = analyze(template, readFileSync(template, "utf8"), { cdkSources: cdkSourcesFor });
    const [finding] = result.findings;
    assert.equal(finding.ruleId, "IMDS001");
    const link = finding.related?.[0];
    assert.equal(link?.file, "test/fixtures/cdk-app/lib/app-stack.ts");
    assert.equal(link?.range.start.line, 8);
    assert.match(link?.message ?? "", /AppStack\/Worker\/LaunchTemplate\/Resource/);
  });
});
