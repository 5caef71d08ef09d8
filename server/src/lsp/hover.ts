// Hover: the engine explains the resolved metadata option or launch path under the cursor
// (instance → template → account default → AMI → EC2 default); the server only wraps it.
import { type Hover, MarkupKind, type Position } from "vscode-languageserver";
import type { DocumentAnalysis } from "../engine/index";

export function hoverAt(analysis: DocumentAnalysis, position: Position): Hover | null {
  const explanation = analysis.explainAt(position);
  if (!explanation) return null;
  return { contents: { kind: MarkupKind.Markdown, value: explanation.markdown }, range: explanation.range };
}
