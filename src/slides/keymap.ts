/**
 * The deck's keyboard map as a pure reducer: a key press (plus the digits typed so far) in, an
 * action out. Typing a number then Enter jumps to that slide, as in reveal.js.
 */

/** What a key asks the deck to do. */
export type KeyAction =
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'next-slide' }
  | { type: 'previous-slide' }
  | { type: 'first' }
  | { type: 'last' }
  /** Slide number as typed, counting from 1. */
  | { type: 'goto'; slide: number }
  | { type: 'overview' }
  | { type: 'blackout' }
  | { type: 'presenter' }
  | { type: 'fullscreen' }
  | { type: 'help' }
  /** Presenter only: the laser pointer on or off. */
  | { type: 'laser' }
  /** Presenter only: notes text bigger (+1) or smaller (-1). */
  | { type: 'notes-size'; by: 1 | -1 }
  /** Presenter only: demo replays faster (+1) or slower (-1). */
  | { type: 'replay-speed'; by: 1 | -1 }
  /** Presenter only: scroll the notes down (+1) or up (-1). */
  | { type: 'notes-scroll'; by: 1 | -1 }
  | { type: 'escape' };

/** The parts of a KeyboardEvent the map looks at. */
export interface KeyPress {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** Result of one key press: the action (if any) and the digits typed so far. */
export interface KeyResult {
  action?: KeyAction;
  digits: string;
  /** True when the deck used the key, so the page should not (no scrolling on Space). */
  handled: boolean;
}

const SIMPLE: Record<string, KeyAction> = {
  ArrowRight: { type: 'next' },
  PageDown: { type: 'next' },
  ' ': { type: 'next' },
  ArrowLeft: { type: 'previous' },
  PageUp: { type: 'previous' },
  ArrowDown: { type: 'next-slide' },
  ArrowUp: { type: 'previous-slide' },
  Home: { type: 'first' },
  End: { type: 'last' },
  o: { type: 'overview' },
  O: { type: 'overview' },
  b: { type: 'blackout' },
  B: { type: 'blackout' },
  '.': { type: 'blackout' },
  p: { type: 'presenter' },
  P: { type: 'presenter' },
  f: { type: 'fullscreen' },
  F: { type: 'fullscreen' },
  '?': { type: 'help' },
  l: { type: 'laser' },
  L: { type: 'laser' },
  '+': { type: 'notes-size', by: 1 },
  '=': { type: 'notes-size', by: 1 },
  '-': { type: 'notes-size', by: -1 },
  ']': { type: 'replay-speed', by: 1 },
  '[': { type: 'replay-speed', by: -1 },
  j: { type: 'notes-scroll', by: 1 },
  J: { type: 'notes-scroll', by: 1 },
  k: { type: 'notes-scroll', by: -1 },
  K: { type: 'notes-scroll', by: -1 },
  Escape: { type: 'escape' },
};

/** Which deck views a key works in. */
export type KeyView = 'audience' | 'presenter';

/** The keys and what they do, for the help overlay (`?`), the screen-reader hint and the docs. */
export const KEY_HELP: readonly (readonly [keys: string, does: string, views?: readonly KeyView[]])[] = [
  ['→ Space PgDn', 'next step (ends a blackout without moving)'],
  ['← Shift+Space PgUp', 'previous step'],
  ['↓ ↑', 'next / previous slide'],
  ['Home End', 'first / last slide'],
  ['12 Enter', 'go to slide 12'],
  ['O', 'overview of every slide'],
  ['B or .', 'blackout'],
  ['F', 'full screen'],
  ['P', 'presenter view (new tab)', ['audience']],
  ['L', 'laser pointer from this mouse on the audience screen', ['presenter']],
  ['+ −', 'notes text bigger / smaller', ['presenter']],
  ['J K', 'scroll the notes down / up', ['presenter']],
  ['] [', 'demo replays faster / slower', ['presenter']],
  ['?', 'this help'],
];

/** The keys that work in `view`. */
export function keysFor(view: KeyView): (readonly [string, string])[] {
  return KEY_HELP.filter(([, , views]) => !views || views.includes(view)).map(([k, d]) => [k, d] as const);
}

/**
 * Maps a key press to an action. Digits accumulate (at most 4) until Enter jumps; any other key
 * drops them. Presses with Ctrl, Meta or Alt are left to the browser (Ctrl+P prints).
 */
export function readKey(press: KeyPress, digits: string): KeyResult {
  if (press.ctrlKey || press.metaKey || press.altKey) return { digits: '', handled: false };
  if (/^[0-9]$/.test(press.key)) return { digits: (digits + press.key).slice(-4), handled: true };
  if (press.key === 'Backspace' && digits) return { digits: digits.slice(0, -1), handled: true };
  if (press.key === 'Enter' && digits) {
    const slide = Number(digits);
    return slide > 0 ? { action: { type: 'goto', slide }, digits: '', handled: true } : { digits: '', handled: true };
  }
  if (press.key === ' ' && press.shiftKey) return { action: { type: 'previous' }, digits: '', handled: true };
  const action = Object.hasOwn(SIMPLE, press.key) ? SIMPLE[press.key] : undefined;
  return action ? { action, digits: '', handled: true } : { digits: '', handled: false };
}
