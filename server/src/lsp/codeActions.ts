// Code actions read what validation recorded for the document (vscode-eslint's `CodeActions.record`):
// never a re-lint here. Per diagnostic: its quick fixes (the first preferred) and "Show documentation";
// per document: one `source.fixAll.imds-guard` that is the sum of the quick fixes (STYLE.md 6).
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from "vscode-languageserver";
import type { Fix, Range, RuleId } from "../engine/types";
import { FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from "../shared/protocol";
import { diagnosticKey } from "./diagnostics";

export interface RecordedFinding {
  ruleId: RuleId;
  diagnostic: Diagnostic;
  fixes: Fix[];
}

/** What validation of one document version left for code actions. */
export interface RecordedDocument {
  uri: string;
  version: number;
  findings: RecordedFinding[];
}

export class FixStore {
  private readonly byUri = new Map<
    string,
    { version: number; byKey: Map<string, RecordedFinding[]>; all: RecordedFinding[] }
  >();

  record(document: RecordedDocument): void {
    const byKey = new Map<string, RecordedFinding[]>();
    for (const finding of document.findings) {
      const key = diagnosticKey(finding.diagnostic);
      byKey.set(key, [...(byKey.get(key) ?? []), finding]);
    }
    this.byUri.set(document.uri, { version: document.version, byKey, all: document.findings });
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /**
   * Actions for `params` on document version `version`. When validation has not caught up with the
   * document yet, the recorded edits would point at stale positions: offer nothing until it has.
   */
  codeActions(params: CodeActionParams, version: number): CodeAction[] {
    const recorded = this.byUri.get(params.textDocument.uri);
    if (!recorded || recorded.version !== version) return [];
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const actions: CodeAction[] = [];

    if (wants(only, CodeActionKind.QuickFix)) {
      const documented = new Set<RuleId>();
      for (const diagnostic of params.context.diagnostics) {
        for (const finding of recorded.byKey.get(diagnosticKey(diagnostic)) ?? []) {
          finding.fixes.forEach((fix, index) => {
            actions.push({
              title: fix.title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              isPreferred: index === 0,
              edit: { changes: { [uri]: fix.edits } },
            });
          });
          if (!documented.has(finding.ruleId)) {
            documented.add(finding.ruleId);
            const title = `Show documentation for ${finding.ruleId}`;
            actions.push({
              title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [finding.ruleId] },
            });
          }
        }
      }
    }

    if (wants(only, FIX_ALL_KIND)) {
      const edits = fixAllEdits(
        recorded.all.map((finding) => finding.fixes[0]).filter((fix) => fix !== undefined),
      );
      if (edits.length > 0) {
        actions.push({
          title: "Fix all IMDS Guard findings",
          kind: FIX_ALL_KIND,
          edit: { changes: { [uri]: edits } },
        });
      }
    }
    return actions;
  }
}

/**
 * The edits of every fix that does not collide with an earlier one, in document order. A fix is taken
 * whole or not at all; a fix whose edits were all taken already (two findings, one edit) adds nothing.
 * Colliding fixes are left for the next round, after the re-lint, like `eslint --fix`.
 */
export function fixAllEdits(fixes: readonly Fix[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const ordered = [...fixes].sort((a, b) => comparePositions(firstStart(a), firstStart(b)));
  for (const fix of ordered) {
    const fresh = fix.edits.filter((edit) => !taken.some((other) => sameEdit(edit, other)));
    if (fresh.some((edit) => taken.some((other) => overlaps(edit.range, other.range)))) continue;
    if (fresh.some((edit, i) => fresh.some((other, j) => i !== j && overlaps(edit.range, other.range))))
      continue;
    taken.push(...fresh);
  }
  return taken;
}

/** `only` undefined means "everything"; otherwise a kind is wanted when it equals or refines a requested one. */
function wants(only: string[] | undefined, kind: string): boolean {
  return (
    only === undefined || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`))
  );
}

function firstStart(fix: Fix): Range["start"] {
  return fix.edits.reduce(
    (first, edit) => (comparePositions(edit.range.start, first) < 0 ? edit.range.start : first),
    fix.edits[0]?.range.start ?? { line: 0, character: 0 },
  );
}

function comparePositions(a: Range["start"], b: Range["start"]): number {
  return a.line - b.line || a.character - b.character;
}

/** Ranges that share any character, or two insertions at one point (their order would be undefined). */
function overlaps(a: Range, b: Range): boolean {
  if (comparePositions(a.start, b.start) === 0) return true;
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return (
    a.newText === b.newText &&
    comparePositions(a.range.start, b.range.start) === 0 &&
    comparePositions(a.range.end, b.range.end) === 0
  );
}
