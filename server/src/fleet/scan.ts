// The live scan behind the Fleet Explorer and `imds-guard fleet` (DESIGN.md, "Fleet Explorer";
// seed 000's migration path): who am I (STS), which regions, then per region, a few at a time:
// every instance with its MetadataOptions, its `MetadataNoToken` usage, the region's account
// default and the launch templates whose default version leaves IMDSv1 open. A region that fails
// becomes an error entry beside the others; a part of a region that fails (CloudWatch denied,
// launch templates denied) becomes a warning and the rest of the region is still reported.

import type { EC2Client, Image, Instance, LaunchTemplate, LaunchTemplateVersion } from "@aws-sdk/client-ec2";
import {
  containerReasonFromImage,
  containerReasonFromTags,
  containerReasonFromUserData,
  isKnownImdsV2Image,
} from "../engine/domain/containers";
import type { AccountTokensDefault, AmiImdsSupport, HttpTokens } from "../engine/domain/precedence";
import { resolveHopLimit, resolveHttpTokens } from "../engine/domain/precedence";
import type {
  AccountDefaultRecord,
  FleetError,
  FleetScanResult,
  InstanceMetadataState,
  InstanceRecord,
  LaunchTemplateRecord,
  RegionScan,
} from "../shared/fleetProtocol";
import type { ConnectionOptions } from "./aws";
import { cloudWatchClient, ec2Client, loadEc2, stsClient } from "./aws";
import type { ClassificationPolicy } from "./classify";
import { classifyAccountDefault, classifyInstance, classifyLaunchTemplate } from "./classify";
import type { ErrorContext } from "./errors";
import { toFleetError } from "./errors";
import { imdsV1CallsByInstance } from "./metrics";
import { listProfiles } from "./profiles";

export const DEFAULT_DAYS = 14;
/** CloudWatch keeps daily data points for 455 days. */
export const MAX_DAYS = 455;
export const DEFAULT_REGION_CONCURRENCY = 4;
/** Calls inside one region (launch template versions, image pages) also run a few at a time. */
const IN_REGION_CONCURRENCY = 4;
const IMAGE_FILTER_CHUNK = 200;

export interface ScanOptions extends ConnectionOptions {
  regions?: string[];
  days?: number;
  podsNeedImds?: boolean;
  regionConcurrency?: number;
  /** Called as each region finishes, for progress. */
  onRegionDone?: (scan: RegionScan, completed: number, total: number) => void;
  now?: Date;
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function clampDays(days: number | undefined): number {
  if (days === undefined || !Number.isFinite(days)) return DEFAULT_DAYS;
  return Math.min(MAX_DAYS, Math.max(1, Math.round(days)));
}

async function errorContext(profile: string | undefined, region?: string): Promise<ErrorContext> {
  if (!profile) return region ? { region } : {};
  const { profiles } = await listProfiles();
  const ssoProfile = profiles.find((p) => p.name === profile)?.kind === "sso";
  return region ? { profile, region, ssoProfile } : { profile, ssoProfile };
}

async function homeRegion(options: ScanOptions): Promise<string> {
  const explicit = options.regions?.[0] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (explicit) return explicit;
  const profileName = options.profile ?? process.env.AWS_PROFILE ?? "default";
  const { profiles } = await listProfiles();
  return profiles.find((p) => p.name === profileName)?.region ?? "us-east-1";
}

export async function scanFleet(options: ScanOptions = {}): Promise<FleetScanResult> {
  const days = clampDays(options.days);
  const podsNeedImds = options.podsNeedImds ?? true;
  const policy: ClassificationPolicy = { days, podsNeedImds };
  const base = {
    ...(options.profile ? { profile: options.profile } : {}),
    days,
    podsNeedImds,
    scannedAt: (options.now ?? new Date()).toISOString(),
  };
  const home = await homeRegion(options);

  let identity: { accountId?: string; callerArn?: string };
  try {
    const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
    const sts = await stsClient(home, options);
    const answer = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    identity = {
      ...(answer.Account ? { accountId: answer.Account } : {}),
      ...(answer.Arn ? { callerArn: answer.Arn } : {}),
    };
  } catch (error) {
    return { ...base, error: toFleetError(error, await errorContext(options.profile)), regions: [] };
  }

  const regionList = await regionsToScan(home, options);
  if ("error" in regionList) return { ...base, ...identity, error: regionList.error, regions: [] };

  let completed = 0;
  const regions = await mapWithConcurrency(
    regionList.regions,
    options.regionConcurrency ?? DEFAULT_REGION_CONCURRENCY,
    async (region) => {
      const scan: RegionScan = regionList.notOptedIn.has(region)
        ? { region, ok: false, error: toFleetError({ name: "OptInRequired", message: "" }, { region }) }
        : await scanRegion(region, options, policy, options.now ?? new Date());
      completed++;
      options.onRegionDone?.(scan, completed, regionList.regions.length);
      return scan;
    },
  );
  return { ...base, ...identity, regions };
}

/** Regions from the options, else every region enabled for the account (DescribeRegions). */
async function regionsToScan(
  home: string,
  options: ScanOptions,
): Promise<{ regions: string[]; notOptedIn: Set<string> } | { error: FleetError }> {
  const requested = [...new Set((options.regions ?? []).map((r) => r.trim()).filter(Boolean))];
  const notOptedIn = new Set<string>();
  try {
    const { DescribeRegionsCommand } = await loadEc2();
    const ec2 = await ec2Client(home, options);
    const answer = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    ec2.destroy();
    const enabled: string[] = [];
    for (const region of answer.Regions ?? []) {
      if (!region.RegionName) continue;
      if (region.OptInStatus === "not-opted-in") notOptedIn.add(region.RegionName);
      else enabled.push(region.RegionName);
    }
    return { regions: requested.length > 0 ? requested : enabled.sort(), notOptedIn };
  } catch (error) {
    // With regions given, a failing DescribeRegions only costs us the opt-in check.
    if (requested.length > 0) return { regions: requested, notOptedIn };
    return { error: toFleetError(error, await errorContext(options.profile, home)) };
  }
}

function tagMap(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) map[tag.Key] = tag.Value ?? "";
  return map;
}

