// IMDSv1 usage per instance: the CloudWatch metric `MetadataNoToken` (namespace AWS/EC2,
// dimension InstanceId), summed over the scan window. Seed 000's second step: only when this is zero
// is requiring IMDSv2 safe. One GetMetricData call carries up to 500 queries, so a region of
// thousands of instances costs a handful of calls, not one per instance.

import type { CloudWatchClient, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { loadCloudWatch } from "./aws";

/** GetMetricData's limit on MetricDataQueries per request. */
export const QUERIES_PER_CALL = 500;
const DAY_SECONDS = 86_400;

export async function imdsV1CallsByInstance(
  cloudWatch: CloudWatchClient,
  instanceIds: readonly string[],
  days: number,
  now: Date,
): Promise<Map<string, number>> {
  const { GetMetricDataCommand } = await loadCloudWatch();
  const totals = new Map<string, number>();
  const end = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  const start = new Date(end.getTime() - days * DAY_SECONDS * 1000);
  for (let offset = 0; offset < instanceIds.length; offset += QUERIES_PER_CALL) {
    const batch = instanceIds.slice(offset, offset + QUERIES_PER_CALL);
    // Query ids must match ^[a-z][a-zA-Z0-9_]*$; the index maps the answer back to the instance.
    const queries: MetricDataQuery[] = batch.map((instanceId, index) => ({
      Id: `i${index}`,
      MetricStat: {
        Metric: {
          Namespace: "AWS/EC2",
          MetricName: "MetadataNoToken",
          Dimensions: [{ Name: "InstanceId", Value: instanceId }],
        },
        // Daily points (a period valid for any window up to CloudWatch's 455-day retention), summed below.
        Period: DAY_SECONDS,
        Stat: "Sum",
      },
      ReturnData: true,
    }));
    let nextToken: string | undefined;
    do {
      const answer = await cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: start,
          EndTime: end,
          NextToken: nextToken,
        }),
      );
      for (const result of answer.MetricDataResults ?? []) {
        const instanceId = batch[Number(result.Id?.slice(1))];
        if (instanceId === undefined) continue;
        const sum = (result.Values ?? []).reduce((a, b) => a + b, 0);
        totals.set(instanceId, (totals.get(instanceId) ?? 0) + sum);
      }
      nextToken = answer.NextToken;
    } while (nextToken);
  }
  return totals;
}
