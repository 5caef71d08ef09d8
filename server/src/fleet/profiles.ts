// The profiles a person can pick in the Fleet Explorer, read from the shared config and
// credentials files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
// ~/.aws/credentials). Only names, regions and the kind of credentials are kept: secret values are
// never read into the result. Resolving the credentials themselves is the SDK's job (aws.ts).

import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { FleetProfile, FleetProfilesResult } from "../shared/fleetProtocol";

type IniSections = Map<string, Map<string, string>>;

/** The INI dialect of the AWS files: `[section]`, `key = value`, `#`/`;` comments, indented sub-keys. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^\s*[#;].*$/, "");
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header?.[1]) {
      const name = header[1].trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const pair = /^([^=\s][^=]*?)\s*=\s*(.*)$/.exec(line);
    if (pair?.[1] && current) current.set(pair[1].trim(), (pair[2] ?? "").trim());
  }
  return sections;
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return "";
  }
}

function kindOf(keys: Map<string, string>): FleetProfile["kind"] {
  if (keys.has("sso_session") || keys.has("sso_start_url")) return "sso";
  if (keys.has("role_arn") && keys.has("web_identity_token_file")) return "web-identity";
  if (keys.has("role_arn")) return "assume-role";
  if (keys.has("credential_process")) return "process";
  if (keys.has("aws_access_key_id")) return "keys";
  return "other";
}

export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<FleetProfilesResult> {
  const configPath = env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config");
  const credentialsPath = env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), ".aws", "credentials");
  const merged = new Map<string, Map<string, string>>();
  for (const [section, keys] of parseIni(await readOptional(configPath))) {
    // In the config file profiles are `[profile name]`, except `[default]`; other sections
    // (`[sso-session x]`, `[services x]`) are not profiles.
    const name = section === "default" ? "default" : /^profile\s+(.+)$/.exec(section)?.[1]?.trim();
    if (name) merged.set(name, new Map(keys));
  }
  for (const [name, keys] of parseIni(await readOptional(credentialsPath))) {
    const existing = merged.get(name) ?? new Map<string, string>();
    for (const [key, value] of keys) if (!existing.has(key)) existing.set(key, value);
    merged.set(name, existing);
  }
  const profiles = [...merged]
    .map(([name, keys]): FleetProfile => {
      const region = keys.get("region");
      return region ? { name, kind: kindOf(keys), region } : { name, kind: kindOf(keys) };
    })
    .sort((a, b) => (a.name === "default" ? -1 : b.name === "default" ? 1 : a.name.localeCompare(b.name)));
  // Credentials the SDK finds without a profile file: keys, a named profile, web identity (EKS/IRSA),
  // container credentials (ECS, EKS Pod Identity).
  const environmentCredentials = Boolean(
    env.AWS_ACCESS_KEY_ID ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
  return { profiles, environmentCredentials };
}
