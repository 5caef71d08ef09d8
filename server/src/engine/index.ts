// The engine's entry point: `analyze(file, content) → findings`. No I/O, no `vscode`, no LSP: the
// language server, the CLI and the tests all call this, so a quick fix, `--fix` and SARIF fixes agree.
import { linkToCdkSource, type SourceText } from "./cdk/sourceLink";
import { EMPTY_CONFIG, type ProjectConfig } from "./config";
import { type Explanation, explainAt } from "./explain";
import { buildLaunchModel } from "./model/launchPaths";
import { buildTemplate, isCloudFormation, mightBeCloudFormation } from "./model/template";
import { ParseFailure } from "./parsers";
import { type ParseState, parseWithReuse } from "./parsers/incremental";
import { RULES } from "./rules";
import { applySuppressions } from "./suppression";
import { LineIndex } from "./text";
import {
  type AnalysisResult,
  DEFAULT_SETTINGS,
  type EngineSettings,
  type Finding,
  type Position,
} from "./types";

export type { Explanation } from "./explain";

export interface AnalyzeOptions {
  settings?: Partial<EngineSettings>;
  config?: ProjectConfig;
  /** Path of `file` relative to the config file's folder, for `ignore[].paths` globs. */
  relativePath?: string;
  /** The analysis of the document's previous version: only the resources the edit touched are re-parsed. */
  previous?: DocumentAnalysis;
  /**
   * The code of the CDK app behind a `cdk.out` template, asked for only when such a template has
   * findings: each finding then points to where its construct is created.
   */
  cdkSources?: (templateFile: string) => readonly SourceText[];
}

export interface DocumentAnalysis {
  result: AnalysisResult;
  /** Hover text for a metadata option or launch-path resource at `position`: its resolved value and where each part came from. */
  explainAt(position: Position): Explanation | undefined;
  /** Kept for the next version of the same document (see `AnalyzeOptions.previous`). */
  parseState?: ParseState;
}

const NOTHING = () => undefined;
const ORIGIN = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function analyze(
  file: string,
  content: string | Uint8Array,
  options: AnalyzeOptions = {},
): DocumentAnalysis {
  const config = options.config ?? EMPTY_CONFIG;
  const settings: EngineSettings = {
    ...DEFAULT_SETTINGS,
    ...(config.podsNeedImds !== undefined ? { podsNeedImds: config.podsNeedImds } : {}),
    ...(config.maxFileBytes !== undefined ? { maxFileBytes: config.maxFileBytes } : {}),
    ...options.settings,
  };
  const empty: AnalysisResult = { file, findings: [], problems: [] };
  const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
  if (size > settings.maxFileBytes) {
    const message = `skipped: ${formatBytes(size)} is over the ${formatBytes(settings.maxFileBytes)} limit (imdsGuard.maxFileSize / maxFileBytes)`;
    return {
      result: { ...empty, problems: [{ kind: "skipped", message, file, range: ORIGIN }] },
      explainAt: NOTHING,
    };
  }
  if (typeof content !== "string" && isBinary(content)) return { result: empty, explainAt: NOTHING };
  const text = (typeof content === "string" ? content : Buffer.from(content).toString("utf8")).replace(
    /^\uFEFF/,
    "",
  );
  if (!mightBeCloudFormation(text) || text.includes("\u0000")) return { result: empty, explainAt: NOTHING };

  const lines = new LineIndex(text);
  let parseState: ParseState;
  try {
    parseState = parseWithReuse(text, options.previous?.parseState).state;
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    const range = lines.range(error.start, error.end);
    return {
      result: { ...empty, problems: [{ kind: "parse-error", message: error.message, file, range }] },
      explainAt: NOTHING,
    };
  }
  const { parsed } = parseState;
  if (!isCloudFormation(parsed.root)) return { result: empty, explainAt: NOTHING, parseState };

  const template = buildTemplate(file, text, lines, parsed.syntax, parsed.root);
  const model = buildLaunchModel(template);
  const findings: Finding[] = RULES.flatMap((rule) => rule.check(model, { settings }));
  let kept = applySuppressions(findings, lines, template, config, options.relativePath).sort(byPosition);
  if (template.generatedByCdk && kept.length > 0 && options.cdkSources) {
    const sources = options.cdkSources(file);
    kept = kept.map((finding) => linkToCdkSource(finding, template, sources));
  }
  return {
    result: {
      file,
      format: parsed.syntax === "json" ? "cloudformation-json" : "cloudformation-yaml",
      findings: kept,
      problems: [],
    },
    explainAt: (position) => explainAt(model, position),
    parseState,
  };
}

function byPosition(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** NUL bytes in the first 8 KB: the same test git uses to call a file binary. */
function isBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8192).includes(0);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
