// The graph of launch paths in one template: where metadata options are written (instances, launch
// templates, launch configurations, Image Builder infrastructure), who launches from them (Auto Scaling
// groups, EKS node groups, Batch, fleets), and what that says about containers and the AMI.
import {
  containerReasonFromImage,
  containerReasonFromTags,
  containerReasonFromUserData,
  isKnownImdsV2Image,
  isKubernetesReason,
} from "../domain/containers";
import {
  type DocNode,
  entry,
  get,
  getPath,
  intrinsic,
  isMap,
  isScalar,
  isSeq,
  type MapEntry,
  type MapNode,
  scalarText,
} from "../parsers/tree";
import type { CfnResource, CfnTemplate } from "./template";
import { canonical, evaluate, type Outcome } from "./values";

export type SiteKind =
  | "instance"
  | "launch template"
  | "launch configuration"
  | "Image Builder infrastructure";

/** A resource whose properties set instance metadata options. */
export interface OptionsSite {
  resource: CfnResource;
  kind: SiteKind;
  /** The map that holds, or would hold, the options block (`Properties`, `LaunchTemplateData`). */
  holder?: MapNode;
  blockKey: "MetadataOptions" | "InstanceMetadataOptions";
  /** The options block, when written. */
  block?: MapEntry;
  supportsEndpoint: boolean;
}

export type OptionKey = "HttpTokens" | "HttpPutResponseHopLimit" | "HttpEndpoint";

/** One option as a launch path sees it: written on `owner` (with `outcomes`), or not written anywhere. */
export interface OptionValue {
  key: OptionKey;
  /** Empty when the option is not written on this path. */
  outcomes: Outcome[];
  /** The site that writes the option: the path's own site, or the launch template it inherits from. */
  owner: OptionsSite;
  inherited: boolean;
}

export interface AmiFacts {
  /** The image is known to be registered `ImdsSupport: v2.0` (an Amazon Linux 2023 public SSM parameter). */
  imdsV2: boolean;
  description?: string;
  node?: DocNode;
  /**
   * Why the AMI cannot be known from the template (chosen at deploy time: a parameter without default,
   * an import, a private SSM parameter): its ImdsSupport, and so the resolved defaults, are unknown.
   */
  unknown?: string;
}

export interface LaunchPath {
  site: OptionsSite;
  /** For an instance that names a launch template in this template. */
  template?: LaunchPath;
  /** A launch template reference that points outside this template. */
  externalTemplate?: DocNode;
  /** Resources that launch instances from this site (instances, Auto Scaling groups, node groups…). */
  users: CfnResource[];
  /** The launch paths of the instances (among `users`) that name this launch template. */
  instances: LaunchPath[];
  containerReasons: string[];
  /** The host is an EKS / Kubernetes node (for the podsNeedImds=false policy). */
  kubernetesNode: boolean;
  ami: AmiFacts;
  tokens: OptionValue;
  hopLimit: OptionValue;
  endpoint: OptionValue;
}

/** A service's own IMDSv1 switch (SageMaker, Elastic Beanstalk, AppStream). */
export interface ServiceSwitch {
  resource: CfnResource;
  /** The value that re-enables IMDSv1. */
  value: DocNode;
  setting: string;
  /** The text that turns IMDSv1 off, in the same type as the current value. */
  secureValue: string;
}

export interface LaunchModel {
  template: CfnTemplate;
  paths: LaunchPath[];
  switches: ServiceSwitch[];
  /** Spot Fleet launch specifications written inline: they cannot set metadata options at all. */
  inlineSpotSpecs: { resource: CfnResource; spec: MapNode }[];
}

