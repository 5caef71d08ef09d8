// Seeds moto through the AWS API (the same SDK calls a person would make), so the scan sees
// resources created the real way: RunInstances with MetadataOptions and tags, launch templates,
// StopInstances, ModifyInstanceMetadataDefaults and PutMetricData for MetadataNoToken.

import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  type Instance,
  type InstanceMetadataOptionsRequest,
  type LaunchTemplateInstanceMetadataOptionsRequest,
  ModifyInstanceMetadataDefaultsCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";

const SEED_AMI_NAME = "ubuntu/images/hvm-ssd/ubuntu-trusty-14.04-amd64-server-20170727";

export interface SeedInstance {
  name: string;
  metadata?: InstanceMetadataOptionsRequest;
  tags?: Record<string, string>;
  stop?: boolean;
  count?: number;
  /** MetadataNoToken data points: [days ago, calls]. */
  imdsV1Calls?: [number, number][];
}

export interface SeedTemplate {
  name: string;
  metadata?: LaunchTemplateInstanceMetadataOptionsRequest;
  instanceTags?: Record<string, string>;
  /** Plain text; sent base64-encoded as the API expects. */
  userData?: string;
}

export interface SeedRegion {
  region: string;
  accountDefault?: {
    HttpTokens?: "optional" | "required" | "no-preference";
    HttpPutResponseHopLimit?: number;
  };
  instances?: SeedInstance[];
  templates?: SeedTemplate[];
}

function tagSpec(resourceType: "instance", tags: Record<string, string>) {
  return [{ ResourceType: resourceType, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }];
}

/** Seeds one region and returns the instance ids by name (several for `count`). */
export async function seedRegion(seed: SeedRegion): Promise<Map<string, string[]>> {
  const ec2 = new EC2Client({ region: seed.region });
  const cloudWatch = new CloudWatchClient({ region: seed.region });
  const ids = new Map<string, string[]>();
  try {
    if (seed.accountDefault) await ec2.send(new ModifyInstanceMetadataDefaultsCommand(seed.accountDefault));
    // One of moto's built-in Linux AMIs, asked for by name: listing all ~1,300 costs seconds per region.
    const images = await ec2.send(
      new DescribeImagesCommand({ Filters: [{ Name: "name", Values: [SEED_AMI_NAME] }] }),
    );
    const imageId = images.Images?.[0]?.ImageId;
    if (!imageId) throw new Error(`moto has no AMI named ${SEED_AMI_NAME}`);
    for (const template of seed.templates ?? []) {
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: template.name,
          LaunchTemplateData: {
            ImageId: imageId,
            ...(template.metadata ? { MetadataOptions: template.metadata } : {}),
            ...(template.instanceTags
              ? { TagSpecifications: tagSpec("instance", template.instanceTags) }
              : {}),
            ...(template.userData ? { UserData: Buffer.from(template.userData).toString("base64") } : {}),
          },
        }),
      );
    }
    for (const instance of seed.instances ?? []) {
      const count = instance.count ?? 1;
      const answer = await ec2.send(
        new RunInstancesCommand({
          ImageId: imageId,
          MinCount: count,
          MaxCount: count,
          InstanceType: "t3.micro",
          ...(instance.metadata ? { MetadataOptions: instance.metadata } : {}),
          TagSpecifications: tagSpec("instance", { Name: instance.name, ...instance.tags }),
        }),
      );
      const launched = (answer.Instances ?? []).map((i) => i.InstanceId as string);
      ids.set(instance.name, launched);
      if (instance.stop) await ec2.send(new StopInstancesCommand({ InstanceIds: launched }));
      for (const [daysAgo, calls] of instance.imdsV1Calls ?? []) {
        await cloudWatch.send(
          new PutMetricDataCommand({
            Namespace: "AWS/EC2",
            MetricData: launched.map((instanceId) => ({
              MetricName: "MetadataNoToken",
              Dimensions: [{ Name: "InstanceId", Value: instanceId }],
              Timestamp: new Date(Date.now() - daysAgo * 86_400_000),
              Value: calls,
              Unit: "Count",
            })),
          }),
        );
      }
    }
    return ids;
  } finally {
    ec2.destroy();
    cloudWatch.destroy();
  }
}

/** Reads an instance straight from the emulator, to check what an action really changed. */
export async function describeInstance(region: string, instanceId: string): Promise<Instance> {
  const ec2 = new EC2Client({ region });
  try {
    const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return answer.Reservations?.[0]?.Instances?.[0] as Instance;
  } finally {
    ec2.destroy();
  }
}
