// The Fleet Explorer's state and tree: one entry per account (profile), each scanned by the
// language server on request; regions under accounts, findings under regions. A failed region
// shows its error in place; an account that cannot be scanned shows one error node; the others are
// untouched (AWS Toolkit's `makeChildrenNodes` pattern, STYLE.md 5).

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { classifyInstance } from "../../../server/src/fleet/classify";
import {
  type AccountDefaultRecord,
  FleetProfilesRequest,
  type FleetProgress,
  FleetProgressNotification,
  type FleetRequest,
  FleetScanRequest,
  type FleetScanResult,
  type InstanceMetadataState,
  type InstanceRecord,
} from "../../../server/src/shared/fleetProtocol";
import { type FleetSettings, readFleetSettings } from "../config";
import {
  AccountDefaultNode,
  type AccountKey,
  AccountNode,
  countFindings,
  ErrorNode,
  type FleetNode,
  InstanceNode,
  LaunchTemplateNode,
  LoadingNode,
  RegionNode,
} from "./nodes";

export const VIEW_ID = "imdsGuard.fleet";
const NO_CREDENTIALS_CONTEXT = "imdsGuard.fleet.noCredentials";
const FILTERED_CONTEXT = "imdsGuard.fleet.filtered";

interface AccountState {
  key: AccountKey;
  result?: FleetScanResult;
  scanning?: Promise<void>;
  progress?: string;
}

/** Sends a typed fleet request once the language server runs (the view can be opened before it has started). */
export async function fleetRequest<P, R>(
  client: LanguageClient,
  type: FleetRequest<P, R>,
  params: P,
): Promise<R> {
  if (!client.isRunning()) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error("the IMDS Guard language server is not running"));
      }, 30_000);
      const subscription = client.onDidChangeState(() => {
        if (client.isRunning()) {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      });
    });
  }
  return client.sendRequest<R>(type.method, params);
}