export function buildLaunchModel(template: CfnTemplate): LaunchModel {
  const sites = new Map<CfnResource, OptionsSite>();
  for (const resource of template.resources.values()) {
    const site = optionsSite(resource);
    if (site) sites.set(resource, site);
  }
  const users = new Map<CfnResource, CfnResource[]>();
  const extraReasons = new Map<CfnResource, Set<string>>();
  const addUser = (target: CfnResource | undefined, user: CfnResource) => {
    if (!target) return;
    const list = users.get(target) ?? [];
    if (!list.includes(user)) list.push(user);
    users.set(target, list);
  };
  const addReason = (target: CfnResource | undefined, reason: string) => {
    if (!target) return;
    const set = extraReasons.get(target) ?? new Set<string>();
    set.add(reason);
    extraReasons.set(target, set);
  };

  const launchTemplates = [...template.resources.values()].filter(
    (r) => r.type === "AWS::EC2::LaunchTemplate",
  );
  const findTemplate = (spec: DocNode | undefined) => resolveLaunchTemplate(template, launchTemplates, spec);

  const inlineSpotSpecs: LaunchModel["inlineSpotSpecs"] = [];
  /** The launch template each instance names, resolved once. */
  const instanceTemplates = new Map<CfnResource, TemplateReference>();
  const containerPlatforms = new Map<CfnResource, string>();
  for (const resource of template.resources.values()) {
    const props = resource.properties;
    switch (resource.type) {
      case "AWS::ECS::CapacityProvider": {
        const group = referencedResource(
          template,
          getPath(props, "AutoScalingGroupProvider", "AutoScalingGroupArn"),
        );
        if (group)
          containerPlatforms.set(group, `the ECS capacity provider ${resource.logicalId} runs tasks on it`);
        break;
      }
      case "AWS::ImageBuilder::ImagePipeline":
      case "AWS::ImageBuilder::Image": {
        const infra = referencedResource(template, get(props, "InfrastructureConfigurationArn"));
        addUser(infra, resource);
        if (get(props, "ContainerRecipeArn"))
          addReason(infra, `${resource.logicalId} builds a container image on it`);
        break;
      }
    }
  }

  for (const resource of template.resources.values()) {
    const props = resource.properties;
    switch (resource.type) {
      case "AWS::EC2::Instance": {
        const found = findTemplate(get(props, "LaunchTemplate"));
        instanceTemplates.set(resource, found);
        addUser(found.resource, resource);
        break;
      }
      case "AWS::AutoScaling::AutoScalingGroup": {
        const targets = [
          findTemplate(get(props, "LaunchTemplate")).resource,
          findTemplate(
            getPath(props, "MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification"),
          ).resource,
          referencedResource(template, get(props, "LaunchConfigurationName")),
        ];
        const overrides = getPath(props, "MixedInstancesPolicy", "LaunchTemplate", "Overrides");
        if (isSeq(overrides))
          for (const o of overrides.items)
            targets.push(findTemplate(get(o, "LaunchTemplateSpecification")).resource);
        const platform = containerPlatforms.get(resource);
        const tagReason = containerReasonFromTags(tagPairs(get(props, "Tags")));
        for (const target of targets) {
          addUser(target, resource);
          if (platform) addReason(target, `${platform} (Auto Scaling group ${resource.logicalId})`);
          if (tagReason)
            addReason(
              target,
              `its Auto Scaling group ${resource.logicalId} ${tagReason.replace(/^it /, "")}`,
            );
        }
        break;
      }
      case "AWS::EKS::Nodegroup": {
        const target = findTemplate(get(props, "LaunchTemplate")).resource;
        addUser(target, resource);
        addReason(target, `the EKS node group ${resource.logicalId} uses it`);
        break;
      }
      case "AWS::Batch::ComputeEnvironment": {
        const target = findTemplate(getPath(props, "ComputeResources", "LaunchTemplate")).resource;
        addUser(target, resource);
        addReason(target, `the Batch compute environment ${resource.logicalId} runs container jobs on it`);
        break;
      }
      case "AWS::EC2::EC2Fleet":
        for (const config of items(get(props, "LaunchTemplateConfigs")))
          addUser(findTemplate(get(config, "LaunchTemplateSpecification")).resource, resource);
        break;
      case "AWS::EC2::SpotFleet": {
        const data = get(props, "SpotFleetRequestConfigData");
        for (const config of items(get(data, "LaunchTemplateConfigs")))
          addUser(findTemplate(get(config, "LaunchTemplateSpecification")).resource, resource);
        for (const spec of items(get(data, "LaunchSpecifications")))
          if (isMap(spec)) inlineSpotSpecs.push({ resource, spec });
        break;
      }
      case "AWS::PCS::ComputeNodeGroup":
        addUser(findTemplate(get(props, "CustomLaunchTemplate")).resource, resource);
        break;
    }
  }

  const paths = new Map<CfnResource, LaunchPath>();
  const pathOf = (resource: CfnResource): LaunchPath | undefined => {
    const known = paths.get(resource);
    if (known) return known;
    const site = sites.get(resource);
    if (!site) return undefined;
    const path = buildPath(
      template,
      site,
      users.get(resource) ?? [],
      extraReasons.get(resource),
      instanceTemplates.get(resource) ?? {},
      pathOf,
    );
    paths.set(resource, path);
    return path;
  };
  for (const resource of sites.keys()) pathOf(resource);
  // A launch template is a container host when an instance launched from it runs containers.
  for (const path of paths.values()) {
    if (!path.template) continue;
    path.template.instances.push(path);
    // An instance's reasons are all its own (nothing launches from an instance).
    for (const reason of path.containerReasons)
      addUnique(
        path.template.containerReasons,
        `instance ${path.site.resource.logicalId} uses it and ${reason}`,
      );
    path.template.kubernetesNode ||= path.kubernetesNode;
  }
  // A launch template without an ImageId gets its AMI from whoever launches it: when those are only
  // instances that all name a v2.0 AMI (CDK's requireImdsv2 templates), its defaults resolve through it.
  for (const path of paths.values()) {
    if (path.ami.node || path.instances.length === 0 || path.instances.length !== path.users.length) continue;
    if (path.instances.every((instance) => instance.ami.imdsV2)) path.ami = { ...path.instances[0].ami };
  }

  return { template, paths: [...paths.values()], switches: serviceSwitches(template), inlineSpotSpecs };
}

