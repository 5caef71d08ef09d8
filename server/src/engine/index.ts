// The engine's entry point: `analyze(file, content) → findings`. No I/O, no `vscode`, no LSP.
// PLACEHOLDER until the CloudFormation model lands (being written now); the signature is the contract.
import type { ProjectConfig } from "./config";
import type { AnalysisResult, EngineSettings, Position, Range } from "./types";

export interface AnalyzeOptions {
  settings?: Partial<EngineSettings>;
  config?: ProjectConfig;
  /** Path of `file` relative to the config file's folder, for `ignore[].paths` globs. */
  relativePath?: string;
}

export interface Explanation {
  range: Range;
  markdown: string;
}

export interface DocumentAnalysis {
  result: AnalysisResult;
  /** Hover text for a metadata option or launch-path resource at `position`: its resolved value and where each part came from. */
  explainAt(position: Position): Explanation | undefined;
}

export function analyze(file: string, _content: string | Uint8Array, _options: AnalyzeOptions = {}): DocumentAnalysis {
  return { result: { file, findings: [], problems: [] }, explainAt: () => undefined };
}
