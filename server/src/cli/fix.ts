// `--fix`: the same edits as the editor's quick fixes (STYLE.md 6: fix-all is the sum of quick fixes).
import { applyEdits, pickCompatibleFixes } from "../engine/fixes/apply";
import type { AnalysisResult, Fix } from "../engine/types";

/** Inserting a block can make another fix's range stale; a few re-analyses settle it without looping forever. */
export const MAX_FIX_PASSES = 3;

export interface FixOutcome {
  text: string;
  /** The analysis of `text`: what remains after fixing. */
  result: AnalysisResult;
  /** Number of fixes applied over all passes. */
  applied: number;
}

/**
 * Applies each finding's first fix (those that do not overlap), re-analyses, and repeats until
 * nothing changes or `MAX_FIX_PASSES` passes have run.
 */
export function fixText(text: string, analyse: (text: string) => AnalysisResult): FixOutcome {
  let current = text;
  let result = analyse(current);
  let applied = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const firstFixes = result.findings
      .map((finding) => finding.fixes?.[0])
      .filter((fix): fix is Fix => !!fix);
    const picked = pickCompatibleFixes(current, firstFixes);
    if (picked.length === 0) break;
    const next = applyEdits(
      current,
      picked.flatMap((fix) => fix.edits),
    );
    if (next === current) break;
    applied += picked.length;
    current = next;
    result = analyse(current);
  }
  return { text: current, result, applied };
}