function buildPath(
  template: CfnTemplate,
  site: OptionsSite,
  users: CfnResource[],
  extraReasons: Set<string> | undefined,
  launchTemplate: TemplateReference,
  pathOf: (resource: CfnResource) => LaunchPath | undefined,
): LaunchPath {
  const parent = launchTemplate.resource ? pathOf(launchTemplate.resource) : undefined;
  const externalTemplate = launchTemplate.external;
  const option = (key: OptionKey): OptionValue => {
    const own = optionOutcomes(template, site, key);
    if (own.length > 0 || !parent) return { key, outcomes: own, owner: site, inherited: false };
    return { ...parent[optionKeyField(key)], inherited: true };
  };
  const reasons = [...ownContainerReasons(template, site), ...(extraReasons ?? [])];
  const ami = amiFacts(template, site) ?? parent?.ami ?? { imdsV2: false };
  return {
    site,
    template: parent,
    externalTemplate,
    users,
    instances: [],
    containerReasons: [...new Set(reasons)],
    kubernetesNode: reasons.some(isKubernetesReason),
    ami,
    tokens: option("HttpTokens"),
    hopLimit: option("HttpPutResponseHopLimit"),
    endpoint: option("HttpEndpoint"),
  };
}

function optionKeyField(key: OptionKey): "tokens" | "hopLimit" | "endpoint" {
  return key === "HttpTokens" ? "tokens" : key === "HttpPutResponseHopLimit" ? "hopLimit" : "endpoint";
}

function optionOutcomes(template: CfnTemplate, site: OptionsSite, key: OptionKey): Outcome[] {
  return site.block ? optionInBlock(template, site.block.value, key, undefined, 0) : [];
}

/**
 * One option read from an options block that may itself be computed: `!If [C, {HttpTokens: required},
 * !Ref AWS::NoValue]` gives one outcome per branch, and a branch without the option is "unset" there.
 */
function optionInBlock(
  template: CfnTemplate,
  block: DocNode,
  key: OptionKey,
  condition: string | undefined,
  depth: number,
): Outcome[] {
  const withCondition = (outcomes: Outcome[]) =>
    condition ? outcomes.map((o) => ({ ...o, condition: o.condition ?? condition })) : outcomes;
  const fn = intrinsic(block);
  if (fn?.name === "Fn::If" && isSeq(fn.arg) && fn.arg.items.length === 3 && depth < 8) {
    const name = scalarText(fn.arg.items[0]) ?? "condition";
    return [
      ...optionInBlock(template, fn.arg.items[1], key, `${name} is true`, depth + 1),
      ...optionInBlock(template, fn.arg.items[2], key, `${name} is false`, depth + 1),
    ];
  }
  if (fn?.name === "Ref" && scalarText(fn.arg) === "AWS::NoValue")
    return condition ? [{ kind: "unset", node: block, condition }] : [];
  if (fn || !isMap(block))
    return withCondition([
      { kind: "unknown", node: block, reason: "the options block is computed at deploy time" },
    ]);
  const value = entry(block, key)?.value;
  if (value) return withCondition(evaluate(template, value));
  // Absent in one branch of a computed block: that branch leaves the option unset.
  return condition ? [{ kind: "unset", node: block, condition }] : [];
}

function optionsSite(resource: CfnResource): OptionsSite | undefined {
  const props = resource.properties;
  const site = (
    kind: SiteKind,
    holder: DocNode | undefined,
    blockKey: OptionsSite["blockKey"] = "MetadataOptions",
  ) => {
    const holderMap = isMap(holder) && !intrinsic(holder) ? holder : undefined;
    return {
      resource,
      kind,
      holder: holderMap,
      blockKey,
      block: entry(holderMap, blockKey),
      supportsEndpoint: blockKey === "MetadataOptions",
    };
  };
  switch (resource.type) {
    case "AWS::EC2::Instance":
      return site("instance", props);
    case "AWS::EC2::LaunchTemplate":
      return site("launch template", get(props, "LaunchTemplateData"));
    case "AWS::AutoScaling::LaunchConfiguration":
      return site("launch configuration", props);
    case "AWS::ImageBuilder::InfrastructureConfiguration":
      return site("Image Builder infrastructure", props, "InstanceMetadataOptions");
    default:
      return undefined;
  }
}

