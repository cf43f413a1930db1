/**
 * The presenter view (/slides/<deck>/presenter/), opened in a tab: the current slide, a preview
 * of the next *step*, the notes, the wall clock, the time since the talk started (or the time
 * left) and the pace, its own overview, go-to, full screen and key help, and the laser pointer.
 * It drives and follows the audience windows through the same talk sync.
 */
import { parseHash } from '../hash.ts';
import type { KeyAction } from '../keymap.ts';
import { positionForAction } from '../navigate.ts';
import { describePace, formatClock, formatDuration } from '../pacing.ts';
import { nextPosition, progressOf, samePosition, type Position } from '../position.ts';
import { elapsedOf, formatCountdown, moveChange, nextSpeed, resetChange, togglePause } from '../timer.ts';
import { applySteps, cloneSlide, fitToBox, hideAll, readDeck, showPosition } from './deck-view.ts';
import { dialogOpen, setUpHelp, toggleFullscreen, toggleHelp } from './dialogs.ts';
import { followTalk } from './follow-talk.ts';
import { listenForKeys } from './keys.ts';
import { canvasPoint } from './laser.ts';
import { createOverview } from './overview.ts';
import { playReplayStep, setReplaySpeed, settleReplays } from '../../replay/player.ts';
import type { Talk } from './talk.ts';

const root = document.querySelector<HTMLElement>('[data-presenter-root]')!;
const canvas = root.querySelector<HTMLElement>('[data-current] .deck-canvas')!;
const nextCanvas = root.querySelector<HTMLElement>('[data-next] .deck-canvas')!;
const nextLabel = root.querySelector<HTMLElement>('[data-next-label]')!;
const notes = root.querySelector<HTMLElement>('[data-notes-panel]')!;
const notesBox = notes.closest<HTMLElement>('.pv-notes')!;
const where = root.querySelector<HTMLElement>('[data-where]')!;
const clock = root.querySelector<HTMLElement>('[data-clock]')!;
const elapsed = root.querySelector<HTMLElement>('[data-elapsed]')!;
const left = root.querySelector<HTMLElement>('[data-left]')!;
const leftBox = root.querySelector<HTMLElement>('[data-left-box]')!;
const paused = root.querySelector<HTMLElement>('[data-paused]')!;
const pace = root.querySelector<HTMLElement>('[data-pace]')!;
const timerButton = root.querySelector<HTMLButtonElement>('[data-timer]')!;
const countdownButton = root.querySelector<HTMLButtonElement>('[data-countdown]')!;
const resetButton = root.querySelector<HTMLButtonElement>('[data-reset]')!;
const laserButton = root.querySelector<HTMLButtonElement>('[data-laser]')!;
const blackoutState = root.querySelector<HTMLElement>('[data-blackout-state]')!;
const speedLabel = root.querySelector<HTMLElement>('[data-speed]')!;
const plannedMs = Number(root.dataset.duration ?? 0) * 60_000;
const prefsKey = `${root.dataset.channel}:presenter`;

/** The presenter's own settings (this window only, kept across reloads): notes size, countdown. */
const prefs = readPrefs();
function readPrefs(): { notesPx: number; countdown: boolean } {
  try {
    const v = JSON.parse(localStorage.getItem(prefsKey) ?? '{}') as Record<string, unknown>;
    return { notesPx: typeof v.notesPx === 'number' ? Math.min(64, Math.max(14, v.notesPx)) : 22, countdown: v.countdown === true };
  } catch {
    return { notesPx: 22, countdown: false };
  }
}
function savePrefs(): void {
  try {
    localStorage.setItem(prefsKey, JSON.stringify(prefs));
  } catch {
    // Not kept: fine.
  }
}

const dom = readDeck(canvas);
hideAll(dom);
fitToBox(canvas.parentElement!, canvas);
fitToBox(nextCanvas.parentElement!, nextCanvas);
notes.style.fontSize = `${prefs.notesPx}px`;

let preview: { slide: number; el: HTMLElement } | undefined;

