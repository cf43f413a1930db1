/**
 * "Replay" on a lab page: plays a block's recorded run (ReplayPanel.astro) in place of the page's
 * text — each command typed, its output after the time it took in that run (see
 * src/replay/player.ts), then the next command after a short pause. Everything it needs is in the
 * page, so it works offline.
 */
import { clampSpeed, playReplayCommand, setReplaySpeed, settleReplays } from '../../replay/player.ts';

/** Pause before the next command at speed 1: room to read the output; not part of the recording. */
export const NEXT_COMMAND_MS = 600;

const stops = new WeakMap<HTMLElement, () => void>();

function speedOf(panel: HTMLElement): number {
  return clampSpeed(Number(panel.querySelector<HTMLSelectElement>('.lb-replay-speed')?.value));
}

function say(panel: HTMLElement, message: string): void {
  const status = panel.querySelector('.lb-replay__status');
  if (status) status.textContent = message;
}

/** Stops a replay where it is: the command playing shows whole, with its output. */
export function stopReplay(panel: HTMLElement): void {
  stops.get(panel)?.();
}

/** Plays the panel's recorded commands from the first, one after the other. */
export function startReplay(panel: HTMLElement): void {
  stopReplay(panel);
  const steps = [...panel.querySelectorAll<HTMLElement>('.rp-step')];
  for (const s of steps) s.classList.remove('is-shown');
  let at = -1;
  let pause: ReturnType<typeof setTimeout> | undefined;
  const next = () => {
    at += 1;
    const step = steps[at];
    if (!step) return end();
    step.classList.add('is-shown');
    playReplayCommand(step, speedOf(panel));
  };
  const onOutput = (event: Event) => {
    if (event.target !== steps[at]) return;
    pause = setTimeout(next, NEXT_COMMAND_MS / speedOf(panel));
  };
  const end = () => {
    panel.removeEventListener('replay:output', onOutput);
    clearTimeout(pause);
    stops.delete(panel);
    panel.dataset.state = 'done';
    say(panel, 'Replay finished');
  };
  stops.set(panel, () => {
    panel.removeEventListener('replay:output', onOutput);
    clearTimeout(pause);
    settleReplays(panel);
    stops.delete(panel);
    panel.dataset.state = 'stopped';
  });
  panel.addEventListener('replay:output', onOutput);
  panel.dataset.state = 'playing';
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
  if (open) startReplay(panel);
  else stopReplay(panel);
}

document.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  const open = target?.closest?.('button.lb-replay-open');
  if (open instanceof HTMLButtonElement) return toggleReplay(open);
  const again = target?.closest?.('button.lb-replay-again')?.closest<HTMLElement>('.lb-replay');
  if (again) startReplay(again);
});

document.addEventListener('change', (event) => {
  const select = event.target as Element | null;
  if (!select?.classList?.contains('lb-replay-speed')) return;
  const panel = select.closest<HTMLElement>('.lb-replay');
  if (panel) setReplaySpeed(panel, speedOf(panel));
});
