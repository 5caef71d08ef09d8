// Hover: the engine explains the resolved metadata option or launch path under the cursor
// (instance → template → account default → AMI → EC2 default); the server only wraps it.
import { type Hover, MarkupKind, type Position } from "vscode-languageserver";
import type { DocumentAnalysis } from "../engine/index";

/** `markdown`: the client renders Markdown; others get the same text as plain text (it reads fine raw). */
export function hoverAt(analysis: DocumentAnalysis, position: Position, markdown: boolean): Hover | null {
  const explanation = analysis.explainAt(position);
  if (!explanation) return null;
  const kind = markdown ? MarkupKind.Markdown : MarkupKind.PlainText;
  return { contents: { kind, value: explanation.markdown }, range: explanation.range };
}
