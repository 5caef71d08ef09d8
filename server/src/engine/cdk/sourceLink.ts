// From a `cdk.out` resource back to the CDK code that made it (DESIGN.md: "point back to the CDK
// source where it can be found"). `aws:cdk:path` names the construct ("Stack/Workers/LaunchTemplate/
// Resource"); the code that created it passes that id to a constructor (`new ec2.Instance(this,
// "Workers", …)`, `ec2.Instance(self, "Workers", …)`, `jsii.String("Workers")`).
import type { CfnTemplate } from "../model/template";
import { LineIndex } from "../text";
import type { Finding } from "../types";

export interface SourceText {
  file: string;
  text: string;
}

/** Construct ids to look for, the most specific first; ids CDK adds itself (`Resource`, `Default`) are skipped. */
export function constructIds(cdkPath: string): string[] {
  const segments = cdkPath.split("/").slice(1);
  return segments.filter((s) => s !== "Resource" && s !== "Default" && s.length > 0).reverse();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The offset range of `id` where it is passed as a construct id in `text`, if anywhere. */
export function findConstructId(text: string, id: string): { start: number; end: number } | undefined {
  const quoted = `(["'\`])${escapeRegExp(id)}\\1`;
  // scope argument, then the id: `(this, "Id"`, `(self, 'Id'`, `(stack, jsii.String("Id")`
  const pattern = new RegExp(`[(,]\\s*[A-Za-z_$][\\w$.]*\\s*,\\s*(?:jsii\\.String\\(\\s*)?${quoted}`);
  const match = pattern.exec(text);
  if (!match) return undefined;
  const start = match.index + match[0].length - id.length - 1;
  return { start, end: start + id.length };
}

/** The first source (in the given order) that defines one of the path's construct ids, most specific id first. */
export function locateConstruct(
  cdkPath: string,
  sources: readonly SourceText[],
): { source: SourceText; id: string; start: number; end: number } | undefined {
  for (const id of constructIds(cdkPath)) {
    for (const source of sources) {
      const found = findConstructId(source.text, id);
      if (found) return { source, id, ...found };
    }
  }
  return undefined;
}

/** The finding with a related location at the code that creates its construct, when that can be found. */
export function linkToCdkSource(
  finding: Finding,
  template: CfnTemplate,
  sources: readonly SourceText[],
): Finding {
  const logicalId = finding.resource?.split(" ")[0];
  const cdkPath = logicalId ? template.resources.get(logicalId)?.cdkPath : undefined;
  if (!cdkPath || sources.length === 0) return finding;
  const found = locateConstruct(cdkPath, sources);
  if (!found) return finding;
  const lines = new LineIndex(found.source.text);
  const link = {
    file: found.source.file,
    range: lines.range(found.start, found.end),
    message: `CDK code that creates ${cdkPath} (construct id "${found.id}"): fix it here`,
  };
  return { ...finding, related: [link, ...(finding.related ?? [])] };
}
