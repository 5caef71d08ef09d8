// The one path by which the Fleet Explorer changes an AWS account (STYLE.md 9). Every change is
// (1) dry-run on EC2 to check permission, (2) shown in a modal that names each target, its recent
// IMDSv1 usage (MetadataNoToken) and what will change, warning when usage is not zero, and
// (3) applied only after the person confirms; a cancel changes nothing and is logged.

import * as vscode from "vscode";
import { usageText } from "../../../server/src/fleet/present";
import type { FleetError } from "../../../server/src/shared/fleetProtocol";

export interface ChangeTarget {
  /** What the change is sent for: an instance id, or the region for an account default. */
  id: string;
  label: string;
  /** Known for instances; undefined for targets without usage (account defaults). */
  imdsV1Calls?: number | null;
  before: string;
  after: string;
}

export interface ChangeOutcome {
  id: string;
  ok: boolean;
  error?: FleetError;
}

export interface ChangePlan {
  /** e.g. "Require IMDSv2 on 3 instances in us-east-1?" */
  question: string;
  confirmLabel: string;
  region: string;
  profile?: string;
  days: number;
  targets: ChangeTarget[];
  /** Set when the change stops IMDSv1: then usage above zero means calls that will start failing. */
  blocksImdsV1: boolean;
  /** The AWS CLI equivalent, offered instead of applying. */
  cliCommand(ids: readonly string[]): string;
  dryRun(ids: readonly string[]): Promise<ChangeOutcome[]>;
  apply(ids: readonly string[]): Promise<ChangeOutcome[]>;
}

function reason(outcome: ChangeOutcome | undefined): string {
  return outcome?.error
    ? `${outcome.error.message}${outcome.error.remedy ? ` (fix: ${outcome.error.remedy})` : ""}`
    : "unknown error";
}

function usageLines(plan: ChangePlan, targets: readonly ChangeTarget[]): string[] {
  if (!targets.some((t) => t.imdsV1Calls !== undefined)) return [];
  const lines = [`IMDSv1 calls in the last ${plan.days} d (CloudWatch MetadataNoToken):`];
  for (const t of targets) {
    if (t.imdsV1Calls === undefined) continue;
    const inUse = t.imdsV1Calls === null || t.imdsV1Calls > 0;
    lines.push(
      `  ${t.label}: ${usageText(t.imdsV1Calls, plan.days).replace(/^IMDSv1 calls: /, "")}${inUse && plan.blocksImdsV1 ? "  ⚠" : ""}`,
    );
  }
  const risky = targets.filter((t) => t.imdsV1Calls === null || (t.imdsV1Calls ?? 0) > 0);
  if (plan.blocksImdsV1 && risky.length > 0) {
    lines.push(
      "",
      `⚠ ${risky.length} target(s) made IMDSv1 calls or their usage is unknown. Once IMDSv2 is required those calls fail; AWS's migration path is to update that software until MetadataNoToken is 0 first.`,
    );
  }
  return lines;
}

/** Runs the plan: DryRun, modal, apply. Returns the outcomes of the applied change, or undefined when nothing was applied. */
export async function confirmAndApply(
  plan: ChangePlan,
  log: vscode.LogOutputChannel,
): Promise<ChangeOutcome[] | undefined> {
  const where = `${plan.region}${plan.profile ? ` (profile ${plan.profile})` : ""}`;
  const dry = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `IMDS Guard: checking permission in ${where} (DryRun)…`,
    },
    () => plan.dryRun(plan.targets.map((t) => t.id)),
  );
  const allowed = plan.targets.filter((t) => dry.find((o) => o.id === t.id)?.ok);
  const denied = plan.targets.filter((t) => !allowed.includes(t));
  for (const t of denied)
    log.warn(`Fleet: DryRun refused ${t.label} in ${where}: ${reason(dry.find((o) => o.id === t.id))}`);
  if (allowed.length === 0) {
    void vscode.window.showErrorMessage(
      `IMDS Guard: nothing was changed. The DryRun check failed: ${reason(dry.find((o) => !o.ok))}`,
    );
    return undefined;
  }
  const detail = [
    `Region ${where}. DryRun: permission confirmed for ${allowed.length} target(s).`,
    "",
    ...allowed.map((t) => `${t.label}: ${t.before} → ${t.after}`),
    "",
    ...usageLines(plan, allowed),
    ...(denied.length > 0 ? ["", `Skipped, DryRun refused: ${denied.map((t) => t.label).join(", ")}`] : []),
    "",
    "No reboot is needed; the change applies to running instances within seconds.",
  ].join("\n");
  const copy = "Copy AWS CLI Command";
  const choice = await vscode.window.showWarningMessage(
    plan.question,
    { modal: true, detail },
    plan.confirmLabel,
    copy,
  );
  const ids = allowed.map((t) => t.id);
  if (choice === copy) {
    await vscode.env.clipboard.writeText(plan.cliCommand(ids));
    void vscode.window.showInformationMessage("IMDS Guard: AWS CLI command copied; nothing was changed.");
    return undefined;
  }
  if (choice !== plan.confirmLabel) {
    log.info(`Fleet: cancelled "${plan.question}"; nothing was changed.`);
    return undefined;
  }
  const outcomes = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `IMDS Guard: ${plan.confirmLabel} in ${where}…`,
    },
    () => plan.apply(ids),
  );
  const failed = outcomes.filter((o) => !o.ok);
  for (const o of outcomes) {
    const target = allowed.find((t) => t.id === o.id);
    if (o.ok)
      log.info(
        `Fleet: ${plan.confirmLabel}: ${target?.label ?? o.id} in ${where}: ${target?.before} → ${target?.after}`,
      );
    else
      log.error(`Fleet: ${plan.confirmLabel} failed for ${target?.label ?? o.id} in ${where}: ${reason(o)}`);
  }
  if (failed.length > 0)
    void vscode.window.showErrorMessage(
      `IMDS Guard: ${failed.length} of ${outcomes.length} change(s) failed: ${reason(failed[0])}`,
    );
  else
    void vscode.window.showInformationMessage(
      `IMDS Guard: ${plan.confirmLabel}: done for ${outcomes.length} target(s) in ${where}.`,
    );
  return outcomes;
}
