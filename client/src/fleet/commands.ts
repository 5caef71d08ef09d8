// The Fleet Explorer's commands, plain functions of the explorer and the language client. Every
// change to AWS goes through confirmAndApply (DryRun, modal with IMDSv1 usage, apply); everything
// else (copy, open, export, filter) is read-only.

import { homedir } from "node:os";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { recommendedHopLimit } from "../../../server/src/fleet/classify";
import {
  accountDefaultConsoleUrl,
  instanceConsoleUrl,
  instanceLabel,
  launchTemplateCliCommand,
  launchTemplateConsoleUrl,
  modifyAccountDefaultCliCommand,
  modifyInstancesCliCommand,
} from "../../../server/src/fleet/present";
import { type FleetReportFormat, formatFleetReport } from "../../../server/src/fleet/report";
import {
  FleetModifyAccountDefaultRequest,
  FleetModifyInstancesRequest,
  FleetProfilesRequest,
  type InstanceRecord,
  type MetadataChange,
} from "../../../server/src/shared/fleetProtocol";
import { saveProfiles } from "../config";
import { type ChangeOutcome, type ChangeTarget, confirmAndApply } from "./confirm";
import { type FleetExplorer, fleetRequest } from "./explorer";
import {
  AccountDefaultNode,
  type AccountKey,
  AccountNode,
  ErrorNode,
  type FleetNode,
  InstanceNode,
  LaunchTemplateNode,
  RegionNode,
} from "./nodes";

export interface FleetCommandContext {
  explorer: FleetExplorer;
  client: LanguageClient;
  log: vscode.LogOutputChannel;
}

/** The nodes a context-menu command applies to: the multi-selection when the clicked node is in it. */
function targetsOf(node: FleetNode | undefined, selection: readonly FleetNode[] | undefined): FleetNode[] {
  if (selection && node && selection.includes(node)) return [...selection];
  return node ? [node] : [];
}

interface InstanceGroup {
  account: AccountKey;
  region: string;
  days: number;
  instances: InstanceRecord[];
}

/** Instances picked directly, or every matching instance of a picked region; grouped per account and region. */
function instanceGroups(
  ctx: FleetCommandContext,
  nodes: readonly FleetNode[],
  wanted: (i: InstanceRecord) => boolean,
): InstanceGroup[] {
  const groups = new Map<string, InstanceGroup>();
  const add = (account: AccountKey, region: string, days: number, instance: InstanceRecord) => {
    const key = `${account.profile ?? ""}|${region}`;
    const group = groups.get(key) ?? { account, region, days, instances: [] };
    if (!group.instances.some((i) => i.instanceId === instance.instanceId)) group.instances.push(instance);
    groups.set(key, group);
  };
  for (const node of nodes) {
    if (node instanceof InstanceNode && wanted(node.instance))
      add(node.account, node.region, node.days, node.instance);
    if (node instanceof RegionNode && node.scan.ok) {
      const days = ctx.explorer.resultFor(node.account)?.days ?? node.days;
      for (const instance of node.scan.instances)
        if (wanted(instance)) add(node.account, node.region, days, instance);
    }
  }
  return [...groups.values()];
}

const hasRule = (rule: string) => (i: InstanceRecord) => i.findings.some((f) => f.ruleId === rule);

