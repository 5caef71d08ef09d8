// The Fleet Explorer's tree nodes (STYLE.md 7): one class per kind, each setting `contextValue` so
// package.json menus decide which actions a node offers. Descriptions and CLI commands come from
// server/src/fleet/present.ts so the tree, the CLI and the exports say the same thing.

import * as vscode from "vscode";
import {
  accountDefaultDescription,
  errorText,
  hopLimitText,
  instanceDescription,
  instanceLabel,
  launchTemplateDescription,
  usageText,
} from "../../../server/src/fleet/present";
import type {
  AccountDefaultRecord,
  FleetError,
  FleetFinding,
  FleetScanResult,
  InstanceRecord,
  LaunchTemplateRecord,
  RegionScan,
} from "../../../server/src/shared/fleetProtocol";

/** Which profile a scan used; undefined is the default credential chain. */
export interface AccountKey {
  profile: string | undefined;
}

export type FleetNode =
  | AccountNode
  | RegionNode
  | InstanceNode
  | LaunchTemplateNode
  | AccountDefaultNode
  | ErrorNode
  | LoadingNode;

function findingsMarkdown(md: vscode.MarkdownString, findings: readonly FleetFinding[]): void {
  if (findings.length === 0) {
    md.appendMarkdown("\n\n$(pass) No findings.");
    return;
  }
  md.appendMarkdown("\n\n**Findings**\n");
  for (const f of findings)
    md.appendMarkdown(`\n- **${f.ruleId}** (${f.severity}): ${escapeMarkdown(f.message)}`);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&");
}

function severityIcon(findings: readonly FleetFinding[]): vscode.ThemeIcon {
  if (findings.some((f) => f.severity === "error"))
    return new vscode.ThemeIcon("error", new vscode.ThemeColor("problemsErrorIcon.foreground"));
  if (findings.some((f) => f.severity === "warning"))
    return new vscode.ThemeIcon("warning", new vscode.ThemeColor("problemsWarningIcon.foreground"));
  if (findings.length > 0)
    return new vscode.ThemeIcon("info", new vscode.ThemeColor("problemsInfoIcon.foreground"));
  return new vscode.ThemeIcon("pass", new vscode.ThemeColor("testing.iconPassed"));
}

export class AccountNode extends vscode.TreeItem {
  constructor(
    readonly account: AccountKey,
    readonly result: FleetScanResult | undefined,
    readonly scanning: boolean,
  ) {
    super(account.profile ?? "default credentials", vscode.TreeItemCollapsibleState.Expanded);
    this.id = `account:${account.profile ?? ""}`;
    this.contextValue = "imdsGuard.account";
    this.iconPath = new vscode.ThemeIcon(result?.error ? "error" : "account");
    const counts = result && !result.error ? countFindings(result) : undefined;
    this.description = result?.error
      ? result.error.message
      : [
          result?.accountId,
          counts ? `${counts.instances} non-compliant instance(s)` : undefined,
          scanning ? "scanning…" : undefined,
        ]
          .filter(Boolean)
          .join(" · ");
    const md = new vscode.MarkdownString(`**${escapeMarkdown(this.label as string)}**`, true);
    if (result?.accountId) md.appendMarkdown(`\n\nAccount ${result.accountId}`);
    if (result?.callerArn) md.appendMarkdown(`\n\nCaller \`${result.callerArn}\``);
    if (result)
      md.appendMarkdown(
        `\n\nScanned ${result.scannedAt}; MetadataNoToken over ${result.days} d; podsNeedImds=${result.podsNeedImds}`,
      );
    this.tooltip = md;
  }
}

export function countFindings(result: FleetScanResult): { instances: number; tokensOptional: number } {
  let instances = 0;
  let tokensOptional = 0;
  for (const region of result.regions) {
    if (!region.ok) continue;
    for (const instance of region.instances) {
      if (instance.findings.length > 0) instances++;
      if (instance.findings.some((f) => f.ruleId === "IMDS001")) tokensOptional++;
    }
  }
  return { instances, tokensOptional };
}

