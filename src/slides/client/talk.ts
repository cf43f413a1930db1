/**
 * One window's part in a talk: the sync state machine wired to a channel. The audience view and
 * the presenter view both use it, so either can drive the other.
 */
import { changeLocally, receiveMessage, startPeer, type SyncMessage, type SyncPeer, type TalkState } from '../sync.ts';
import { openChannel, type Channel } from './channel.ts';

/** Why a state is being shown. */
export type ShowReason = 'start' | 'local' | 'remote';

/** The talk as a window sees it. */
export interface Talk {
  readonly state: TalkState;
  readonly channel: Channel;
  /** Applies a change made in this window and tells the others. */
  change: (change: Partial<TalkState>) => void;
  /** Sends the laser pointer's place on the canvas (null: off) to the other windows. */
  laser: (x: number | null, y: number | null) => void;
}

/** The laser pointer as another window sent it. */
export type LaserMessage = Extract<SyncMessage, { type: 'laser' }>;

/**
 * Joins the talk on channel `name`, starting at `initial`; `show` is called for every state to
 * display, `onLaser` for every laser pointer message of another window.
 */
export function joinTalk(name: string, initial: TalkState, show: (state: TalkState, reason: ShowReason) => void, onLaser?: (message: LaserMessage) => void): Talk {
  const id = typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : String(Math.random()).slice(2);
  const start = startPeer(id, Date.now(), initial);
  let peer: SyncPeer = start.peer;
  const channel = openChannel(name, (message) => {
    if (message.type === 'laser') {
      if (message.from !== id) onLaser?.(message);
      return;
    }
    const step = receiveMessage(peer, message);
    peer = step.peer;
    if (step.send) channel.post(step.send);
    if (step.changed) show(peer.state, 'remote');
  });
  show(peer.state, 'start');
  if (start.send) channel.post(start.send);
  return {
    get state() {
      return peer.state;
    },
    channel,
    change(change) {
      const step = changeLocally(peer, change);
      peer = step.peer;
      show(peer.state, 'local');
      if (step.send) channel.post(step.send);
    },
    laser(x, y) {
      channel.post({ type: 'laser', from: id, since: peer.since, x, y });
    },
  };
}
