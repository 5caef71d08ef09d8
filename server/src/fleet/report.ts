// The fleet report in every format people asked for: text (CLI), JSON (the scan itself), CSV and
// Markdown (exports from the tree), SARIF 2.1.0 (CI dashboards). All are built from one list of
// rows so they never disagree.

import { ruleMeta } from "../engine/rules/catalogue";
import type { FleetFinding, FleetScanResult } from "../shared/fleetProtocol";
import {
  accountDefaultDescription,
  errorText,
  instanceDescription,
  launchTemplateDescription,
} from "./present";

export type FleetReportFormat = "text" | "json" | "sarif" | "csv" | "markdown";

export interface FleetRow {
  region: string;
  kind: "instance" | "launch-template" | "account-default";
  id: string;
  name: string;
  state: string;
  httpTokens: string;
  hopLimit: string;
  containerHost: string;
  imdsV1Calls: string;
  description: string;
  findings: FleetFinding[];
}

export interface RegionErrorRow {
  region: string;
  message: string;
}

export function reportRows(
  result: FleetScanResult,
  onlyFindings: boolean,
): { rows: FleetRow[]; errors: RegionErrorRow[] } {
  const rows: FleetRow[] = [];
  const errors: RegionErrorRow[] = [];
  for (const region of result.regions) {
    if (!region.ok) {
      errors.push({ region: region.region, message: errorText(region.error) });
      continue;
    }
    for (const warning of region.warnings)
      errors.push({ region: region.region, message: errorText(warning) });
    if ("error" in region.accountDefault) {
      errors.push({
        region: region.region,
        message: `Account default: ${errorText(region.accountDefault.error)}`,
      });
    } else {
      const d = region.accountDefault;
      rows.push({
        region: region.region,
        kind: "account-default",
        id: `account-default/${region.region}`,
        name: "account default",
        state: "",
        httpTokens: d.httpTokens,
        hopLimit: d.hopLimit === -1 ? "no-preference" : String(d.hopLimit),
        containerHost: "",
        imdsV1Calls: "",
        description: accountDefaultDescription(d),
        findings: d.findings,
      });
    }
    for (const t of region.launchTemplates) {
      rows.push({
        region: region.region,
        kind: "launch-template",
        id: t.launchTemplateId,
        name: t.name,
        state: `v${t.defaultVersion}`,
        httpTokens: t.httpTokens.value,
        hopLimit: String(t.hopLimit.value),
        containerHost: t.containerHost ?? "",
        imdsV1Calls: "",
        description: launchTemplateDescription(t),
        findings: t.findings,
      });
    }
    for (const i of region.instances) {
      rows.push({
        region: region.region,
        kind: "instance",
        id: i.instanceId,
        name: i.name ?? "",
        state: i.state,
        httpTokens: i.metadata.endpoint === "disabled" ? "endpoint-disabled" : i.metadata.httpTokens,
        hopLimit: String(i.metadata.hopLimit),
        containerHost: i.containerHost ?? "",
        imdsV1Calls: i.imdsV1Calls === null ? "unknown" : String(i.imdsV1Calls),
        description: instanceDescription(i, result.days),
        findings: i.findings,
      });
    }
  }
  return { rows: onlyFindings ? rows.filter((r) => r.findings.length > 0) : rows, errors };
}

function headline(result: FleetScanResult): string {
  const who = result.accountId ? `account ${result.accountId}` : "unknown account";
  const profile = result.profile ? ` (profile ${result.profile})` : "";
  return `IMDS Guard fleet report: ${who}${profile}, ${result.regions.length} region(s), MetadataNoToken over ${result.days} d, podsNeedImds=${result.podsNeedImds}, scanned ${result.scannedAt}`;
}

export function formatFleetReport(result: FleetScanResult, format: FleetReportFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "csv":
      return toCsv(result);
    case "markdown":
      return toMarkdown(result);
    case "sarif":
      return `${JSON.stringify(toSarif(result), null, 2)}\n`;
    case "text":
      return toText(result);
  }
}

function toText(result: FleetScanResult): string {
  const lines = [headline(result)];
  if (result.error) return `${lines[0]}\nerror: ${errorText(result.error)}\n`;
  const { rows, errors } = reportRows(result, true);
  for (const region of result.regions) {
    lines.push("", region.region);
    for (const e of errors.filter((x) => x.region === region.region)) lines.push(`  ! ${e.message}`);
    const regionRows = rows.filter((r) => r.region === region.region);
    if (region.ok && regionRows.length === 0) lines.push("  no findings");
    for (const row of regionRows) {
      const label =
        row.kind === "instance"
          ? row.name
            ? `${row.name} (${row.id})`
            : row.id
          : row.kind === "launch-template"
            ? `launch template ${row.name} (${row.id})`
            : "account default";
      lines.push(`  ${label}  ${row.description}`);
      for (const f of row.findings) lines.push(`    ${f.ruleId} ${f.severity}: ${f.message}`);
    }
  }
  const findings = rows.reduce((n, r) => n + r.findings.length, 0);
  const failed = result.regions.filter((r) => !r.ok).length;
  lines.push("", `${findings} finding(s) on ${rows.length} resource(s); ${failed} region(s) failed.`);
  return `${lines.join("\n")}\n`;
}

