/**
 * What the audience view and the presenter view share: a window that follows the talk, starting at
 * the URL hash (or where the talk was when its windows were last closed) and keeping the hash and
 * the stored talk up to date.
 */
import { parseHash } from '../hash.ts';
import { clampPosition, samePosition, type Position } from '../position.ts';
import type { TalkState } from '../sync.ts';
import { readStoredTalk, storeTalk } from '../timer.ts';
import type { DeckDom } from './deck-view.ts';
import { writeHash } from './hash-writer.ts';
import { joinTalk, type LaserMessage, type Talk } from './talk.ts';

/** The localStorage key of a deck's talk (position and timer), next to its channel. */
export function talkStorageKey(channel: string): string {
  return `${channel}:talk`;
}

/**
 * Joins the talk on the channel named by `root`'s `data-channel`, starting at the URL hash of a
 * position of `dom` (else the stored talk, else the first slide), and shows each state the talk
 * reaches: when the position changed, `moved` puts it on screen (`showPosition` and the window's
 * own labels; `previous` is undefined only for the state the window starts at) and the URL hash
 * follows; then, for every state, `shown` (blackout, clocks). Every state is kept in localStorage,
 * so closing every window (or a browser crash) loses neither the position nor the timer. Each show
 * is measured as `slides:show` (bench/slides.ts reads it). Both callbacks run once during this
 * call, before it returns.
 */
export function followTalk(
  root: HTMLElement,
  dom: DeckDom,
  moved: (pos: Position, previous: Position | undefined) => void,
  shown: (state: TalkState) => void,
  onLaser?: (message: LaserMessage) => void,
): Talk {
  const channel = root.dataset.channel!;
  const key = talkStorageKey(channel);
  let current: Position | undefined;
  const show = (state: TalkState): void => {
    performance.mark('slides:show:start');
    const pos = { slide: state.slide, step: state.step };
    if (!current || !samePosition(current, pos)) {
      moved(pos, current);
      current = pos;
      writeHash(pos);
    }
    shown(state);
    try {
      localStorage.setItem(key, storeTalk(state));
    } catch {
      // Storage full or disabled (private mode): the talk goes on, it just is not kept.
    }
    performance.measure('slides:show', 'slides:show:start');
  };
  let stored;
  try {
    stored = readStoredTalk(localStorage.getItem(key));
  } catch {
    stored = undefined;
  }
  const fromHash = parseHash(location.hash, dom.shape);
  const initial = fromHash ?? (stored ? clampPosition(dom.shape, stored) : { slide: 0, step: 0 });
  const state: TalkState = { ...initial, blackout: false };
  if (stored?.startedAt !== undefined) state.startedAt = stored.startedAt;
  if (stored?.pausedAt !== undefined) state.pausedAt = stored.pausedAt;
  return joinTalk(channel, state, show, onLaser);
}