/** The preview shows what the next key press will show: the next step of this slide, or the next slide. */
function showNext(pos: Position): void {
  const next = nextPosition(dom.shape, pos);
  if (samePosition(next, pos)) {
    preview?.el.remove();
    preview = undefined;
    nextLabel.textContent = 'End of the deck';
    return;
  }
  if (preview?.slide !== next.slide) {
    preview?.el.remove();
    const el = cloneSlide(dom.slides[next.slide]!);
    el.classList.add('is-current');
    nextCanvas.append(el);
    preview = { slide: next.slide, el };
  }
  applySteps(preview.el, next.step);
  nextLabel.textContent = next.slide === pos.slide ? `Next: step ${next.step} of this slide` : `Next: slide ${next.slide + 1}${dom.titles[next.slide] ? ` — ${dom.titles[next.slide]}` : ''}`;
}

function showNotes(slide: number): void {
  const source = dom.slides[slide]?.querySelector('[data-notes]');
  notes.replaceChildren();
  notesBox.scrollTop = 0;
  if (!source) {
    const p = document.createElement('p');
    p.className = 'pv-empty';
    p.textContent = 'No notes for this slide.';
    notes.append(p);
    return;
  }
  const copy = cloneSlide(source as HTMLElement);
  copy.inert = false;
  copy.removeAttribute('aria-hidden');
  notes.append(...copy.childNodes);
}

/** Clocks come from wall-clock time, so a tab that slept or joined late is right at once. */
function tick(): void {
  const now = Date.now();
  clock.textContent = formatClock(new Date(now));
  const state = talk?.state;
  const started = state?.startedAt;
  const isPaused = state?.pausedAt !== undefined;
  timerButton.textContent = started === undefined ? 'Start timer' : isPaused ? 'Resume timer' : 'Pause timer';
  paused.hidden = !isPaused;
  const ms = state ? elapsedOf(state, now) : 0;
  elapsed.textContent = formatDuration(ms);
  leftBox.hidden = !(prefs.countdown && plannedMs);
  left.textContent = formatCountdown(plannedMs, ms);
  leftBox.dataset.over = String(ms > plannedMs);
  if (started === undefined || !state) {
    pace.textContent = plannedMs ? `planned ${formatDuration(plannedMs)}` : '';
    pace.dataset.state = 'on-time';
    return;
  }
  // The state is the position on screen: every state is shown as soon as the talk reaches it.
  if (!plannedMs) return;
  const p = describePace(ms, plannedMs, progressOf(dom.shape, state));
  pace.textContent = `${p.label} · planned ${formatDuration(plannedMs)}`;
  pace.dataset.state = p.state;
}

// tick() reads `talk`; the first show calls it before followTalk returns, when it is still undefined.
let talk: Talk | undefined;
const current = (talk = followTalk(
  root,
  dom,
  (pos, previous) => {
    showPosition(dom, previous, pos);
    if (previous && previous.slide !== pos.slide) settleReplays(dom.slides[previous.slide]!);
    const slide = dom.slides[pos.slide]!;
    // The presenter sees the replay as the room does (talk is set: this is not the first show).
    if (previous?.slide === pos.slide && pos.step === previous.step + 1) playReplayStep(slide, pos.step, talk!.state.speed ?? 1);
    else settleReplays(slide);
    const steps = dom.shape.steps[pos.slide] ?? 0;
    where.textContent = `Slide ${pos.slide + 1} of ${dom.slides.length}${steps ? ` · step ${pos.step} of ${steps}` : ''}`;
    showNext(pos);
    if (previous?.slide !== pos.slide) showNotes(pos.slide);
  },
  (state) => {
    blackoutState.hidden = !state.blackout;
    speedLabel.textContent = `Replay ${state.speed ?? 1}×`;
    if (dom.slides[state.slide]) setReplaySpeed(dom.slides[state.slide]!, state.speed ?? 1);
    tick();
  },
));

