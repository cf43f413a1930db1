import { formatHash } from '../hash.ts';
import type { Position } from '../position.ts';

let pending: Position | undefined;

/**
 * Puts a position in the URL (replaceState, so Back leaves the deck instead of undoing slides),
 * after the current task: replaceState costs a round trip to the browser process now and then,
 * and a burst of key presses needs only the last one written.
 */
export function writeHash(pos: Position): void {
  const first = pending === undefined;
  pending = pos;
  if (!first) return;
  setTimeout(() => {
    if (pending && location.hash !== formatHash(pending)) history.replaceState(null, '', formatHash(pending));
    pending = undefined;
  }, 0);
}
