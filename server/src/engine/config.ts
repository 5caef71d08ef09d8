// `.imds-guard.yaml` at the workspace root: read identically by the CLI and the language server.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import ignore from "ignore";
import { isMap, isScalar, isSeq, type Node, type Pair, parseDocument } from "yaml";
import { RULE_CATALOGUE } from "./rules/catalogue";
import { LineIndex } from "./text";
import { type Range, type RuleId, SEVERITIES, type Severity } from "./types";

export interface IgnoreEntry {
  /** A rule id, or `"*"` for every rule. */
  rule: RuleId | "*";
  /** Globs (relative to the config file) the ignore applies to; every file when absent. */
  paths?: string[];
  reason?: string;
}

export interface ProjectConfig {
  /** Per-rule severity overrides; `off` disables a rule. */
  rules: Partial<Record<RuleId, Severity | "off">>;
  ignore: IgnoreEntry[];
  /** Globs (relative to the config file) that are never analysed. */
  exclude: string[];
  podsNeedImds?: boolean;
  maxFileBytes?: number;
}

export const EMPTY_CONFIG: ProjectConfig = { rules: {}, ignore: [], exclude: [] };

/** Names looked for, in this order, in each folder from the start folder up to the repository root. */
export const CONFIG_FILE_NAMES = [".imds-guard.yaml", ".imds-guard.yml"] as const;

/** Something in a config file that was understood well enough to go on, but not as written. */
export interface ConfigWarning {
  file: string;
  /** 0-based, like every engine range. */
  range: Range;
  message: string;
}

export interface LoadedConfig {
  config: ProjectConfig;
  /** The file it came from; absent when no config file was found. */
  file?: string;
  warnings: ConfigWarning[];
}

/** A config file that cannot be used at all (unreadable, malformed YAML, not a map). */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly range: Range | undefined,
    readonly detail: string,
  ) {
    super(
      range
        ? `${file}:${range.start.line + 1}:${range.start.character + 1}: ${detail}`
        : `${file}: ${detail}`,
    );
    this.name = "ConfigError";
  }
}

const TOP_LEVEL_KEYS = ["rules", "ignore", "exclude", "podsNeedImds", "maxFileBytes"] as const;
const RULE_IDS = new Set<string>(RULE_CATALOGUE.map((rule) => rule.id));
const SEVERITY_VALUES = [...SEVERITIES, "off"] as const;

function isRuleId(value: string): value is RuleId {
  return RULE_IDS.has(value);
}

function isSeverityOrOff(value: unknown): value is Severity | "off" {
  return typeof value === "string" && (SEVERITY_VALUES as readonly string[]).includes(value);
}

