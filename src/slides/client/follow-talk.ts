/**
 * What the audience view and the presenter view share: a window that follows the talk, starting at
 * the URL hash and keeping the hash up to date.
 */
import { parseHash } from '../hash.ts';
import { samePosition, type Position } from '../position.ts';
import type { TalkState } from '../sync.ts';
import type { DeckDom } from './deck-view.ts';
import { writeHash } from './hash-writer.ts';
import { joinTalk, type Talk } from './talk.ts';

/**
 * Joins the talk on the channel named by `root`'s `data-channel`, starting at the URL hash of a
 * position of `dom` (or the first slide), and shows each state the talk reaches: when the position
 * changed, `moved` puts it on screen (`showPosition` and the window's own labels; `previous` is
 * undefined only for the state the window starts at) and the URL hash follows; then, for every
 * state, `shown` (blackout, clocks). Each show is measured as `slides:show` (bench/slides.ts reads
 * it). Both callbacks run once during this call, before it returns.
 */
export function followTalk(
  root: HTMLElement,
  dom: DeckDom,
  moved: (pos: Position, previous: Position | undefined) => void,
  shown: (state: TalkState) => void,
): Talk {
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
    performance.measure('slides:show', 'slides:show:start');
  };
  const initial = parseHash(location.hash, dom.shape) ?? { slide: 0, step: 0 };
  return joinTalk(root.dataset.channel!, { ...initial, blackout: false }, show);
}
