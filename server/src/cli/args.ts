// Command-line arguments of `imds-guard` (DESIGN.md "Outputs"). Parsing only: no I/O.
import { parseArgs } from "node:util";
import { SEVERITIES, type Severity } from "../engine/types";

export const FORMATS = ["text", "json", "sarif"] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** Findings at or above this severity fail the run (exit 1). `warning` keeps info/hint advice out of CI failures. */
export const DEFAULT_THRESHOLD: Severity = "warning";

export interface LintOptions {
  command: "lint";
  paths: string[];
  format: OutputFormat;
  output?: string;
  fix: boolean;
  threshold: Severity;
  config?: string;
  /** `false` when `--no-color` was given; otherwise colour follows the terminal and NO_COLOR. */
  color: boolean;
}

export type CliCommand =
  | LintOptions
  | { command: "help" }
  | { command: "version" }
  | { command: "fleet"; argv: string[] };

/** A mistake in the command line: exit 2 with this message. */
export class UsageError extends Error {
  name = "UsageError";
}

export const USAGE = `Usage: imds-guard [paths…] [options]
       imds-guard fleet [--profile P] [--region R…] [--format …]

Finds EC2 IMDSv1 exposure in CloudFormation templates and CDK output (cdk.out).
Paths are files or directories (default: the current directory).

Options:
  -f, --format <text|json|sarif>   report format (default: text)
  -o, --output <file>              write the report to <file> instead of standard output
      --fix                        apply the available fixes in place, then report what remains
      --severity-threshold <level> error|warning|info|hint: findings at or above it exit 1 (default: ${DEFAULT_THRESHOLD})
  -c, --config <file>              config file (default: the nearest .imds-guard.yaml up to the git root)
      --no-color                   plain text output even on a terminal (NO_COLOR is honoured too)
  -v, --version                    print the version
  -h, --help                       print this help

Exit codes: 0 nothing at or above the threshold, 1 findings, 2 usage or I/O error.
Docs: https://github.com/imds-guard/imds-guard/blob/main/docs/cli.md
`;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}

export function parseCommandLine(argv: readonly string[]): CliCommand {
  // `fleet` is its own command with its own flags, handled by the fleet module.
  if (argv[0] === "fleet") return { command: "fleet", argv: argv.slice(1) };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // node:util's messages are clear ("Unknown option '--x'"); drop its advice about `--` when irrelevant.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  if (values.version) return { command: "version" };
  if (values.output === "") throw new UsageError("--output needs a file name");
  if (values.config === "") throw new UsageError("--config needs a file name");
  return {
    command: "lint",
    paths: positionals.length > 0 ? positionals : ["."],
    format: oneOf("--format", values.format ?? "text", FORMATS),
    output: values.output,
    fix: values.fix ?? false,
    threshold: oneOf("--severity-threshold", values["severity-threshold"] ?? DEFAULT_THRESHOLD, SEVERITIES),
    config: values.config,
    color: !values["no-color"],
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string", short: "f" },
      output: { type: "string", short: "o" },
      fix: { type: "boolean" },
      "severity-threshold": { type: "string" },
      config: { type: "string", short: "c" },
      "no-color": { type: "boolean" },
      version: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
    },
  });
}
