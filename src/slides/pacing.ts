/**
 * The presenter's clocks, derived from wall-clock time (never from a ticking counter, so a tab
 * that was asleep or opened late shows the right elapsed time).
 */

/** `65_000` → `1:05`, `3_725_000` → `1:02:05`. Negative durations count as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Wall-clock time as `HH:MM` (24 h, local time). */
export function formatClock(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** Whether the talk is on schedule. */
export interface Pace {
  /** Positive: ahead of schedule by this many ms; negative: behind. */
  aheadMs: number;
  state: 'ahead' | 'behind' | 'on-time';
  /** e.g. "2 min ahead", "on time". */
  label: string;
}

/**
 * Compares how far through the deck the talk is (`progress`, 0…1 over all steps) with how much
 * of the planned time has passed. Within a minute counts as on time.
 */
export function describePace(elapsedMs: number, plannedMs: number, progress: number): Pace {
  if (!(plannedMs > 0)) return { aheadMs: 0, state: 'on-time', label: 'no plan' };
  const aheadMs = progress * plannedMs - Math.max(0, elapsedMs);
  const minutes = Math.round(Math.abs(aheadMs) / 60_000);
  if (Math.abs(aheadMs) < 60_000) return { aheadMs, state: 'on-time', label: 'on time' };
  const state = aheadMs > 0 ? 'ahead' : 'behind';
  return { aheadMs, state, label: `${minutes} min ${state}` };
}