async function changeInstances(
  ctx: FleetCommandContext,
  group: InstanceGroup,
  changeFor: (i: InstanceRecord) => MetadataChange,
  describe: (i: InstanceRecord, change: MetadataChange) => { before: string; after: string },
  confirmLabel: string,
): Promise<void> {
  // Instances needing different values (hop 2 on container hosts, 1 elsewhere) are separate requests.
  const byChange = new Map<string, InstanceRecord[]>();
  for (const instance of group.instances) {
    const key = JSON.stringify(changeFor(instance));
    byChange.set(key, [...(byChange.get(key) ?? []), instance]);
  }
  for (const [key, instances] of byChange) {
    const change = JSON.parse(key) as MetadataChange;
    const targets: ChangeTarget[] = instances.map((i) => ({
      id: i.instanceId,
      label: instanceLabel(i),
      imdsV1Calls: i.imdsV1Calls,
      ...describe(i, change),
    }));
    const send = async (ids: readonly string[], dryRun: boolean): Promise<ChangeOutcome[]> => {
      const answer = await fleetRequest(ctx.client, FleetModifyInstancesRequest, {
        ...(group.account.profile ? { profile: group.account.profile } : {}),
        region: group.region,
        instanceIds: [...ids],
        change,
        dryRun,
      });
      if (!dryRun)
        for (const r of answer.results)
          if (r.ok && r.after)
            ctx.explorer.applyInstanceState(group.account, group.region, r.instanceId, r.after);
      return answer.results.map((r) => ({
        id: r.instanceId,
        ok: r.ok,
        ...(r.error ? { error: r.error } : {}),
      }));
    };
    await confirmAndApply(
      {
        question: `${confirmLabel} on ${instances.length} instance(s) in ${group.region}?`,
        confirmLabel,
        region: group.region,
        ...(group.account.profile ? { profile: group.account.profile } : {}),
        days: group.days,
        targets,
        blocksImdsV1: change.httpTokens === "required",
        cliCommand: (ids) => modifyInstancesCliCommand(group.region, ids, change, group.account.profile),
        dryRun: (ids) => send(ids, true),
        apply: (ids) => send(ids, false),
      },
      ctx.log,
    );
  }
}

async function requireImdsV2(
  ctx: FleetCommandContext,
  node?: FleetNode,
  selection?: FleetNode[],
): Promise<void> {
  const groups = instanceGroups(ctx, targetsOf(node, selection), hasRule("IMDS001"));
  if (groups.length === 0) {
    void vscode.window.showInformationMessage("IMDS Guard: no selected instance has HttpTokens optional.");
    return;
  }
  for (const group of groups)
    await changeInstances(
      ctx,
      group,
      () => ({ httpTokens: "required" }),
      (i) => ({ before: `HttpTokens ${i.metadata.httpTokens}`, after: "HttpTokens required" }),
      "Require IMDSv2",
    );
}

async function setHopLimit(
  ctx: FleetCommandContext,
  node?: FleetNode,
  selection?: FleetNode[],
): Promise<void> {
  const podsNeedImds = ctx.explorer.settings.podsNeedImds;
  const needsFix = (i: InstanceRecord) =>
    i.metadata.hopLimit !== recommendedHopLimit(i.containerHost, podsNeedImds);
  const groups = instanceGroups(
    ctx,
    targetsOf(node, selection),
    (i) => (hasRule("IMDS003")(i) || hasRule("IMDS009")(i)) && needsFix(i),
  );
  if (groups.length === 0) {
    void vscode.window.showInformationMessage(
      "IMDS Guard: every selected instance already has the policy's hop limit.",
    );
    return;
  }
  for (const group of groups)
    await changeInstances(
      ctx,
      group,
      (i) => ({ hopLimit: recommendedHopLimit(i.containerHost, podsNeedImds) }),
      (i, change) => ({ before: `hop limit ${i.metadata.hopLimit}`, after: `hop limit ${change.hopLimit}` }),
      "Set Hop Limit",
    );
}

async function requireImdsV2ByDefault(
  ctx: FleetCommandContext,
  node?: FleetNode,
  selection?: FleetNode[],
): Promise<void> {
  const picked = targetsOf(node, selection).filter(
    (n): n is AccountDefaultNode | RegionNode =>
      n instanceof AccountDefaultNode || (n instanceof RegionNode && n.scan.ok),
  );
  for (const target of picked) {
    const region = target.region;
    const account = target.account;
    const result = ctx.explorer.resultFor(account);
    const scan = result?.regions.find((r) => r.region === region);
    const current =
      scan?.ok && !("error" in scan.accountDefault) ? scan.accountDefault.httpTokens : "unknown";
    const change: MetadataChange = { httpTokens: "required" };
    const send = async (dryRun: boolean): Promise<ChangeOutcome[]> => {
      const answer = await fleetRequest(ctx.client, FleetModifyAccountDefaultRequest, {
        ...(account.profile ? { profile: account.profile } : {}),
        region,
        change,
        dryRun,
      });
      if (!dryRun && answer.ok && answer.after)
        ctx.explorer.applyAccountDefault(account, region, answer.after);
      return [{ id: region, ok: answer.ok, ...(answer.error ? { error: answer.error } : {}) }];
    };
    await confirmAndApply(
      {
        question: `Require IMDSv2 by default for new launches in ${region}?`,
        confirmLabel: "Require IMDSv2 by Default",
        region,
        ...(account.profile ? { profile: account.profile } : {}),
        days: result?.days ?? ctx.explorer.settings.days,
        targets: [
          {
            id: region,
            label: `account default in ${region} (launches that do not set HttpTokens; running instances are not changed)`,
            before: `HttpTokens ${current}`,
            after: "HttpTokens required",
          },
        ],
        blocksImdsV1: true,
        cliCommand: () => modifyAccountDefaultCliCommand(region, change, account.profile),
        dryRun: () => send(true),
        apply: () => send(false),
      },
      ctx.log,
    );
  }
}