export class RegionNode extends vscode.TreeItem {
  constructor(
    readonly account: AccountKey,
    readonly scan: RegionScan,
    readonly days: number,
    shown: number,
  ) {
    super(scan.region, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `region:${account.profile ?? ""}:${scan.region}`;
    if (!scan.ok) {
      this.contextValue = "imdsGuard.region.failed";
      this.iconPath = new vscode.ThemeIcon("error", new vscode.ThemeColor("problemsErrorIcon.foreground"));
      this.description = scan.error.code;
      this.tooltip = errorText(scan.error);
      this.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
      return;
    }
    const optional = scan.instances.filter((i) => i.findings.some((f) => f.ruleId === "IMDS001")).length;
    this.contextValue = optional > 0 ? "imdsGuard.region.tokensOptional" : "imdsGuard.region";
    this.iconPath = new vscode.ThemeIcon("globe");
    this.description = `${shown} shown · ${optional} with tokens optional${scan.warnings.length > 0 ? " · ⚠" : ""}`;
    const md = new vscode.MarkdownString(
      `**${scan.region}**\n\n${scan.instances.length} instance(s), ${scan.launchTemplates.length} launch template(s)`,
    );
    for (const warning of scan.warnings)
      md.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(errorText(warning))}`);
    md.supportThemeIcons = true;
    this.tooltip = md;
  }

  get region(): string {
    return this.scan.region;
  }
}

export class InstanceNode extends vscode.TreeItem {
  constructor(
    readonly account: AccountKey,
    readonly region: string,
    readonly instance: InstanceRecord,
    readonly days: number,
  ) {
    super(instanceLabel(instance), vscode.TreeItemCollapsibleState.None);
    this.id = `instance:${account.profile ?? ""}:${region}:${instance.instanceId}`;
    const rules = new Set(instance.findings.map((f) => f.ruleId));
    // Flags in the context value let menus offer only the actions that make sense for this node.
    const flags = [
      rules.has("IMDS001") ? "tokensOptional" : "",
      rules.has("IMDS003") || rules.has("IMDS009") ? "hopLimit" : "",
    ].filter(Boolean);
    this.contextValue = ["imdsGuard.instance", ...flags].join(" ");
    this.description = instanceDescription(instance, days);
    this.iconPath = severityIcon(instance.findings);
    const md = new vscode.MarkdownString(
      `**${escapeMarkdown(instanceLabel(instance))}** · ${region}\n`,
      true,
    );
    const facts: [string, string | undefined][] = [
      ["State", instance.state],
      ["Type", instance.instanceType],
      ["Platform", instance.platform],
      ["Launched", instance.launchTime],
      ["AMI", instance.imageId],
      ["HttpTokens", instance.metadata.httpTokens],
      ["Hop limit", String(instance.metadata.hopLimit)],
      ["Metadata endpoint", instance.metadata.endpoint],
      ["Options state", instance.metadata.state],
      ["IMDSv1 usage", usageText(instance.imdsV1Calls, days)],
      ["Container host", instance.containerHost ?? "no signal (tags, AMI)"],
      ["Auto Scaling group", instance.autoScalingGroup],
      [
        "Launch template",
        instance.launchTemplate
          ? `${instance.launchTemplate.id ?? ""} v${instance.launchTemplate.version ?? "?"}`
          : undefined,
      ],
    ];
    for (const [key, value] of facts) if (value) md.appendMarkdown(`\n- ${key}: ${escapeMarkdown(value)}`);
    findingsMarkdown(md, instance.findings);
    this.tooltip = md;
  }
}

export class LaunchTemplateNode extends vscode.TreeItem {
  constructor(
    readonly account: AccountKey,
    readonly region: string,
    readonly template: LaunchTemplateRecord,
  ) {
    super(`launch template ${template.name}`, vscode.TreeItemCollapsibleState.None);
    this.id = `lt:${account.profile ?? ""}:${region}:${template.launchTemplateId}`;
    this.contextValue = "imdsGuard.launchTemplate";
    this.description = launchTemplateDescription(template);
    this.iconPath = severityIcon(template.findings);
    const md = new vscode.MarkdownString(
      `**${escapeMarkdown(template.name)}** (${template.launchTemplateId}) · ${region}\n`,
      true,
    );
    md.appendMarkdown(`\n- Default version: ${template.defaultVersion}`);
    md.appendMarkdown(`\n- HttpTokens: ${template.httpTokens.value} (from ${template.httpTokens.source})`);
    md.appendMarkdown(`\n- Hop limit: ${template.hopLimit.value} (from ${template.hopLimit.source})`);
    if (template.imageId) md.appendMarkdown(`\n- AMI: ${escapeMarkdown(template.imageId)}`);
    if (template.containerHost)
      md.appendMarkdown(`\n- Container host: ${escapeMarkdown(template.containerHost)}`);
    findingsMarkdown(md, template.findings);
    this.tooltip = md;
  }
}

export class AccountDefaultNode extends vscode.TreeItem {
  constructor(
    readonly account: AccountKey,
    readonly region: string,
    readonly record: AccountDefaultRecord,
  ) {
    super("account default", vscode.TreeItemCollapsibleState.None);
    this.id = `default:${account.profile ?? ""}:${region}`;
    this.contextValue =
      record.httpTokens === "required"
        ? "imdsGuard.accountDefault"
        : "imdsGuard.accountDefault.tokensOptional";
    this.description = accountDefaultDescription(record);
    this.iconPath = severityIcon(record.findings);
    const md = new vscode.MarkdownString(`**Account default** · ${region}\n`, true);
    md.appendMarkdown(`\n- HttpTokens: ${record.httpTokens}\n- Hop limit: ${hopLimitText(record.hopLimit)}`);
    findingsMarkdown(md, record.findings);
    this.tooltip = md;
  }
}

export class ErrorNode extends vscode.TreeItem {
  constructor(
    readonly error: FleetError,
    idSuffix: string,
  ) {
    super(error.message, vscode.TreeItemCollapsibleState.None);
    this.id = `error:${idSuffix}`;
    this.contextValue = error.remedy ? "imdsGuard.error.remedy" : "imdsGuard.error";
    this.iconPath = new vscode.ThemeIcon("error", new vscode.ThemeColor("problemsErrorIcon.foreground"));
    this.description = error.remedy ? `fix: ${error.remedy}` : error.code;
    this.tooltip = errorText(error);
  }
}

export class LoadingNode extends vscode.TreeItem {
  constructor(idSuffix: string, text = "Scanning…") {
    super(text, vscode.TreeItemCollapsibleState.None);
    this.id = `loading:${idSuffix}`;
    this.contextValue = "imdsGuard.loading";
    this.iconPath = new vscode.ThemeIcon("loading~spin");
  }
}
