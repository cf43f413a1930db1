/**
 * The demo replay player: when a slide step reveals a replayed command, the command is typed
 * out, then its output appears after the time the command took in the recorded run (divided by
 * the talk's replay speed). Any other change — a jump, a step back, the next key before the
 * output is in — settles every replay on the slide at once, so the screen always ends at the
 * position's full transcript. Self-contained, so a lab page could use it as well.
 */

/** Time per typed character at speed 1. */
export const TYPE_MS = 45;

const running = new WeakMap<Element, () => void>();

/** Finishes every playing replay step under `scope` at once. */
export function settleReplays(scope: Element): void {
  for (const el of scope.querySelectorAll('.rp-step.is-playing')) running.get(el)?.();
}

/**
 * Plays the replay step revealed at `step` of `slide`, if there is one. Returns false when the
 * step is not a replayed command. `speed` > 1 plays faster.
 */
export function playReplayStep(slide: Element, step: number, speed = 1): boolean {
  settleReplays(slide);
  const el = slide.querySelector<HTMLElement>(`.rp-step[data-step="${step}"]`);
  if (!el) return false;
  const text = el.querySelector<HTMLElement>('.rp-text')!;
  const full = text.dataset.text ?? text.textContent ?? '';
  const duration = Number(el.dataset.duration) || 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const finish = () => {
    for (const t of timers) clearTimeout(t);
    text.textContent = full;
    el.classList.remove('is-playing', 'is-typing', 'is-running');
    running.delete(el);
    el.dispatchEvent(new CustomEvent('replay:output', { bubbles: true }));
  };
  running.set(el, finish);
  el.classList.add('is-playing', 'is-typing');
  el.dispatchEvent(new CustomEvent('replay:start', { bubbles: true }));
  text.textContent = '';
  // Reduced motion: the command appears whole; its output still waits for the recorded time.
  const still = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  const perChar = still ? 0 : TYPE_MS / Math.max(speed, 0.01);
  if (still) text.textContent = full;
  else for (let i = 1; i <= full.length; i++) timers.push(setTimeout(() => (text.textContent = full.slice(0, i)), perChar * i));
  const typed = perChar * full.length;
  timers.push(
    setTimeout(() => {
      el.classList.replace('is-typing', 'is-running');
      el.dispatchEvent(new CustomEvent('replay:typed', { bubbles: true }));
    }, typed),
  );
  timers.push(setTimeout(finish, typed + duration / Math.max(speed, 0.01)));
  return true;
}