export function metadataStateOf(instance: Instance): InstanceMetadataState {
  const options = instance.MetadataOptions ?? {};
  return {
    httpTokens: options.HttpTokens === "required" ? "required" : "optional",
    hopLimit: options.HttpPutResponseHopLimit ?? 1,
    endpoint: options.HttpEndpoint === "disabled" ? "disabled" : "enabled",
    state: options.State ?? "applied",
    ...(options.HttpProtocolIpv6 ? { protocolIpv6: options.HttpProtocolIpv6 } : {}),
    ...(options.InstanceMetadataTags ? { instanceMetadataTags: options.InstanceMetadataTags } : {}),
  };
}

async function describeAllInstances(ec2: EC2Client): Promise<Instance[]> {
  const { paginateDescribeInstances } = await loadEc2();
  const instances: Instance[] = [];
  // 1,000 is DescribeInstances' page maximum; the paginator follows NextToken.
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {})) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId && instance.State?.Name !== "terminated") instances.push(instance);
      }
    }
  }
  return instances;
}

interface ImageFacts {
  name?: string;
  imdsSupport: AmiImdsSupport;
}

/** AMI names and ImdsSupport by id. A filter (not ImageIds) so a deregistered AMI does not fail the call. */
async function describeImages(ec2: EC2Client, imageIds: readonly string[]): Promise<Map<string, ImageFacts>> {
  const { DescribeImagesCommand } = await loadEc2();
  const chunks: string[][] = [];
  for (let i = 0; i < imageIds.length; i += IMAGE_FILTER_CHUNK)
    chunks.push(imageIds.slice(i, i + IMAGE_FILTER_CHUNK));
  const images = new Map<string, ImageFacts>();
  await mapWithConcurrency(chunks, IN_REGION_CONCURRENCY, async (chunk) => {
    const answer = await ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: "image-id", Values: chunk }] }),
    );
    for (const image of answer.Images ?? []) if (image.ImageId) images.set(image.ImageId, imageFacts(image));
  });
  return images;
}

function imageFacts(image: Image): ImageFacts {
  return {
    ...(image.Name ? { name: image.Name } : {}),
    imdsSupport: image.ImdsSupport === "v2.0" ? "v2.0" : "none",
  };
}

function containerHostOfInstance(
  instance: Instance,
  tags: Record<string, string>,
  image: ImageFacts | undefined,
): string | undefined {
  return (
    containerReasonFromTags(Object.entries(tags)) ??
    (image?.name ? containerReasonFromImage(image.name) : undefined) ??
    (instance.ImageId ? containerReasonFromImage(instance.ImageId) : undefined)
  );
}