/** Container signals written on the site itself: its AMI, user data and tags. */
function ownContainerReasons(template: CfnTemplate, site: OptionsSite): string[] {
  const reasons: string[] = [];
  const holder = site.holder;
  for (const image of imageNames(template, get(holder, "ImageId"))) {
    const reason = containerReasonFromImage(image);
    if (reason) addUnique(reasons, reason);
  }
  const userData = userDataText(get(holder, "UserData"));
  const userDataReason = userData === undefined ? undefined : containerReasonFromUserData(userData);
  if (userDataReason) reasons.push(userDataReason);
  const tagReason = containerReasonFromTags([
    ...tagPairs(get(holder, "Tags")),
    ...items(get(holder, "TagSpecifications")).flatMap((spec) => tagPairs(get(spec, "Tags"))),
  ]);
  if (tagReason) reasons.push(tagReason);
  return reasons;
}

function amiFacts(template: CfnTemplate, site: OptionsSite): AmiFacts | undefined {
  const node = get(site.holder, "ImageId");
  if (!node) return undefined;
  const images = imageNames(template, node);
  const imdsV2 = images.length > 0 && images.every(isKnownImdsV2Image);
  // AWS's public parameters (/aws/service/…) name known image families; literal ids are taken as
  // written. Anything else is looked up at deploy time.
  const known = images.some((image) => !image.startsWith("/") || image.startsWith("/aws/service/"));
  if (known) return { imdsV2, description: images[0], node };
  const reason = evaluate(template, node).find((o) => o.kind === "unknown");
  return {
    imdsV2,
    description: images[0],
    node,
    unknown: images[0]
      ? `SSM parameter ${images[0]}`
      : reason?.kind === "unknown"
        ? reason.reason
        : "chosen at deploy time",
  };
}

/** AMI ids or the SSM parameter paths they are read from, for every outcome of an `ImageId`. */
function imageNames(template: CfnTemplate, node: DocNode | undefined): string[] {
  return evaluate(template, node).flatMap((o) => {
    if (o.kind === "literal") {
      const ssm = /\{\{resolve:ssm:([^:}]+)/.exec(o.value);
      return [ssm ? ssm[1] : o.value];
    }
    return o.kind === "unknown" && o.ssmPath ? [o.ssmPath] : [];
  });
}

/** Every string written in a user data value (`Fn::Base64`, `Fn::Sub`, `Fn::Join` pieces), joined. */
export function userDataText(node: DocNode | undefined): string | undefined {
  if (!node) return undefined;
  const parts: string[] = [];
  const visit = (n: DocNode, depth: number) => {
    if (depth > 12 || parts.length > 2000) return;
    if (isScalar(n)) {
      if (typeof n.value === "string") parts.push(n.value);
    } else if (isSeq(n)) for (const item of n.items) visit(item, depth + 1);
    else for (const e of n.entries) visit(e.value, depth + 1);
  };
  visit(node, 0);
  const text = parts.join("\n");
  // A launch template's UserData may be written already base64-encoded.
  if (isScalar(node) && /^[A-Za-z0-9+/=\s]{16,}$/.test(text)) {
    const decoded = Buffer.from(text, "base64").toString("utf8");
    if (isPrintable(decoded.slice(0, 200))) return decoded;
  }
  return text;
}

/** Text a person wrote (tabs, line breaks and printable ASCII), not the bytes of a binary payload. */
function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 126 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) return false;
  }
  return true;
}

function tagPairs(tags: DocNode | undefined): [string, string][] {
  const pairs: [string, string][] = [];
  if (isSeq(tags)) {
    for (const tag of tags.items) {
      const key = textShape(get(tag, "Key"));
      if (key !== undefined) pairs.push([key, textShape(get(tag, "Value")) ?? ""]);
    }
  } else if (isMap(tags)) {
    for (const e of tags.entries) pairs.push([String(e.key.value), textShape(e.value) ?? ""]);
  }
  return pairs;
}

/**
 * The literal shape of a string built at deploy time, with `*` for the parts only known then:
 * `!Join ["", ["kubernetes.io/cluster/", !Ref Cluster]]` → `kubernetes.io/cluster/*` (what CDK writes).
 */
