/**
 * The audience view (/slides/<deck>/): one slide at a time on the scaled canvas, driven by the
 * keyboard, touch, mouse, the URL hash and the other windows of the talk.
 */
import { formatHash, parseHash } from '../hash.ts';
import type { KeyAction } from '../keymap.ts';
import { actionForSwipe, describeSlide, positionForAction } from '../navigate.ts';
import { progressOf, type Position } from '../position.ts';
import { moveChange } from '../timer.ts';
import { fitOrRead, hideAll, readDeck, showPosition } from './deck-view.ts';
import { dialogOpen, setUpHelp, toggleFullscreen, toggleHelp } from './dialogs.ts';
import { followTalk } from './follow-talk.ts';
import { listenForKeys } from './keys.ts';
import { showLaser } from './laser.ts';
import { createOverview } from './overview.ts';
import { playReplayStep, setReplaySpeed, settleReplays } from '../../replay/player.ts';

const root = document.querySelector<HTMLElement>('[data-deck-root]')!;
const stage = root.querySelector<HTMLElement>('.deck-stage')!;
const canvas = root.querySelector<HTMLElement>('.deck-canvas')!;
const counter = root.querySelector<HTMLElement>('[data-deck-counter]')!;
const progress = root.querySelector<HTMLElement>('.deck-progress')!;
const blackout = root.querySelector<HTMLElement>('.deck-blackout')!;
const live = root.querySelector<HTMLElement>('[data-deck-live]')!;
const dom = readDeck(canvas);
hideAll(dom);
fitOrRead(root, stage, canvas);

// Declared before followTalk, whose first show reads it.
let speedShown: number | undefined;
const laser = root.querySelector<HTMLElement>('.deck-laser')!;
const overview = createOverview(root.querySelector<HTMLDialogElement>('.deck-overview')!, dom, (slide) => go({ slide, step: 0 }, true));
const talk = followTalk(
  root,
  dom,
  (pos, previous) => {
    showPosition(dom, previous, pos);
    // Reading on a phone: a new slide starts at its top.
    if (previous && previous.slide !== pos.slide) stage.scrollTop = 0;
    showReplay(pos, previous);
    counter.textContent = `${pos.slide + 1} / ${dom.slides.length}`;
    progress.style.setProperty('--progress', String(progressOf(dom.shape, pos)));
    // The first slide is announced by the page title; later changes by the live region.
    if (previous && previous.slide !== pos.slide) live.textContent = describeSlide(pos.slide, dom.slides.length, dom.titles[pos.slide] ?? '');
  },
  (state) => {
    blackout.hidden = !state.blackout;
    followSpeed(state.speed ?? 1, state.slide);
  },
  (message) => showLaser(laser, message.x, message.y),
);

/** One step forward onto a replayed command plays it; anything else shows the transcript so far at once. */
function showReplay(pos: Position, previous: Position | undefined): void {
  const slide = dom.slides[pos.slide];
  if (previous && previous.slide !== pos.slide) settleReplays(dom.slides[previous.slide]!);
  if (!slide) return;
  if (previous?.slide === pos.slide && pos.step === previous.step + 1) playReplayStep(slide, pos.step, talkSpeed());
  else settleReplays(slide);
}
/** A speed change from the presenter reaches a command already playing, not only the next one. */
function followSpeed(speed: number, slide: number): void {
  if (speedShown !== undefined && speed !== speedShown && dom.slides[slide]) setReplaySpeed(dom.slides[slide], speed);
  speedShown = speed;
}
// Only called for a move after the first show, so after followTalk has returned `talk`.
function talkSpeed(): number {
  return talk.state.speed ?? 1;
}

/**
 * Moves the talk (a move from this window starts the timer as well: a clicker drives this
 * window, not the presenter's). `jump`: a go-to, overview pick or deep link, which also lifts a
 * blackout; a step only lifts it.
 */
function go(pos: Position, jump = false): void {
  const change = moveChange(talk.state, pos, Date.now(), jump);
  if (change) talk.change(change);
}

function act(action: KeyAction): void {
  const pos = positionForAction(dom.shape, talk.state, action);
  if (pos) return go(pos, action.type === 'goto' || action.type === 'first' || action.type === 'last');
  if (action.type === 'overview') overview.toggle(talk.state.slide);
  else if (action.type === 'help') toggleHelp(root);
  else if (action.type === 'blackout') talk.change({ blackout: !talk.state.blackout });
  else if (action.type === 'escape' && talk.state.blackout) talk.change({ blackout: false });
  else if (action.type === 'presenter') openPresenter();
  else if (action.type === 'fullscreen') toggleFullscreen();
}

/** A new tab, not a popup window: popup blockers leave tabs opened by a key press alone. */
function openPresenter(): void {
  const link = root.querySelector<HTMLAnchorElement>('[data-presenter-link]')!;
  window.open(link.href + formatHash(talk.state), '_blank', 'noopener');
}

setUpHelp(root);
listenForKeys(act, () => dialogOpen(root));
addEventListener('hashchange', () => {
  const pos = parseHash(location.hash, dom.shape);
  if (pos) go(pos, true);
});
for (const button of root.querySelectorAll<HTMLElement>('[data-deck-action]')) {
  button.addEventListener('click', () => act({ type: button.dataset.deckAction } as KeyAction));
}

// Mouse: a click on the slide (not on a link, button or code) moves on; the left fifth goes back.
stage.addEventListener('click', (event) => {
  const target = event.target as HTMLElement;
  if (target.closest('a, button, pre, figure, input, summary, .lb-vol') || getSelection()?.toString()) return;
  act({ type: event.clientX < innerWidth / 5 ? 'previous' : 'next' });
});

// Touch: a horizontal swipe.
let touch: { x: number; y: number } | undefined;
stage.addEventListener('touchstart', (e) => (touch = e.touches.length === 1 ? { x: e.touches[0]!.clientX, y: e.touches[0]!.clientY } : undefined), { passive: true });
stage.addEventListener('touchend', (e) => {
  const end = e.changedTouches[0];
  if (!touch || !end) return;
  const action = actionForSwipe(end.clientX - touch.x, end.clientY - touch.y);
  touch = undefined;
  if (action) act(action);
});

// Controls fade in while the mouse moves and out shortly after, so they never sit on a slide.
let hideControls: ReturnType<typeof setTimeout> | undefined;
addEventListener('mousemove', () => {
  root.classList.add('show-controls');
  clearTimeout(hideControls);
  hideControls = setTimeout(() => root.classList.remove('show-controls'), 2500);
});

root.dataset.ready = 'true';