function instanceRecord(
  instance: Instance,
  images: Map<string, ImageFacts>,
  imdsV1Calls: Map<string, number> | undefined,
  policy: ClassificationPolicy,
): InstanceRecord {
  const instanceId = instance.InstanceId as string;
  const tags = tagMap(instance.Tags);
  const containerHost = containerHostOfInstance(
    instance,
    tags,
    instance.ImageId ? images.get(instance.ImageId) : undefined,
  );
  const launchTemplateId = tags["aws:ec2launchtemplate:id"];
  const launchTemplateVersion = tags["aws:ec2launchtemplate:version"];
  const record: Omit<InstanceRecord, "findings"> = {
    instanceId,
    ...(tags.Name ? { name: tags.Name } : {}),
    ...(instance.InstanceType ? { instanceType: instance.InstanceType } : {}),
    state: instance.State?.Name ?? "unknown",
    ...(instance.LaunchTime ? { launchTime: new Date(instance.LaunchTime).toISOString() } : {}),
    platform: instance.PlatformDetails ?? (instance.Platform ? "Windows" : "Linux/UNIX"),
    ...(instance.ImageId ? { imageId: instance.ImageId } : {}),
    metadata: metadataStateOf(instance),
    ...(containerHost ? { containerHost } : {}),
    ...(tags["aws:autoscaling:groupName"] ? { autoScalingGroup: tags["aws:autoscaling:groupName"] } : {}),
    ...(launchTemplateId
      ? {
          launchTemplate: {
            id: launchTemplateId,
            ...(launchTemplateVersion ? { version: launchTemplateVersion } : {}),
          },
        }
      : {}),
    tags,
    imdsV1Calls: imdsV1Calls ? (imdsV1Calls.get(instanceId) ?? 0) : null,
  };
  return { ...record, findings: classifyInstance(record, policy) };
}

async function accountDefault(ec2: EC2Client, region: string): Promise<AccountDefaultRecord> {
  const { GetInstanceMetadataDefaultsCommand } = await loadEc2();
  const answer = await ec2.send(new GetInstanceMetadataDefaultsCommand({}));
  return accountDefaultRecord(answer.AccountLevel ?? {}, region);
}

export function accountDefaultRecord(
  level: {
    HttpTokens?: string;
    HttpPutResponseHopLimit?: number;
    HttpEndpoint?: string;
    InstanceMetadataTags?: string;
  },
  region: string,
): AccountDefaultRecord {
  const httpTokens: AccountTokensDefault =
    level.HttpTokens === "required" || level.HttpTokens === "optional" ? level.HttpTokens : "no-preference";
  return {
    httpTokens,
    hopLimit: level.HttpPutResponseHopLimit ?? -1,
    ...(level.HttpEndpoint ? { endpoint: level.HttpEndpoint } : {}),
    ...(level.InstanceMetadataTags ? { instanceMetadataTags: level.InstanceMetadataTags } : {}),
    findings: classifyAccountDefault(httpTokens, region),
  };
}

async function describeLaunchTemplateDefaults(ec2: EC2Client): Promise<LaunchTemplateVersion[]> {
  const { paginateDescribeLaunchTemplates, DescribeLaunchTemplateVersionsCommand } = await loadEc2();
  const templates: LaunchTemplate[] = [];
  for await (const page of paginateDescribeLaunchTemplates({ client: ec2, pageSize: 200 }, {})) {
    templates.push(...(page.LaunchTemplates ?? []));
  }
  const versions = await mapWithConcurrency(templates, IN_REGION_CONCURRENCY, async (template) => {
    if (!template.LaunchTemplateId) return undefined;
    const answer = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: template.LaunchTemplateId,
        Versions: [String(template.DefaultVersionNumber ?? "$Default")],
      }),
    );
    return answer.LaunchTemplateVersions?.[0];
  });
  return versions.filter((v): v is LaunchTemplateVersion => v !== undefined);
}

function decodeUserData(base64: string | undefined): string {
  if (!base64) return "";
  try {
    return Buffer.from(base64, "base64").toString("utf8");
  } catch {
    return "";
  }
}