/** Cells starting with = + - @ are quoted with a leading ' so spreadsheets do not run them (CSV injection). */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function toCsv(result: FleetScanResult): string {
  const header = [
    "account",
    "region",
    "kind",
    "id",
    "name",
    "state",
    "http_tokens",
    "hop_limit",
    "container_host",
    "imdsv1_calls",
    "days",
    "rule_ids",
    "messages",
  ];
  const { rows, errors } = reportRows(result, false);
  const lines = [header.join(",")];
  for (const r of rows) {
    lines.push(
      [
        result.accountId ?? "",
        r.region,
        r.kind,
        r.id,
        r.name,
        r.state,
        r.httpTokens,
        r.hopLimit,
        r.containerHost,
        r.imdsV1Calls,
        String(result.days),
        r.findings.map((f) => f.ruleId).join(" "),
        r.findings.map((f) => f.message).join(" | "),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  // An error row keeps the columns: account, region, kind, then the days and the message in their places.
  const errorRow = (region: string, message: string) =>
    [result.accountId ?? "", region, "error", "", "", "", "", "", "", "", String(result.days), "", message]
      .map(csvCell)
      .join(",");
  for (const e of errors) lines.push(errorRow(e.region, e.message));
  if (result.error) lines.push(errorRow("", errorText(result.error)));
  return `${lines.join("\r\n")}\r\n`;
}

function mdCell(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function toMarkdown(result: FleetScanResult): string {
  const out = [`# ${mdCell(headline(result))}`, ""];
  if (result.error) return `${out.join("\n")}**Error:** ${mdCell(errorText(result.error))}\n`;
  const { rows, errors } = reportRows(result, true);
  for (const region of result.regions) {
    out.push(`## ${region.region}`, "");
    for (const e of errors.filter((x) => x.region === region.region))
      out.push(`> ⚠ ${mdCell(e.message)}`, "");
    const regionRows = rows.filter((r) => r.region === region.region);
    if (regionRows.length === 0) {
      if (region.ok) out.push("No findings.", "");
      continue;
    }
    out.push(
      "| Resource | Kind | State | Tokens | Hop | IMDSv1 calls | Findings |",
      "|---|---|---|---|---|---|---|",
    );
    for (const r of regionRows) {
      const name = r.name && r.kind !== "account-default" ? `${r.name} (${r.id})` : r.name || r.id;
      out.push(
        `| ${mdCell(name)} | ${r.kind} | ${mdCell(r.state)} | ${r.httpTokens} | ${r.hopLimit} | ${r.imdsV1Calls} | ${r.findings.map((f) => `**${f.ruleId}** ${mdCell(f.message)}`).join("<br>")} |`,
      );
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

function arnOf(result: FleetScanResult, row: FleetRow): string {
  const account = result.accountId ?? "";
  if (row.kind === "instance") return `arn:aws:ec2:${row.region}:${account}:instance/${row.id}`;
  if (row.kind === "launch-template") return `arn:aws:ec2:${row.region}:${account}:launch-template/${row.id}`;
  return `arn:aws:ec2:${row.region}:${account}:instance-metadata-defaults`;
}

const SARIF_LEVEL = { error: "error", warning: "warning", info: "note", hint: "note" } as const;

function toSarif(result: FleetScanResult) {
  const { rows, errors } = reportRows(result, true);
  const ruleIds = [...new Set(rows.flatMap((r) => r.findings.map((f) => f.ruleId)))].sort();
  const rules = ruleIds.map((id) => {
    const meta = ruleMeta(id);
    return {
      id,
      name: meta.name,
      shortDescription: { text: meta.summary },
      helpUri: meta.docsUrl,
      defaultConfiguration: { level: SARIF_LEVEL[meta.defaultSeverity] },
    };
  });
  const results = rows.flatMap((row) =>
    row.findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: ruleIds.indexOf(f.ruleId),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: arnOf(result, row) } },
          logicalLocations: [
            { fullyQualifiedName: arnOf(result, row), name: row.name || row.id, kind: "resource" },
          ],
        },
      ],
    })),
  );
  const notifications = [
    ...errors.map((e) => ({ level: "error", message: { text: `${e.region}: ${e.message}` } })),
    ...(result.error ? [{ level: "error", message: { text: errorText(result.error) } }] : []),
  ];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: "imds-guard", informationUri: "https://github.com/imds-guard/imds-guard", rules },
        },
        results,
        invocations: [
          {
            executionSuccessful: !result.error && errors.length === 0,
            toolExecutionNotifications: notifications,
          },
        ],
      },
    ],
  };
}
