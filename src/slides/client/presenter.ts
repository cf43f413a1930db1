/**
 * The presenter view (/slides/<deck>/presenter/), opened in a tab: the current slide, a preview
 * of the next *step*, the notes, the wall clock, the time since the talk started and the pace.
 * It drives and follows the audience windows through the same talk sync.
 */
import type { KeyAction } from '../keymap.ts';
import { positionForAction } from '../navigate.ts';
import { describePace, formatClock, formatDuration } from '../pacing.ts';
import { nextPosition, progressOf, samePosition, type Position } from '../position.ts';
import { applySteps, cloneSlide, fitToBox, hideAll, readDeck, showPosition } from './deck-view.ts';
import { followTalk } from './follow-talk.ts';
import { listenForKeys } from './keys.ts';
import type { Talk } from './talk.ts';

const root = document.querySelector<HTMLElement>('[data-presenter-root]')!;
const canvas = root.querySelector<HTMLElement>('[data-current] .deck-canvas')!;
const nextCanvas = root.querySelector<HTMLElement>('[data-next] .deck-canvas')!;
const nextLabel = root.querySelector<HTMLElement>('[data-next-label]')!;
const notes = root.querySelector<HTMLElement>('[data-notes-panel]')!;
const where = root.querySelector<HTMLElement>('[data-where]')!;
const clock = root.querySelector<HTMLElement>('[data-clock]')!;
const elapsed = root.querySelector<HTMLElement>('[data-elapsed]')!;
const pace = root.querySelector<HTMLElement>('[data-pace]')!;
const timerButton = root.querySelector<HTMLButtonElement>('[data-timer]')!;
const blackoutState = root.querySelector<HTMLElement>('[data-blackout-state]')!;
const plannedMs = Number(root.dataset.duration ?? 0) * 60_000;

const dom = readDeck(canvas);
hideAll(dom);
fitToBox(canvas.parentElement!, canvas);
fitToBox(nextCanvas.parentElement!, nextCanvas);

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
  timerButton.textContent = started === undefined ? 'Start timer' : 'Restart timer';
  if (started === undefined) {
    elapsed.textContent = '0:00';
    pace.textContent = plannedMs ? `planned ${formatDuration(plannedMs)}` : '';
    pace.dataset.state = 'on-time';
    return;
  }
  elapsed.textContent = formatDuration(now - started);
  // The state is the position on screen: every state is shown as soon as the talk reaches it.
  if (!plannedMs || !state) return;
  const p = describePace(now - started, plannedMs, progressOf(dom.shape, state));
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
    const steps = dom.shape.steps[pos.slide] ?? 0;
    where.textContent = `Slide ${pos.slide + 1} of ${dom.slides.length}${steps ? ` · step ${pos.step} of ${steps}` : ''}`;
    showNext(pos);
    if (previous?.slide !== pos.slide) showNotes(pos.slide);
  },
  (state) => {
    blackoutState.hidden = !state.blackout;
    tick();
  },
));

function act(action: KeyAction): void {
  const state = current.state;
  const pos = positionForAction(dom.shape, state, action);
  if (pos) {
    if (samePosition(pos, state)) return;
    // The timer starts with the first move of the talk, unless it was started by hand.
    current.change({ ...pos, blackout: false, ...(state.startedAt === undefined ? { startedAt: Date.now() } : {}) });
  } else if (action.type === 'blackout') current.change({ blackout: !state.blackout });
  else if (action.type === 'escape' && state.blackout) current.change({ blackout: false });
}

listenForKeys(act);
for (const button of root.querySelectorAll<HTMLElement>('[data-deck-action]')) {
  button.addEventListener('click', () => act({ type: button.dataset.deckAction } as KeyAction));
}
timerButton.addEventListener('click', () => current.change({ startedAt: Date.now() }));
setInterval(tick, 1000);
root.dataset.ready = 'true';