function launchTemplateRecord(
  version: LaunchTemplateVersion,
  images: Map<string, ImageFacts>,
  defaults: AccountDefaultRecord | undefined,
  policy: ClassificationPolicy,
): LaunchTemplateRecord {
  const data = version.LaunchTemplateData ?? {};
  const options = data.MetadataOptions ?? {};
  const imageId = data.ImageId;
  const image = imageId ? images.get(imageId) : undefined;
  const ami: AmiImdsSupport | undefined =
    image?.imdsSupport ?? (imageId && isKnownImdsV2Image(imageId) ? "v2.0" : undefined);
  const launchTokens: HttpTokens | undefined =
    options.HttpTokens === "required" || options.HttpTokens === "optional" ? options.HttpTokens : undefined;
  // Seed 001: the launch parameter, else the region's account default, else the AMI, else EC2's default.
  const httpTokens = resolveHttpTokens({
    ...(launchTokens ? { launch: launchTokens } : {}),
    ...(defaults ? { accountDefault: defaults.httpTokens } : {}),
    ...(ami ? { ami } : {}),
  });
  const hopLimit = resolveHopLimit({
    ...(options.HttpPutResponseHopLimit !== undefined ? { launch: options.HttpPutResponseHopLimit } : {}),
    ...(defaults ? { accountDefault: defaults.hopLimit } : {}),
    ...(ami ? { ami } : {}),
  });
  const instanceTags = (data.TagSpecifications ?? [])
    .filter((spec) => spec.ResourceType === "instance")
    .flatMap((spec) => Object.entries(tagMap(spec.Tags)));
  const containerHost =
    containerReasonFromTags(instanceTags) ??
    (image?.name ? containerReasonFromImage(image.name) : undefined) ??
    (imageId ? containerReasonFromImage(imageId) : undefined) ??
    containerReasonFromUserData(decodeUserData(data.UserData));
  const facts = {
    name: version.LaunchTemplateName ?? version.LaunchTemplateId ?? "",
    ...(launchTokens ? { launchTokens } : {}),
    httpTokens,
    hopLimit,
    endpoint: options.HttpEndpoint === "disabled" ? ("disabled" as const) : ("enabled" as const),
    ...(containerHost ? { containerHost } : {}),
    ...(defaults ? {} : { accountDefaultUnknown: true }),
  };
  return {
    launchTemplateId: version.LaunchTemplateId ?? "",
    name: facts.name,
    defaultVersion: version.VersionNumber ?? 1,
    ...(imageId ? { imageId } : {}),
    httpTokens,
    hopLimit,
    endpoint: facts.endpoint,
    ...(containerHost ? { containerHost } : {}),
    findings: classifyLaunchTemplate(facts, policy),
  };
}

async function settle<T>(
  work: Promise<T>,
  context: ErrorContext,
): Promise<{ value: T } | { error: FleetError }> {
  try {
    return { value: await work };
  } catch (error) {
    return { error: toFleetError(error, context) };
  }
}

export async function scanRegion(
  region: string,
  options: ScanOptions,
  policy: ClassificationPolicy,
  now: Date,
): Promise<RegionScan> {
  const context = await errorContext(options.profile, region);
  const ec2 = await ec2Client(region, options);
  const cloudWatch = await cloudWatchClient(region, options);
  try {
    let instances: Instance[];
    try {
      instances = await describeAllInstances(ec2);
    } catch (error) {
      return { region, ok: false, error: toFleetError(error, context) };
    }
    const warnings: FleetError[] = [];
    const [defaults, templateVersions, usage] = await Promise.all([
      settle(accountDefault(ec2, region), context),
      settle(describeLaunchTemplateDefaults(ec2), context),
      settle(
        imdsV1CallsByInstance(
          cloudWatch,
          instances.map((i) => i.InstanceId as string),
          policy.days,
          now,
        ),
        context,
      ),
    ]);
    const versions = "value" in templateVersions ? templateVersions.value : [];
    if ("error" in templateVersions)
      warnings.push({
        ...templateVersions.error,
        message: `Launch templates: ${templateVersions.error.message}`,
      });
    if ("error" in usage)
      warnings.push({ ...usage.error, message: `IMDSv1 usage (CloudWatch): ${usage.error.message}` });

    const imageIds = new Set<string>();
    for (const instance of instances) if (instance.ImageId) imageIds.add(instance.ImageId);
    for (const version of versions) {
      const imageId = version.LaunchTemplateData?.ImageId;
      if (imageId?.startsWith("ami-")) imageIds.add(imageId);
    }
    const images = await settle(describeImages(ec2, [...imageIds]), context);
    if ("error" in images) warnings.push({ ...images.error, message: `AMIs: ${images.error.message}` });
    const imageMap = "value" in images ? images.value : new Map<string, ImageFacts>();
    const defaultsRecord = "value" in defaults ? defaults.value : undefined;

    return {
      region,
      ok: true,
      instances: instances.map((i) =>
        instanceRecord(i, imageMap, "value" in usage ? usage.value : undefined, policy),
      ),
      launchTemplates: versions.map((v) => launchTemplateRecord(v, imageMap, defaultsRecord, policy)),
      accountDefault: "value" in defaults ? defaults.value : { error: defaults.error },
      warnings,
    };
  } finally {
    ec2.destroy();
    cloudWatch.destroy();
  }
}