function cliCommandFor(ctx: FleetCommandContext, node: FleetNode): string | undefined {
  const podsNeedImds = ctx.explorer.settings.podsNeedImds;
  if (node instanceof InstanceNode) {
    const i = node.instance;
    const change: MetadataChange = {
      ...(hasRule("IMDS001")(i) ? { httpTokens: "required" as const } : {}),
      ...(hasRule("IMDS003")(i) || hasRule("IMDS009")(i)
        ? { hopLimit: recommendedHopLimit(i.containerHost, podsNeedImds) }
        : {}),
    };
    return modifyInstancesCliCommand(
      node.region,
      [i.instanceId],
      change.httpTokens || change.hopLimit ? change : { httpTokens: "required" },
      node.account.profile,
    );
  }
  if (node instanceof LaunchTemplateNode) {
    const t = node.template;
    const hopRule = t.findings.some((f) => f.ruleId === "IMDS003" || f.ruleId === "IMDS009");
    return launchTemplateCliCommand(
      node.region,
      t.launchTemplateId,
      t.defaultVersion,
      {
        httpTokens: "required",
        ...(hopRule ? { hopLimit: recommendedHopLimit(t.containerHost, podsNeedImds) } : {}),
      },
      node.account.profile,
    );
  }
  if (node instanceof AccountDefaultNode)
    return modifyAccountDefaultCliCommand(node.region, { httpTokens: "required" }, node.account.profile);
  if (node instanceof ErrorNode) return node.error.remedy;
  return undefined;
}

async function copyCliCommand(
  ctx: FleetCommandContext,
  node?: FleetNode,
  selection?: FleetNode[],
): Promise<void> {
  const commands = targetsOf(node, selection)
    .map((n) => cliCommandFor(ctx, n))
    .filter((c): c is string => !!c);
  if (commands.length === 0) return;
  await vscode.env.clipboard.writeText(commands.join("\n"));
  void vscode.window.showInformationMessage(`IMDS Guard: ${commands.length} AWS CLI command(s) copied.`);
}

