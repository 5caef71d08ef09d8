// Applying fixes to text. One implementation for the CLI's `--fix`, the language server's
// `source.fixAll.imds-guard` and the engine's own tests (STYLE.md: fix-all is the sum of quick fixes).
import { LineIndex } from "../text";
import type { Fix, TextEdit } from "../types";

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
  /** Position in the caller's list: insertions at the same offset keep the caller's order. */
  order: number;
}

function toOffsetEdits(index: LineIndex, edits: readonly TextEdit[]): OffsetEdit[] {
  return edits.map((edit, order) => {
    const start = index.offset(edit.range.start);
    const end = Math.max(start, index.offset(edit.range.end));
    return { start, end, newText: edit.newText, order };
  });
}

/**
 * Two edits conflict when they replace shared text, one inserts strictly inside the other's range, or
 * both insert at the same place (two fixes that each add a `MetadataOptions` block there would
 * otherwise write the key twice).
 */
function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  const bothInsertHere = a.start === a.end && b.start === b.end && a.start === b.start;
  return bothInsertHere || (a.start < b.end && b.start < a.end);
}

/**
 * Applies `edits` (ranges in `text`'s own coordinates, 0-based as in LSP) and returns the new text.
 * Edits are applied in document order; an edit that overlaps one earlier in document order is skipped,
 * so a bad combination never garbles the file. Insertions at the same offset keep the given order.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = toOffsetEdits(new LineIndex(text), edits).sort(
    (a, b) => a.start - b.start || a.end - b.end || a.order - b.order,
  );
  const parts: string[] = [];
  let cursor = 0;
  let previous: OffsetEdit | undefined;
  for (const edit of sorted) {
    // Sorted by start, so the last applied edit has the furthest end: starting before it means overlapping.
    if (previous && edit.start < previous.end) continue;
    parts.push(text.slice(cursor, edit.start), edit.newText);
    cursor = edit.end;
    previous = edit;
  }
  parts.push(text.slice(cursor));
  return parts.join("");
}

/**
 * Picks the fixes that can be applied together: a fix is all-or-nothing (half of an inserted
 * `MetadataOptions` block is worse than none), so a fix whose edits overlap an already picked
 * fix's edits is left for the next pass. Earlier fixes in the list win.
 */
export function pickCompatibleFixes(text: string, fixes: readonly Fix[]): Fix[] {
  const index = new LineIndex(text);
  const taken: OffsetEdit[] = [];
  const picked: Fix[] = [];
  for (const fix of fixes) {
    const edits = toOffsetEdits(index, fix.edits);
    const selfOverlap = edits.some((a, i) => edits.some((b, j) => i < j && overlaps(a, b)));
    if (selfOverlap || edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
    taken.push(...edits);
    picked.push(fix);
  }
  return picked;
}
