import { describe, expect, it } from 'vitest';
import { channelName, changeLocally, isSyncMessage, receiveMessage, startPeer, type SyncMessage, type SyncPeer, type TalkState } from '../../src/slides/sync.ts';

const at = (slide: number, step = 0): TalkState => ({ slide, step, blackout: false });

/** A tiny broadcast network: every message reaches every other window, in order. */
function network() {
  const peers = new Map<string, SyncPeer>();
  const queue: { from: string; message: SyncMessage }[] = [];
  let delivered = 0;
  const flush = () => {
    while (queue.length) {
      const { from, message } = queue.shift()!;
      for (const [id, peer] of peers) {
        if (id === from) continue;
        delivered++;
        const step = receiveMessage(peer, message);
        peers.set(id, step.peer);
        if (step.send) queue.push({ from: id, message: step.send });
      }
    }
  };
  return {
    peers,
    get delivered() {
      return delivered;
    },
    join(id: string, since: number, initial: TalkState) {
      const step = startPeer(id, since, initial);
      peers.set(id, step.peer);
      queue.push({ from: id, message: step.send! });
      flush();
    },
    change(id: string, change: Partial<TalkState>) {
      const step = changeLocally(peers.get(id)!, change);
      peers.set(id, step.peer);
      queue.push({ from: id, message: step.send! });
      flush();
    },
    where: (id: string) => {
      const s = peers.get(id)!.state;
      return `${s.slide}.${s.step}${s.blackout ? ' black' : ''}`;
    },
  };
}

describe('talk sync', () => {
  it('keeps audience and presenter together in both directions', () => {
    const net = network();
    net.join('audience', 1, at(0));
    net.join('presenter', 2, at(0));
    net.change('presenter', { slide: 3, step: 1 });
    expect(net.where('audience')).toBe('3.1');
    net.change('audience', { slide: 4, step: 0 });
    expect(net.where('presenter')).toBe('4.0');
    net.change('presenter', { blackout: true });
    expect(net.where('audience')).toBe('4.0 black');
  });

  it('a window that joins late takes the talk as it is, not its own deep link', () => {
    const net = network();
    net.join('audience', 1, at(0));
    net.change('audience', { slide: 12, step: 2, startedAt: 1000 });
    net.join('presenter', 5, at(0));
    expect(net.where('presenter')).toBe('12.2');
    expect(net.peers.get('presenter')!.state.startedAt).toBe(1000);
    // …and the older window does not follow the newcomer's initial position.
    net.join('second-audience', 9, at(30));
    expect(net.where('audience')).toBe('12.2');
    expect(net.where('second-audience')).toBe('12.2');
  });

  it('a fresh window joining a fresh window takes the older one’s position', () => {
    const net = network();
    net.join('audience', 1, at(7));
    net.join('presenter', 2, at(0));
    expect(net.where('presenter')).toBe('7.0');
    expect(net.where('audience')).toBe('7.0');
  });

  it('settles on one state when two windows move at the same time', () => {
    const a = startPeer('a', 1, at(0)).peer;
    const b = startPeer('b', 2, at(0)).peer;
    const fromA = changeLocally(a, at(2));
    const fromB = changeLocally(b, at(5));
    const a2 = receiveMessage(fromA.peer, fromB.send!).peer;
    const b2 = receiveMessage(fromB.peer, fromA.send!).peer;
    expect(a2.state).toEqual(b2.state);
  });

  it('ignores its own echo, stale states and foreign values', () => {
    const { peer } = startPeer('a', 1, at(0));
    const moved = changeLocally(peer, at(3));
    expect(receiveMessage(moved.peer, moved.send!).peer).toBe(moved.peer);
    const stale: SyncMessage = { type: 'state', from: 'b', since: 0, state: { ...at(1), seq: 0, origin: 'b' } };
    expect(receiveMessage(moved.peer, stale).peer.state.slide).toBe(3);
    expect(isSyncMessage({ type: 'state', from: 'x', since: 1, state: { slide: '1' } })).toBe(false);
    expect(isSyncMessage({ type: 'hello', from: 'x', since: 1 })).toBe(true);
    expect(isSyncMessage(null)).toBe(false);
  });

  it('carries a pause, and laser messages pass by the state machine', () => {
    const { peer } = startPeer('a', 1, at(0));
    const other = startPeer('b', 2, at(0)).peer;
    const paused = changeLocally(other, { startedAt: 10, pausedAt: 20 });
    const step = receiveMessage(peer, paused.send!);
    expect(step.changed).toBe(true);
    expect(step.peer.state.pausedAt).toBe(20);
    const laser: SyncMessage = { type: 'laser', from: 'b', since: 2, x: 960, y: 540 };
    expect(isSyncMessage(laser)).toBe(true);
    expect(isSyncMessage({ ...laser, x: null, y: null })).toBe(true);
    expect(isSyncMessage({ ...laser, x: 'a' })).toBe(false);
    expect(isSyncMessage({ ...laser, x: null, y: 3 })).toBe(false);
    expect(isSyncMessage({ type: 'state', from: 'x', since: 1, state: { ...at(1), seq: 1, origin: 'x', pausedAt: 'later' } })).toBe(false);
    expect(receiveMessage(step.peer, laser)).toEqual({ peer: step.peer, changed: false });
  });

  it('never loops: a change costs one message per other window', () => {
    const net = network();
    for (const [i, id] of ['a', 'b', 'c'].entries()) net.join(id, i, at(0));
    const before = net.delivered;
    net.change('b', at(1, 0));
    expect(net.delivered - before).toBe(2);
  });

  it('names the channel per site base and deck', () => {
    expect(channelName('/k8s', 'talk')).not.toBe(channelName('/', 'talk'));
  });
});
