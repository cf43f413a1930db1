/**
 * The talk's timer as pure changes to the shared TalkState: it starts on the first move made in
 * any window (a clicker drives the projector's window, not the presenter's), can be paused and
 * resumed, and is reset with the talk. Everything is wall-clock based, so every window (and a
 * window reopened after a crash) computes the same elapsed time from the same two numbers.
 */
import type { Position } from './position.ts';
import type { TalkState } from './sync.ts';

/** Time the talk has been running at `now` (0 before it started; frozen while paused). */
export function elapsedOf(state: Pick<TalkState, 'startedAt' | 'pausedAt'>, now: number): number {
  if (state.startedAt === undefined) return 0;
  return Math.max(0, (state.pausedAt ?? now) - state.startedAt);
}

/**
 * The change a move to `pos` makes: the position, and the timer's start when this is the talk's
 * first move. While the screen is black, a step forward or back only lifts the blackout, so one
 * press of a clicker never both ends a pause and reveals the next step; a jump (`jump`: go-to,
 * overview, deep link) moves and lifts it.
 */
export function moveChange(state: TalkState, pos: Position, now: number, jump = false): Partial<TalkState> | undefined {
  if (state.blackout && !jump) return { blackout: false };
  if (state.slide === pos.slide && state.step === pos.step && !state.blackout) return undefined;
  return { slide: pos.slide, step: pos.step, blackout: false, ...(state.startedAt === undefined ? { startedAt: now } : {}) };
}

/** Pause a running timer, resume a paused one (shifting its start by the pause), start one that has not started. */
export function togglePause(state: TalkState, now: number): Partial<TalkState> {
  if (state.startedAt === undefined) return { startedAt: now, pausedAt: undefined };
  if (state.pausedAt === undefined) return { pausedAt: now };
  return { startedAt: state.startedAt + (now - state.pausedAt), pausedAt: undefined };
}

/** "Reset talk": the first slide, the screen on, the timer stopped at zero. */
export function resetChange(): Partial<TalkState> {
  return { slide: 0, step: 0, blackout: false, startedAt: undefined, pausedAt: undefined };
}

/** Time left of `plannedMs` at `elapsedMs`, as `12:30` or, once over, `−1:05` (a real minus sign). */
export function formatCountdown(plannedMs: number, elapsedMs: number): string {
  const left = plannedMs - elapsedMs;
  const total = Math.floor(Math.abs(left) / 1000);
  const text = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  return left < 0 && total > 0 ? `−${text}` : text;
}

/** What a window keeps in localStorage so a closed or crashed window comes back where the talk was. */
export type StoredTalk = Pick<TalkState, 'slide' | 'step' | 'startedAt' | 'pausedAt'>;

/** The stored form of a talk state (blackout is not kept: a reopened deck never starts black). */
export function storeTalk(state: TalkState): string {
  const kept: StoredTalk = { slide: state.slide, step: state.step };
  if (state.startedAt !== undefined) kept.startedAt = state.startedAt;
  if (state.pausedAt !== undefined) kept.pausedAt = state.pausedAt;
  return JSON.stringify(kept);
}

/** Reads what storeTalk wrote; anything else (another version, a hand edit) is ignored. */
export function readStoredTalk(value: string | null): StoredTalk | undefined {
  if (!value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const v = parsed as Record<string, unknown>;
  if (!Number.isInteger(v.slide) || !Number.isInteger(v.step) || (v.slide as number) < 0 || (v.step as number) < 0) return undefined;
  const isTime = (t: unknown) => t === undefined || (typeof t === 'number' && Number.isFinite(t));
  if (!isTime(v.startedAt) || !isTime(v.pausedAt)) return undefined;
  if (v.pausedAt !== undefined && v.startedAt === undefined) return undefined;
  const talk: StoredTalk = { slide: v.slide as number, step: v.step as number };
  if (v.startedAt !== undefined) talk.startedAt = v.startedAt as number;
  if (v.pausedAt !== undefined) talk.pausedAt = v.pausedAt as number;
  return talk;
}

/** The next replay speed: doubled (`by` 1) or halved (-1), between 1× and 32×. */
export function nextSpeed(speed: number | undefined, by: 1 | -1): number {
  const now = speed && speed > 0 ? speed : 1;
  return Math.min(32, Math.max(1, by > 0 ? now * 2 : now / 2));
}