/** Parses the text of a config file. Throws `ConfigError` when it cannot be used; smaller mistakes become warnings. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const lines = new LineIndex(text);
  const rangeOf = (node: Node | null | undefined): Range => {
    const [start, , end] = node?.range ?? [0, 0, 0];
    return lines.range(start, end);
  };
  // YAML 1.2 (so `off` is a string, not a boolean); duplicate keys are errors. Aliases are never expanded.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError)
    throw new ConfigError(file, lines.range(syntaxError.pos[0], syntaxError.pos[1]), syntaxError.message);

  const warnings: ConfigWarning[] = [];
  const warn = (node: Node | null | undefined, message: string) =>
    warnings.push({ file, range: rangeOf(node), message });
  const config: ProjectConfig = { rules: {}, ignore: [], exclude: [] };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, file, warnings };
  if (!isMap(root))
    throw new ConfigError(file, rangeOf(root), "expected a map of settings (rules, ignore, exclude, …)");

  for (const pair of root.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = pair.value;
    switch (key) {
      case "rules":
        readRules(value, config, warn);
        break;
      case "ignore":
        readIgnores(value, config, warn);
        break;
      case "exclude":
        config.exclude = readStringList(value, "exclude", warn);
        break;
      case "podsNeedImds":
        if (isScalar(value) && typeof value.value === "boolean") config.podsNeedImds = value.value;
        else warn(value, "podsNeedImds must be true or false; ignored");
        break;
      case "maxFileBytes":
        if (
          isScalar(value) &&
          typeof value.value === "number" &&
          Number.isInteger(value.value) &&
          value.value > 0
        )
          config.maxFileBytes = value.value;
        else warn(value, "maxFileBytes must be a positive whole number of bytes; ignored");
        break;
      default:
        warn(pair.key, `unknown key "${key ?? "?"}" (known keys: ${TOP_LEVEL_KEYS.join(", ")}); ignored`);
    }
  }
  return { config, file, warnings };
}

type Warn = (node: Node | null | undefined, message: string) => void;

function readRules(value: Node | null, config: ProjectConfig, warn: Warn): void {
  if (!isMap(value)) {
    warn(value, "rules must be a map of rule id to severity (error, warning, info, hint or off); ignored");
    return;
  }
  for (const pair of value.items as Pair<Node, Node | null>[]) {
    const id = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!isRuleId(id)) {
      warn(pair.key, `unknown rule id "${id}" (known: ${[...RULE_IDS].join(", ")}); ignored`);
      continue;
    }
    // `false` is accepted as `off` for people who write YAML 1.1 style.
    const raw = isScalar(pair.value) ? (pair.value.value === false ? "off" : pair.value.value) : undefined;
    if (isSeverityOrOff(raw)) config.rules[id] = raw;
    else warn(pair.value, `severity of ${id} must be one of ${SEVERITY_VALUES.join(", ")}; ignored`);
  }
}

function readIgnores(value: Node | null, config: ProjectConfig, warn: Warn): void {
  if (!isSeq(value)) {
    warn(value, "ignore must be a list of { rule, paths?, reason? }; ignored");
    return;
  }
  for (const item of value.items as (Node | null)[]) {
    // A bare rule id is shorthand for ignoring that rule everywhere.
    if (isScalar(item)) {
      const rule = String(item.value);
      if (rule === "*" || isRuleId(rule)) config.ignore.push({ rule });
      else warn(item, `unknown rule id "${rule}" in ignore; ignored`);
      continue;
    }
    if (!isMap(item)) {
      warn(item, "each ignore entry must be a rule id or { rule, paths?, reason? }; ignored");
      continue;
    }
    const entry: Partial<IgnoreEntry> = {};
    let namesRule = false;
    for (const pair of item.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (key === "rule") {
        namesRule = true;
        const rule = isScalar(pair.value) ? String(pair.value.value) : "";
        if (rule === "*" || isRuleId(rule)) entry.rule = rule;
        else warn(pair.value, `unknown rule id "${rule}" in ignore; entry ignored`);
      } else if (key === "paths") {
        entry.paths = readStringList(pair.value, "ignore paths", warn);
      } else if (key === "reason") {
        entry.reason = isScalar(pair.value) ? String(pair.value.value) : undefined;
      } else {
        warn(pair.key, `unknown key "${key}" in ignore entry (known: rule, paths, reason); ignored`);
      }
    }
    if (entry.rule) config.ignore.push({ ...entry, rule: entry.rule });
    // An entry with an invalid rule id was reported above; one with none at all is reported here.
    else if (!namesRule) warn(item, "ignore entry without a rule; ignored");
  }
}

function readStringList(value: Node | null, what: string, warn: Warn): string[] {
  if (isScalar(value) && typeof value.value === "string") return [value.value];
  if (!isSeq(value)) {
    warn(value, `${what} must be a list of globs; ignored`);
    return [];
  }
  const globs: string[] = [];
  for (const item of value.items as (Node | null)[]) {
    if (isScalar(item) && typeof item.value === "string" && item.value.trim() !== "") globs.push(item.value);
    else warn(item, `${what}: each entry must be a glob string; ignored`);
  }
  return globs;
}

/**
 * The nearest config file: `startDir`, then its parents, stopping after the folder that holds `.git`
 * (the repository root) so a config outside the repository never leaks in.
 */
export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, ".git")) || parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and parses one config file; throws `ConfigError` when it cannot be read or used. */
export function readConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ConfigError(file, undefined, `cannot read config file: ${reason}`);
  }
  return parseConfig(text, file);
}

/** The config that applies to `dir` (see `findConfig`), or the empty config when there is none. */
export function loadConfig(dir: string): LoadedConfig {
  const file = findConfig(dir);
  return file ? readConfigFile(file) : { config: EMPTY_CONFIG, warnings: [] };
}

/**
 * A test for paths relative to the config file's folder (`/`-separated) against `globs`.
 * Globs use `.gitignore` syntax (`generated/`, `**\/*.json`, `!keep.yaml`), the syntax people already
 * write for "files this tool should not look at"; `exclude` and `ignore[].paths` both use it.
 * Paths outside the folder never match.
 */
export function createGlobMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  if (globs.length === 0) return () => false;
  const matcher = ignore().add(globs);
  return (relativePath) => {
    const path = relativePath.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
    if (path === "" || path === "." || path === ".." || path.startsWith("../") || path.startsWith("/"))
      return false;
    return matcher.ignores(path);
  };
}
