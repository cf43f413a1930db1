/**
 * Keeps every window of one deck (audience views, presenter tabs) on the same slide and step.
 * A pure state machine: the client feeds it local actions and received messages and posts what
 * it returns, over BroadcastChannel or, where that is missing, localStorage `storage` events.
 *
 * Ordering is a Lamport counter (`seq`): a local change takes `seq + 1`; a received state wins
 * when its seq is higher (ties go to the higher origin id), so two windows that both moved
 * settle on the same state. A window that opens late says `hello`; the others answer with their
 * state, and a window that has not moved yet adopts the answer of the oldest window.
 */

/** What windows share. */
export interface TalkState {
  slide: number;
  step: number;
  blackout: boolean;
  /** When the talk's timer started (epoch ms); absent until the first move (or the presenter's Start). */
  startedAt?: number;
  /** When the timer was paused (epoch ms); absent while it runs. Elapsed time stops at `pausedAt - startedAt`. */
  pausedAt?: number;
  /** How fast demo replays play (2: twice as fast as recorded). @default 1 */
  speed?: number;
}

/** A TalkState with its ordering stamp. */
export interface StampedState extends TalkState {
  seq: number;
  /** Id of the window that made this change. */
  origin: string;
}

/** Messages between windows. */
export type SyncMessage =
  | { type: 'hello'; from: string; since: number }
  | { type: 'state'; from: string; since: number; state: StampedState; reply?: boolean }
  /**
   * The presenter's laser pointer: where on the 1920×1080 canvas (null: off the slide). Not part
   * of the talk state: it is neither ordered nor kept, a lost message only skips a frame.
   */
  | { type: 'laser'; from: string; since: number; x: number | null; y: number | null };

/** One window's view of the sync. */
export interface SyncPeer {
  id: string;
  /** When this window started (epoch ms): on a late join, the oldest window's state wins. */
  since: number;
  /** False until the window moves or adopts another window's state. */
  settled: boolean;
  state: StampedState;
}

/** What to do after a step of the machine. */
export interface SyncStep {
  peer: SyncPeer;
  /** Post this to the other windows. */
  send?: SyncMessage;
  /** The shared state changed because of another window: show it. */
  changed: boolean;
}

/** A new window at `initial` (from its deep link); returns the `hello` to post right away. */
export function startPeer(id: string, since: number, initial: TalkState): SyncStep {
  const peer: SyncPeer = { id, since, settled: false, state: { ...initial, seq: 0, origin: id } };
  return { peer, send: { type: 'hello', from: id, since }, changed: false };
}

/** A change made in this window (key press, click, timer start); returns the state to post. */
export function changeLocally(peer: SyncPeer, change: Partial<TalkState>): SyncStep {
  const state: StampedState = { ...peer.state, ...change, seq: peer.state.seq + 1, origin: peer.id };
  const next: SyncPeer = { ...peer, settled: true, state };
  return { peer: next, send: { type: 'state', from: peer.id, since: peer.since, state }, changed: false };
}

/** Handles a message from another window. */
export function receiveMessage(peer: SyncPeer, message: SyncMessage): SyncStep {
  if (message.from === peer.id || message.type === 'laser') return { peer, changed: false };
  if (message.type === 'hello') {
    return { peer, send: { type: 'state', from: peer.id, since: peer.since, state: peer.state, reply: true }, changed: false };
  }
  const incoming = message.state;
  if (!isNewer(peer, message)) return { peer, changed: false };
  const changed = !sameTalk(peer.state, incoming);
  return { peer: { ...peer, settled: true, state: { ...incoming } }, changed };
}

function isNewer(peer: SyncPeer, message: Extract<SyncMessage, { type: 'state' }>): boolean {
  const { state } = message;
  // A late joiner takes the word of an older window, whatever its counter says.
  if (!peer.settled && message.reply && (message.since < peer.since || (message.since === peer.since && message.from < peer.id))) return true;
  if (state.seq !== peer.state.seq) return state.seq > peer.state.seq;
  // Equal counters: only real changes (seq > 0) compete, decided the same way in every window.
  return state.seq > 0 && state.origin > peer.state.origin;
}

function sameTalk(a: TalkState, b: TalkState): boolean {
  return a.slide === b.slide && a.step === b.step && a.blackout === b.blackout && a.startedAt === b.startedAt && a.pausedAt === b.pausedAt && a.speed === b.speed;
}

/** Checks a value received from another window (or localStorage) before trusting it. */
export function isSyncMessage(value: unknown): value is SyncMessage {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  if (typeof m.from !== 'string' || typeof m.since !== 'number') return false;
  if (m.type === 'hello') return true;
  if (m.type === 'laser') return (m.x === null && m.y === null) || (Number.isFinite(m.x) && Number.isFinite(m.y));
  if (m.type !== 'state' || !m.state || typeof m.state !== 'object') return false;
  const s = m.state as Record<string, unknown>;
  return (
    Number.isInteger(s.slide) &&
    Number.isInteger(s.step) &&
    typeof s.blackout === 'boolean' &&
    Number.isInteger(s.seq) &&
    typeof s.origin === 'string' &&
    (s.startedAt === undefined || typeof s.startedAt === 'number') &&
    (s.pausedAt === undefined || typeof s.pausedAt === 'number') &&
    (s.speed === undefined || (typeof s.speed === 'number' && s.speed > 0 && s.speed <= 64))
  );
}

/** The channel a deck's windows talk on; the base path keeps two sites on one origin apart. */
export function channelName(base: string, deck: string): string {
  return `slides:${base}:${deck}`;
}