async function openInConsole(node?: FleetNode): Promise<void> {
  const url =
    node instanceof InstanceNode
      ? instanceConsoleUrl(node.region, node.instance.instanceId)
      : node instanceof LaunchTemplateNode
        ? launchTemplateConsoleUrl(node.region, node.template.launchTemplateId)
        : node instanceof AccountDefaultNode
          ? accountDefaultConsoleUrl(node.region)
          : undefined;
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

const EXPORT_FORMATS: { label: string; format: FleetReportFormat; extension: string }[] = [
  { label: "CSV", format: "csv", extension: "csv" },
  { label: "JSON", format: "json", extension: "json" },
  { label: "Markdown", format: "markdown", extension: "md" },
];

async function exportReport(ctx: FleetCommandContext, node?: FleetNode): Promise<void> {
  const results = ctx.explorer.results();
  if (results.length === 0) {
    void vscode.window.showInformationMessage("IMDS Guard: scan the fleet first (Refresh), then export.");
    return;
  }
  let chosen =
    node instanceof AccountNode
      ? results.find((r) => r.key.profile === node.account.profile)
      : results.length === 1
        ? results[0]
        : undefined;
  if (!chosen) {
    const pick = await vscode.window.showQuickPick(
      results.map((r) => ({
        label: r.key.profile ?? "default credentials",
        description: r.result.accountId,
        value: r,
      })),
      { title: "Export which account?" },
    );
    chosen = pick?.value;
  }
  if (!chosen) return;
  const format = await vscode.window.showQuickPick(EXPORT_FORMATS, { title: "Export the fleet report as" });
  if (!format) return;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(
      base,
      `imds-guard-fleet-${chosen.result.accountId ?? "report"}.${format.extension}`,
    ),
    filters: { [format.label]: [format.extension] },
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(
    target,
    new TextEncoder().encode(formatFleetReport(chosen.result, format.format)),
  );
  ctx.log.info(`Fleet: exported ${format.label} report to ${target.fsPath}`);
  void vscode.window.showInformationMessage(
    `IMDS Guard: fleet report written to ${vscode.workspace.asRelativePath(target)}.`,
  );
}

async function filter(ctx: FleetCommandContext): Promise<void> {
  const text = await vscode.window.showInputBox({
    title: "Filter the Fleet Explorer",
    prompt: "Matches instance names, ids, tags, states and rule ids (e.g. IMDS003, prod, i-0abc)",
    value: ctx.explorer.filter,
  });
  if (text !== undefined) await ctx.explorer.setFilter(text);
}

async function selectProfiles(ctx: FleetCommandContext): Promise<void> {
  const found = await fleetRequest(ctx.client, FleetProfilesRequest, undefined);
  if (found.profiles.length === 0) {
    void vscode.window.showWarningMessage(
      "IMDS Guard: no profiles in ~/.aws/config or ~/.aws/credentials. Run `aws configure sso` or `aws configure` first.",
    );
    return;
  }
  const current = new Set(ctx.explorer.settings.profiles);
  const picked = await vscode.window.showQuickPick(
    found.profiles.map((p) => ({
      label: p.name,
      description: [p.kind, p.region].filter(Boolean).join(" · "),
      picked: current.has(p.name),
    })),
    { canPickMany: true, title: "Profiles to scan (none selected: the default credential chain)" },
  );
  if (picked) await saveProfiles(picked.map((p) => p.label));
}

/** Types the fix (e.g. `aws sso login --profile dev`) into a terminal without running it. */
function typeInTerminal(command: string | undefined): void {
  if (!command) return;
  const terminal = vscode.window.createTerminal("IMDS Guard: AWS");
  terminal.show();
  terminal.sendText(command, false);
}

export function registerFleetCommands(ctx: FleetCommandContext): vscode.Disposable[] {
  const register = (id: string, run: (node?: FleetNode, selection?: FleetNode[]) => unknown) =>
    vscode.commands.registerCommand(id, async (node?: FleetNode, selection?: FleetNode[]) => {
      try {
        await run(node, selection);
      } catch (error) {
        ctx.log.error(`Fleet: ${id} failed`, error);
        void vscode.window.showErrorMessage(
          `IMDS Guard: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
  return [
    register("imdsGuard.fleet.refresh", () => ctx.explorer.refresh()),
    register("imdsGuard.fleet.filter", () => filter(ctx)),
    register("imdsGuard.fleet.clearFilter", () => ctx.explorer.setFilter("")),
    register("imdsGuard.fleet.selectProfiles", () => selectProfiles(ctx)),
    register("imdsGuard.fleet.exportReport", (node) => exportReport(ctx, node)),
    register("imdsGuard.fleet.requireImdsV2", (node, selection) => requireImdsV2(ctx, node, selection)),
    register("imdsGuard.fleet.setHopLimit", (node, selection) => setHopLimit(ctx, node, selection)),
    register("imdsGuard.fleet.requireImdsV2ByDefault", (node, selection) =>
      requireImdsV2ByDefault(ctx, node, selection),
    ),
    register("imdsGuard.fleet.copyCliCommand", (node, selection) => copyCliCommand(ctx, node, selection)),
    register("imdsGuard.fleet.openInConsole", (node) => openInConsole(node)),
    register("imdsGuard.fleet.runRemedy", (node) =>
      typeInTerminal(node instanceof ErrorNode ? node.error.remedy : undefined),
    ),
    register("imdsGuard.fleet.configureCredentials", () => typeInTerminal("aws configure sso")),
  ];
}
