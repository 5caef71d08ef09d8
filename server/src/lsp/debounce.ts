// Per-document debounce. Typing produces a change per keystroke; a version superseded before its
// analysis ends is wasted work, so linting waits for a pause — but never longer than a fraction of what
// analysing that document costs: for a 10 KB template (a few ms) waiting 150 ms would be most of the
// latency people feel (issue 5 budget: p95 ≤ 1.3 × parse + 15 ms), while for a 1 MB one (about a second)
// 150 ms of coalescing saves whole analyses.

/** Upper bound of the pause, reached by documents that take 1.5 s or more to analyse. */
export const MAX_DEBOUNCE_MS = 150;
/** Lower bound: enough to coalesce the changes an editor sends in one burst (paste, multi-cursor). */
export const MIN_DEBOUNCE_MS = 5;
/**
 * The pause as a share of the document's last analysis time. Analysis alone costs about 1.1 × parse
 * (measured on the 100 KB bench template), so the budget leaves roughly 0.2 × parse for the rest; a
 * tenth fits. While an analysis runs, the keystrokes queue up and are coalesced anyway.
 */
const SHARE_OF_ANALYSIS = 0.1;

/** The pause before linting a document whose last analysis took `lastAnalysisMs` (undefined: never analysed). */
export function debounceDelay(lastAnalysisMs: number | undefined): number {
  if (lastAnalysisMs === undefined) return MIN_DEBOUNCE_MS;
  return Math.min(MAX_DEBOUNCE_MS, Math.max(MIN_DEBOUNCE_MS, Math.round(lastAnalysisMs * SHARE_OF_ANALYSIS)));
}

export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run();
      }, delayMs),
    );
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }
}