function textShape(node: DocNode | undefined): string | undefined {
  const literal = scalarText(node);
  if (literal !== undefined) return literal;
  const fn = intrinsic(node);
  if (fn?.name === "Fn::Sub")
    return (scalarText(fn.arg) ?? scalarText(isSeq(fn.arg) ? fn.arg.items[0] : undefined))?.replace(
      /\$\{[^}]*\}/g,
      "*",
    );
  if (fn?.name === "Fn::Join" && isSeq(fn.arg) && fn.arg.items.length === 2 && isSeq(fn.arg.items[1]))
    return fn.arg.items[1].items
      .map((part) => textShape(part) ?? "*")
      .join(scalarText(fn.arg.items[0]) ?? "");
  return node ? "*" : undefined;
}

function items(node: DocNode | undefined): DocNode[] {
  return isSeq(node) ? node.items : [];
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** The resource a `!Ref X` / `!GetAtt X.Attr` / literal logical id points at. */
function referencedResource(template: CfnTemplate, node: DocNode | undefined): CfnResource | undefined {
  const fn = intrinsic(node);
  if (fn?.name === "Ref") return template.resources.get(scalarText(fn.arg) ?? "");
  if (fn?.name === "Fn::GetAtt") {
    const target = isSeq(fn.arg) ? scalarText(fn.arg.items[0]) : scalarText(fn.arg)?.split(".")[0];
    return template.resources.get(target ?? "");
  }
  return undefined;
}

/** A launch template in this template, or the reference to one outside it. */
interface TemplateReference {
  resource?: CfnResource;
  external?: DocNode;
}

const TEMPLATE_ID_KEYS = ["LaunchTemplateId", "Id", "TemplateId"];
const TEMPLATE_NAME_KEYS = ["LaunchTemplateName", "Name"];

/**
 * Resolve a launch template specification by id (`!Ref`, `!GetAtt`) or by name (a literal, or the same
 * `!Sub`/`!Ref` expression the template's own `LaunchTemplateName` uses — CDK's `requireImdsv2` links
 * its instance to the template by a literal name).
 */
function resolveLaunchTemplate(
  template: CfnTemplate,
  launchTemplates: CfnResource[],
  spec: DocNode | undefined,
): TemplateReference {
  if (!isMap(spec)) return {};
  for (const key of TEMPLATE_ID_KEYS) {
    const value = get(spec, key);
    if (!value) continue;
    const target = referencedResource(template, value);
    if (target?.type === "AWS::EC2::LaunchTemplate") return { resource: target };
    return { external: value };
  }
  for (const key of TEMPLATE_NAME_KEYS) {
    const value = get(spec, key);
    if (!value) continue;
    const wanted = canonical(value);
    const byName = launchTemplates.find(
      (lt) => canonical(get(lt.properties, "LaunchTemplateName")) === wanted,
    );
    if (byName) return { resource: byName };
    const target = referencedResource(template, value);
    if (target?.type === "AWS::EC2::LaunchTemplate") return { resource: target };
    return { external: value };
  }
  return {};
}

function serviceSwitches(template: CfnTemplate): ServiceSwitch[] {
  const switches: ServiceSwitch[] = [];
  for (const resource of template.resources.values()) {
    const props = resource.properties;
    switch (resource.type) {
      case "AWS::SageMaker::NotebookInstance": {
        const value = getPath(
          props,
          "InstanceMetadataServiceConfiguration",
          "MinimumInstanceMetadataServiceVersion",
        );
        if (value && scalarText(value) === "1")
          switches.push({
            resource,
            value,
            setting: "MinimumInstanceMetadataServiceVersion",
            secureValue: "2",
          });
        break;
      }
      case "AWS::AppStream::Fleet":
      case "AWS::AppStream::ImageBuilder": {
        const value = get(props, "DisableIMDSV1");
        if (value && scalarText(value)?.toLowerCase() === "false")
          switches.push({ resource, value, setting: "DisableIMDSV1", secureValue: "true" });
        break;
      }
      case "AWS::ElasticBeanstalk::Environment":
      case "AWS::ElasticBeanstalk::ConfigurationTemplate":
        for (const option of items(get(props, "OptionSettings"))) {
          if (scalarText(get(option, "Namespace")) !== "aws:autoscaling:launchconfiguration") continue;
          if (scalarText(get(option, "OptionName")) !== "DisableIMDSv1") continue;
          const value = get(option, "Value");
          if (value && scalarText(value)?.toLowerCase() === "false")
            switches.push({ resource, value, setting: "DisableIMDSv1", secureValue: "true" });
        }
        break;
    }
  }
  return switches;
}
