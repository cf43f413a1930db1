/**
 * The replay player, shared by the deck and the lab pages (dependency-free, a few hundred bytes
 * gzipped). It plays one replayed command — an element `.rp-step` holding `.rp-text` (the command,
 * full text in `data-text`), `.rp-out` (its recorded output) and `data-duration` (the recorded time
 * in ms): the command is typed out, then the output appears once the recorded duration has passed
 * (divided by the speed), counted from the moment the command shows typed. The output is never
 * shown early: every cue is checked against the clock before it is applied. While a command plays, the step carries `is-playing` and `is-typing` or
 * `is-running`, and dispatches `replay:start`, `replay:typed` and `replay:output` (bubbling). A
 * paused step (`is-paused`) keeps its place: its clock stands still until it is resumed.
 */

/** Time per typed character at speed 1. */
export const TYPE_MS = 45;

/** On a lab page, the wait before the next command at speed 1: room to read the output; not part of the recording. */
export const NEXT_COMMAND_MS = 600;

/** One thing that happens while a command plays, `at` ms after it starts (at speed 1). */
export type ReplayCue = { at: number; kind: 'chars'; chars: number } | { at: number; kind: 'typed' } | { at: number; kind: 'output' };

/**
 * The cues of one command of `length` characters that took `durationMs` in the recorded run:
 * one per typed character (none when `typing` is off: the command shows whole at once), "typed"
 * when the command is complete, and "output" the recorded duration later.
 */
export function replayCues(length: number, durationMs: number, typing = true): ReplayCue[] {
  const per = typing ? TYPE_MS : 0;
  const cues: ReplayCue[] = [];
  if (typing) for (let i = 1; i <= length; i++) cues.push({ at: per * i, kind: 'chars', chars: i });
  const typed = per * length;
  cues.push({ at: typed, kind: 'typed' }, { at: typed + Math.max(0, durationMs || 0), kind: 'output' });
  return cues;
}

/** A usable speed: positive and finite, else 1. */
export function clampSpeed(speed: number): number {
  return Number.isFinite(speed) && speed > 0 ? Math.min(speed, 1000) : 1;
}

interface Playing {
  finish(): void;
  setSpeed(speed: number): void;
  pause(): void;
  resume(): void;
}

const playing = new WeakMap<Element, Playing>();

/** Each replay step playing under `scope`. */
function* playingUnder(scope: Element): Generator<Playing> {
  for (const el of scope.querySelectorAll('.rp-step.is-playing')) {
    const p = playing.get(el);
    if (p) yield p;
  }
}

/** Finishes every playing replay step under `scope` at once (its full command and output show). */
export function settleReplays(scope: Element): void {
  for (const p of playingUnder(scope)) p.finish();
}

/** Changes the speed of the steps playing under `scope`; the time already played counts at the old speed. */
export function setReplaySpeed(scope: Element, speed: number): void {
  for (const p of playingUnder(scope)) p.setSpeed(speed);
}

/** Stops the clock of the steps playing under `scope`, where they are. */
export function pauseReplays(scope: Element): void {
  for (const p of playingUnder(scope)) p.pause();
}

/** Starts the clock of the paused steps under `scope` again, from where it stood. */
export function resumeReplays(scope: Element): void {
  for (const p of playingUnder(scope)) p.resume();
}

/**
 * Plays the replay step revealed at `step` under `scope` (a slide), if there is one, settling any
 * other first. Returns false when the step is not a replayed command. `speed` > 1 plays faster.
 */
export function playReplayStep(scope: Element, step: number, speed = 1): boolean {
  settleReplays(scope);
  const el = scope.querySelector<HTMLElement>(`.rp-step[data-step="${step}"]`);
  if (!el) return false;
  playReplayCommand(el, speed);
  return true;
}

/** Plays one `.rp-step` element from the start. */
export function playReplayCommand(el: HTMLElement, speed = 1): void {
  playing.get(el)?.finish();
  const text = el.querySelector<HTMLElement>('.rp-text')!;
  const full = text.dataset.text ?? text.textContent ?? '';
  // Reduced motion: the command appears whole; its output still waits for the recorded time.
  const still = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  const cues = replayCues(full.length, Number(el.dataset.duration) || 0, !still);
  let rate = clampSpeed(speed);
  let realStart = performance.now();
  let playedBefore = 0;
  let next = 0;
  let paused = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const played = () => (paused ? playedBefore : playedBefore + (performance.now() - realStart) * rate);
  const finish = () => {
    clearTimeout(timer);
    text.textContent = full;
    el.classList.remove('is-playing', 'is-typing', 'is-running', 'is-paused');
    playing.delete(el);
    el.dispatchEvent(new CustomEvent('replay:output', { bubbles: true }));
  };
  const apply = (cue: ReplayCue) => {
    if (cue.kind === 'chars') text.textContent = full.slice(0, cue.chars);
    else if (cue.kind === 'typed') {
      text.textContent = full;
      el.classList.replace('is-typing', 'is-running');
      el.dispatchEvent(new CustomEvent('replay:typed', { bubbles: true }));
      // The command "runs" from the moment it shows typed, even if that moment came late (a busy
      // page, a throttled timer): the output waits the full recorded time from here.
      playedBefore = cue.at;
      realStart = performance.now();
    } else finish();
  };
  const tick = () => {
    if (paused) return;
    while (next < cues.length && cues[next]!.at <= played()) apply(cues[next++]!);
    if (next < cues.length && playing.get(el) === handle) timer = setTimeout(tick, Math.max(0, (cues[next]!.at - played()) / rate));
  };
  const handle: Playing = {
    finish,
    setSpeed(speed) {
      playedBefore = played();
      realStart = performance.now();
      rate = clampSpeed(speed);
      clearTimeout(timer);
      tick();
    },
    pause() {
      if (paused) return;
      playedBefore = played();
      paused = true;
      clearTimeout(timer);
      el.classList.add('is-paused');
    },
    resume() {
      if (!paused) return;
      paused = false;
      realStart = performance.now();
      el.classList.remove('is-paused');
      tick();
    },
  };
  playing.set(el, handle);
  el.classList.remove('is-running');
  el.classList.add('is-playing', 'is-typing');
  el.dispatchEvent(new CustomEvent('replay:start', { bubbles: true }));
  text.textContent = still ? full : '';
  tick();
}
