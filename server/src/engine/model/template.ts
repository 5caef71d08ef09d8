// A CloudFormation template as a map of resources, with parameters and mappings, over the DocNode tree.

import { type DocNode, entry, get, isMap, type MapNode, type ScalarNode, scalarText } from "../parsers/tree";
import type { LineIndex } from "../text";

export interface CfnResource {
  logicalId: string;
  type: string;
  /** The logical id as written: where "something is missing" findings point. */
  key: ScalarNode;
  body: MapNode;
  properties?: MapNode;
  /** `Metadata."aws:cdk:path"`: the construct that synthesised this resource. */
  cdkPath?: string;
}

export interface CfnParameter {
  name: string;
  key: ScalarNode;
  type?: string;
  defaultValue?: DocNode;
  allowedValues?: DocNode;
}

export interface CfnTemplate {
  file: string;
  text: string;
  lines: LineIndex;
  syntax: "yaml" | "json";
  root: MapNode;
  resources: Map<string, CfnResource>;
  parameters: Map<string, CfnParameter>;
  mappings?: MapNode;
  /** A `cdk.out` template: generated, so it gets no edits and messages name the construct instead. */
  generatedByCdk: boolean;
}

/** Cheap text test run before parsing, so YAML/JSON that is clearly not CloudFormation is never parsed. */
export function mightBeCloudFormation(text: string): boolean {
  return text.includes("AWSTemplateFormatVersion") || text.includes("AWS::");
}

/**
 * A document is CloudFormation when it has `AWSTemplateFormatVersion` or a `Resources` map whose
 * entries have `AWS::…` types (DESIGN.md: never by file name alone).
 */
export function isCloudFormation(root: DocNode): root is MapNode {
  if (!isMap(root)) return false;
  if (entry(root, "AWSTemplateFormatVersion")) return true;
  const resources = get(root, "Resources");
  if (!isMap(resources)) return false;
  return resources.entries.some((e) => scalarText(get(e.value, "Type"))?.startsWith("AWS::"));
}

export function buildTemplate(
  file: string,
  text: string,
  lines: LineIndex,
  syntax: "yaml" | "json",
  root: MapNode,
): CfnTemplate {
  const resources = new Map<string, CfnResource>();
  const resourcesNode = get(root, "Resources");
  if (isMap(resourcesNode)) {
    for (const { key, value } of resourcesNode.entries) {
      const type = scalarText(get(value, "Type"));
      if (!isMap(value) || type === undefined || typeof key.value !== "string") continue;
      const properties = get(value, "Properties");
      resources.set(key.value, {
        logicalId: key.value,
        type,
        key,
        body: value,
        properties: isMap(properties) ? properties : undefined,
        cdkPath: scalarText(get(get(value, "Metadata"), "aws:cdk:path")),
      });
    }
  }
  const parameters = new Map<string, CfnParameter>();
  const parametersNode = get(root, "Parameters");
  if (isMap(parametersNode)) {
    for (const { key, value } of parametersNode.entries) {
      if (typeof key.value !== "string") continue;
      parameters.set(key.value, {
        name: key.value,
        key,
        type: scalarText(get(value, "Type")),
        defaultValue: get(value, "Default"),
        allowedValues: get(value, "AllowedValues"),
      });
    }
  }
  const mappings = get(root, "Mappings");
  const generatedByCdk =
    /(^|[\\/])cdk\.out[\\/]/.test(file) || [...resources.values()].some((r) => r.cdkPath !== undefined);
  return {
    file,
    text,
    lines,
    syntax,
    root,
    resources,
    parameters,
    mappings: isMap(mappings) ? mappings : undefined,
    generatedByCdk,
  };
}