export class FleetExplorer implements vscode.TreeDataProvider<FleetNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FleetNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly statusBar = vscode.window.createStatusBarItem(
    "imdsGuard.fleet.status",
    vscode.StatusBarAlignment.Left,
    9,
  );
  private readonly accounts = new Map<string, AccountState>();
  private readonly disposables: vscode.Disposable[] = [];
  private credentialsChecked = false;
  private filterText = "";
  private scanCounter = 0;
  private readonly progressByScan = new Map<string, (progress: FleetProgress) => void>();

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusBar.name = "IMDS Guard Fleet";
    this.statusBar.command = `${VIEW_ID}.focus`;
    this.disposables.push(
      this.changed,
      this.statusBar,
      client.onNotification(FleetProgressNotification.method, (progress: FleetProgress) => {
        if (progress.scanId) this.progressByScan.get(progress.scanId)?.(progress);
      }),
    );
    this.syncAccounts(readFleetSettings());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  get settings(): FleetSettings {
    return readFleetSettings();
  }

  /** Keeps one entry per configured profile (or the default chain when none is configured). */
  syncAccounts(settings: FleetSettings): void {
    const wanted = settings.profiles.length > 0 ? settings.profiles : [undefined];
    const keys = new Set(wanted.map((p) => p ?? ""));
    for (const key of [...this.accounts.keys()]) if (!keys.has(key)) this.accounts.delete(key);
    for (const profile of wanted)
      if (!this.accounts.has(profile ?? "")) this.accounts.set(profile ?? "", { key: { profile } });
    this.changed.fire(undefined);
  }

  getTreeItem(node: FleetNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: FleetNode): Promise<FleetNode[]> {
    if (!node) return this.rootChildren();
    if (node instanceof AccountNode) return this.accountChildren(node);
    if (node instanceof RegionNode) return this.regionChildren(node);
    return [];
  }

  private async rootChildren(): Promise<FleetNode[]> {
    if (!this.credentialsChecked) {
      this.credentialsChecked = true;
      try {
        const found = await fleetRequest(this.client, FleetProfilesRequest, undefined);
        const none =
          found.profiles.length === 0 && !found.environmentCredentials && this.settings.profiles.length === 0;
        await vscode.commands.executeCommand("setContext", NO_CREDENTIALS_CONTEXT, none);
        // An empty tree lets VS Code show the welcome view with the steps to configure credentials.
        if (none) {
          this.credentialsChecked = false;
          return [];
        }
      } catch (error) {
        this.log.error("Fleet: listing AWS profiles failed", error);
      }
    }
    return [...this.accounts.values()].map(
      (state) => new AccountNode(state.key, state.result, state.scanning !== undefined),
    );
  }

  private accountChildren(node: AccountNode): FleetNode[] {
    const state = this.accounts.get(node.account.profile ?? "");
    if (!state) return [];
    if (!state.result && !state.scanning) void this.scan(state);
    if (!state.result) return [new LoadingNode(node.account.profile ?? "", state.progress ?? "Scanning…")];
    if (state.result.error) return [new ErrorNode(state.result.error, node.account.profile ?? "")];
    const settings = this.settings;
    return state.result.regions.map(
      (scan) =>
        new RegionNode(
          node.account,
          scan,
          state.result?.days ?? settings.days,
          scan.ok ? this.visibleInstances(scan.instances, settings).length : 0,
        ),
    );
  }

  private regionChildren(node: RegionNode): FleetNode[] {
    const scan = node.scan;
    if (!scan.ok) return [new ErrorNode(scan.error, `${node.account.profile ?? ""}:${scan.region}`)];
    const settings = this.settings;
    const children: FleetNode[] = [];
    if ("error" in scan.accountDefault) {
      children.push(
        new ErrorNode(
          { ...scan.accountDefault.error, message: `Account default: ${scan.accountDefault.error.message}` },
          `default:${node.account.profile ?? ""}:${scan.region}`,
        ),
      );
    } else if (scan.accountDefault.findings.length > 0 || settings.showCompliant) {
      children.push(new AccountDefaultNode(node.account, scan.region, scan.accountDefault));
    }
    for (const template of scan.launchTemplates) {
      if (
        (template.findings.length > 0 || settings.showCompliant) &&
        this.matches([template.name, template.launchTemplateId, ...template.findings.map((f) => f.ruleId)])
      )
        children.push(new LaunchTemplateNode(node.account, scan.region, template));
    }
    for (const instance of this.visibleInstances(scan.instances, settings))
      children.push(new InstanceNode(node.account, scan.region, instance, node.days));
    if (children.length === 0)
      children.push(
        new LoadingNode(
          `empty:${node.account.profile ?? ""}:${scan.region}`,
          this.filterText ? "Nothing matches the filter" : "No findings",
        ),
      );
    const last = children.at(-1);
    if (last instanceof LoadingNode)
      last.iconPath = new vscode.ThemeIcon(this.filterText ? "filter" : "pass");
    return children;
  }

  private visibleInstances(instances: readonly InstanceRecord[], settings: FleetSettings): InstanceRecord[] {
    return instances.filter(
      (i) =>
        (i.findings.length > 0 || settings.showCompliant) &&
        this.matches([
          i.instanceId,
          i.name,
          i.state,
          i.instanceType,
          i.containerHost,
          ...Object.values(i.tags),
          ...i.findings.map((f) => f.ruleId),
        ]),
    );
  }

  private matches(fields: readonly (string | undefined)[]): boolean {
    if (!this.filterText) return true;
    const needle = this.filterText.toLowerCase();
    return fields.some((f) => f?.toLowerCase().includes(needle));
  }

  async setFilter(text: string): Promise<void> {
    this.filterText = text.trim();
    await vscode.commands.executeCommand("setContext", FILTERED_CONTEXT, this.filterText !== "");
    this.changed.fire(undefined);
  }

  get filter(): string {
    return this.filterText;
  }

  /** Rescans every account (Refresh) or one. */
  async refresh(profile?: string | null): Promise<void> {
    this.credentialsChecked = false;
    const targets =
      profile === null || profile === undefined
        ? [...this.accounts.values()]
        : [this.accounts.get(profile)].filter((s): s is AccountState => !!s);
    this.changed.fire(undefined);
    await Promise.all(targets.map((state) => this.scan(state)));
  }

  private scan(state: AccountState): Promise<void> {
    if (state.scanning) return state.scanning;
    const settings = this.settings;
    const scanId = `scan-${++this.scanCounter}`;
    state.progress = "Scanning…";
    const scanning = Promise.resolve(
      vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: "Scanning the fleet" }, async () => {
        this.progressByScan.set(scanId, (progress) => {
          state.progress = `Scanning… ${progress.completed}/${progress.total} regions (last: ${progress.region})`;
          if (!state.result) this.changed.fire(undefined);
        });
        const started = Date.now();
        try {
          state.result = await fleetRequest(this.client, FleetScanRequest, {
            ...(state.key.profile ? { profile: state.key.profile } : {}),
            regions: settings.regions,
            days: settings.days,
            podsNeedImds: settings.podsNeedImds,
            scanId,
          });
          const failed = state.result.regions.filter((r) => !r.ok).map((r) => r.region);
          this.log.info(
            `Fleet: scanned ${state.key.profile ?? "default credentials"} in ${Date.now() - started} ms: ${state.result.regions.length} region(s)${failed.length ? `, failed: ${failed.join(", ")}` : ""}${state.result.error ? `, error: ${state.result.error.code}` : ""}`,
          );
        } catch (error) {
          this.log.error("Fleet: scan request failed", error);
          state.result = {
            days: settings.days,
            podsNeedImds: settings.podsNeedImds,
            scannedAt: new Date().toISOString(),
            error: {
              code: "unknown",
              message: `The scan failed: ${error instanceof Error ? error.message : String(error)}`,
            },
            regions: [],
          };
        } finally {
          this.progressByScan.delete(scanId);
          state.scanning = undefined;
          state.progress = undefined;
          this.updateStatusBar();
          this.changed.fire(undefined);
        }
      }),
    );
    state.scanning = scanning;
    this.changed.fire(undefined);
    return scanning;
  }

  /** Every finished scan, for exports and bulk actions. */
  results(): { key: AccountKey; result: FleetScanResult }[] {
    return [...this.accounts.values()].flatMap((s) => (s.result ? [{ key: s.key, result: s.result }] : []));
  }

  resultFor(account: AccountKey): FleetScanResult | undefined {
    return this.accounts.get(account.profile ?? "")?.result;
  }

  /** After a change: EC2's read-back state replaces ours and the findings are recomputed with the scan's policy. */
  applyInstanceState(
    account: AccountKey,
    region: string,
    instanceId: string,
    after: InstanceMetadataState,
  ): void {
    const result = this.resultFor(account);
    const scan = result?.regions.find((r) => r.region === region);
    if (!result || !scan?.ok) return;
    const instance = scan.instances.find((i) => i.instanceId === instanceId);
    if (!instance) return;
    instance.metadata = after;
    instance.findings = classifyInstance(instance, { podsNeedImds: result.podsNeedImds, days: result.days });
    this.updateStatusBar();
    this.changed.fire(undefined);
  }

  applyAccountDefault(account: AccountKey, region: string, after: AccountDefaultRecord): void {
    const scan = this.resultFor(account)?.regions.find((r) => r.region === region);
    if (!scan?.ok) return;
    scan.accountDefault = after;
    this.changed.fire(undefined);
  }

  private updateStatusBar(): void {
    const results = this.results().filter((r) => !r.result.error);
    if (results.length === 0) {
      this.statusBar.hide();
      return;
    }
    const open = results.reduce((n, r) => n + countFindings(r.result).tokensOptional, 0);
    const failed = results.reduce((n, r) => n + r.result.regions.filter((x) => !x.ok).length, 0);
    this.statusBar.text = `$(shield) IMDSv1 open: ${open}${failed ? ` $(warning) ${failed}` : ""}`;
    this.statusBar.tooltip = `IMDS Guard Fleet: ${open} instance(s) with HttpTokens optional${failed ? `; ${failed} region(s) could not be scanned` : ""}. Click to open the Fleet Explorer.`;
    this.statusBar.show();
  }
}