function go(pos: Position, jump = false): void {
  const change = moveChange(current.state, pos, Date.now(), jump);
  if (change) current.change(change);
}

const overview = createOverview(root.querySelector<HTMLDialogElement>('.deck-overview')!, dom, (slide) => go({ slide, step: 0 }, true));

let laserOn = false;
function setLaser(on: boolean): void {
  laserOn = on;
  laserButton.setAttribute('aria-pressed', String(on));
  canvas.parentElement!.classList.toggle('is-laser', on);
  if (!on) current.laser(null, null);
}

function act(action: KeyAction): void {
  const state = current.state;
  const pos = positionForAction(dom.shape, state, action);
  if (pos) return go(pos, action.type === 'goto' || action.type === 'first' || action.type === 'last');
  switch (action.type) {
    case 'blackout':
      return current.change({ blackout: !state.blackout });
    case 'escape':
      if (state.blackout) current.change({ blackout: false });
      return;
    case 'overview':
      return overview.toggle(state.slide);
    case 'fullscreen':
      return toggleFullscreen();
    case 'help':
      toggleHelp(root);
      return;
    case 'laser':
      return setLaser(!laserOn);
    case 'notes-size':
      prefs.notesPx = Math.min(64, Math.max(14, prefs.notesPx + action.by * 4));
      notes.style.fontSize = `${prefs.notesPx}px`;
      return savePrefs();
    case 'replay-speed':
      return current.change({ speed: nextSpeed(state.speed, action.by) });
    case 'notes-scroll':
      notesBox.scrollBy({ top: action.by * notesBox.clientHeight * 0.6 });
      return;
    default:
      return;
  }
}

setUpHelp(root);
listenForKeys(act, () => dialogOpen(root));
addEventListener('hashchange', () => {
  const pos = parseHash(location.hash, dom.shape);
  if (pos) go(pos, true);
});
const BUTTONS: Record<string, KeyAction> = { 'notes-bigger': { type: 'notes-size', by: 1 }, 'notes-smaller': { type: 'notes-size', by: -1 } };
for (const button of root.querySelectorAll<HTMLElement>('[data-deck-action]')) {
  const name = button.dataset.deckAction!;
  button.addEventListener('click', () => act(BUTTONS[name] ?? ({ type: name } as KeyAction)));
}
timerButton.addEventListener('click', () => current.change(togglePause(current.state, Date.now())));
countdownButton.setAttribute('aria-pressed', String(prefs.countdown));
countdownButton.addEventListener('click', () => {
  prefs.countdown = !prefs.countdown;
  countdownButton.setAttribute('aria-pressed', String(prefs.countdown));
  savePrefs();
  tick();
});
// Reset takes two presses within a few seconds: one stray click must not lose the talk's place.
let resetArmed: ReturnType<typeof setTimeout> | undefined;
resetButton.addEventListener('click', () => {
  if (resetArmed === undefined) {
    resetButton.textContent = 'Press again to reset';
    resetArmed = setTimeout(() => {
      resetArmed = undefined;
      resetButton.textContent = 'Reset talk';
    }, 4000);
    return;
  }
  clearTimeout(resetArmed);
  resetArmed = undefined;
  resetButton.textContent = 'Reset talk';
  current.change(resetChange());
});

// Laser: while on, the mouse over the current slide is sent to the audience windows, at most once a frame.
let laserFrame = 0;
let laserAt: { x: number; y: number } | null = null;
canvas.parentElement!.addEventListener('mousemove', (event) => {
  if (!laserOn) return;
  laserAt = canvasPoint(canvas, event.clientX, event.clientY);
  if (laserFrame) return;
  laserFrame = requestAnimationFrame(() => {
    laserFrame = 0;
    current.laser(laserAt?.x ?? null, laserAt?.y ?? null);
  });
});
canvas.parentElement!.addEventListener('mouseleave', () => laserOn && current.laser(null, null));

// The first show ran before `talk` was set: show the clocks of the state joined now, not in a second.
tick();
setInterval(tick, 1000);
root.dataset.ready = 'true';
