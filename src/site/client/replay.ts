/**
 * "Replay" on a lab page: plays a block's recorded run (ReplayPanel.astro) in place of the page's
 * text — each command typed, its output after the time it took in that run (see
 * src/replay/player.ts), then the next command after a short pause. Everything it needs is in the
 * page, so it works offline. It can be paused and resumed where it is; the speed chosen last is
 * kept in the browser for the next replay, on any page.
 */
import { clampSpeed, NEXT_COMMAND_MS, pauseReplays, playReplayCommand, resumeReplays, setReplaySpeed, settleReplays } from '../../replay/player.ts';

/** The replay playing in each panel: how to stop it, and to pause or resume it. */
interface Run {
  stop(): void;
  pause(): void;
  resume(): void;
}
const runs = new WeakMap<HTMLElement, Run>();

/** Where the speed chosen last is kept (local storage; a browser without it starts at 1×). */
const SPEED_KEY = 'labs-replay-speed';

function speedOf(panel: HTMLElement): number {
  return clampSpeed(Number(panel.querySelector<HTMLSelectElement>('.lb-replay-speed')?.value));
}

function rememberedSpeed(): string | undefined {
  try {
    return localStorage.getItem(SPEED_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function rememberSpeed(speed: number): void {
  try {
    localStorage.setItem(SPEED_KEY, String(speed));
  } catch {
    // Storage refused (private mode, quota): the speed is simply not kept.
  }
}

/** Sets the panel's speed to the one chosen last, when the panel offers it. */
function restoreSpeed(panel: HTMLElement): void {
  const select = panel.querySelector<HTMLSelectElement>('.lb-replay-speed');
  const kept = rememberedSpeed();
  if (select && kept !== undefined && [...select.options].some((o) => o.value === kept)) select.value = kept;
}

/** Shows the pause button as what it does next: pause a replay playing, resume a paused one. */
function showPaused(panel: HTMLElement, paused: boolean, playing: boolean): void {
  const button = panel.querySelector<HTMLButtonElement>('.lb-replay-pause');
  if (!button) return;
  button.disabled = !playing;
  button.setAttribute('aria-pressed', String(paused));
  button.textContent = paused ? 'Resume' : 'Pause';
}

function say(panel: HTMLElement, message: string): void {
  const status = panel.querySelector('.lb-replay__status');
  if (status) status.textContent = message;
}

/** Stops a replay where it is: the command playing shows whole, with its output. */
export function stopReplay(panel: HTMLElement): void {
  runs.get(panel)?.stop();
}

/** Pauses a playing replay where it is, or resumes a paused one from there. */
export function togglePause(panel: HTMLElement): void {
  const run = runs.get(panel);
  if (!run) return;
  if (panel.dataset.state === 'paused') run.resume();
  else run.pause();
}

/** Plays the panel's recorded commands from the first, one after the other. */
export function startReplay(panel: HTMLElement): void {
  stopReplay(panel);
  const steps = [...panel.querySelectorAll<HTMLElement>('.rp-step')];
  for (const s of steps) s.classList.remove('is-shown');
  let at = -1;
  const paused = () => panel.dataset.state === 'paused';
  // The wait before the next command: its timer, when it is due, and what is left of it while paused.
  let gap: ReturnType<typeof setTimeout> | undefined;
  let gapDue = 0;
  let gapLeft: number | undefined;
  const wait = (ms: number) => {
    if (paused()) {
      gapLeft = ms;
      return;
    }
    gapDue = performance.now() + ms;
    gap = setTimeout(() => {
      gap = undefined;
      next();
    }, ms);
  };
  const next = () => {
    at += 1;
    const step = steps[at];
    if (!step) return end();
    step.classList.add('is-shown');
    playReplayCommand(step, speedOf(panel));
  };
  const onOutput = (event: Event) => {
    if (event.target !== steps[at]) return;
    wait(NEXT_COMMAND_MS / speedOf(panel));
  };
  const leave = (state: 'done' | 'stopped') => {
    panel.removeEventListener('replay:output', onOutput);
    clearTimeout(gap);
    runs.delete(panel);
    panel.dataset.state = state;
    showPaused(panel, false, false);
  };
  const end = () => {
    leave('done');
    say(panel, 'Replay finished');
  };
  runs.set(panel, {
    stop() {
      // Left first: the command settled now must not start the wait for the next one.
      leave('stopped');
      settleReplays(panel);
    },
    pause() {
      if (gap !== undefined) {
        clearTimeout(gap);
        gap = undefined;
        gapLeft = Math.max(0, gapDue - performance.now());
      }
      pauseReplays(panel);
      panel.dataset.state = 'paused';
      showPaused(panel, true, true);
      say(panel, 'Replay paused');
    },
    resume() {
      panel.dataset.state = 'playing';
      showPaused(panel, false, true);
      say(panel, 'Replaying the recorded run');
      resumeReplays(panel);
      if (gapLeft !== undefined) {
        wait(gapLeft);
        gapLeft = undefined;
      }
    },
  });
  panel.addEventListener('replay:output', onOutput);
  panel.dataset.state = 'playing';
  showPaused(panel, false, true);
  say(panel, 'Replaying the recorded run');
  next();
}

/** Opens or closes the replay of the block whose toolbar holds `button`. */
export function toggleReplay(button: HTMLButtonElement): void {
  const panel = document.getElementById(button.getAttribute('aria-controls') ?? '');
  const figure = button.closest<HTMLElement>('figure');
  if (!panel || !figure) return;
  const open = panel.hidden !== false;
  panel.hidden = !open;
  figure.classList.toggle('lb--replaying', open);
  button.setAttribute('aria-expanded', String(open));
  button.textContent = open ? 'Close replay' : 'Replay';
  if (open) {
    restoreSpeed(panel);
    startReplay(panel);
  } else stopReplay(panel);
}

document.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  const open = target?.closest?.('button.lb-replay-open');
  if (open instanceof HTMLButtonElement) return toggleReplay(open);
  const again = target?.closest?.('button.lb-replay-again')?.closest<HTMLElement>('.lb-replay');
  if (again) return startReplay(again);
  const pause = target?.closest?.('button.lb-replay-pause')?.closest<HTMLElement>('.lb-replay');
  if (pause) togglePause(pause);
});

document.addEventListener('change', (event) => {
  const select = event.target as Element | null;
  if (!select?.classList?.contains('lb-replay-speed')) return;
  const panel = select.closest<HTMLElement>('.lb-replay');
  if (!panel) return;
  setReplaySpeed(panel, speedOf(panel));
  rememberSpeed(speedOf(panel));
});
