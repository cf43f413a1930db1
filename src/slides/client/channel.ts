/**
 * The wire between windows of one deck: BroadcastChannel, or where it is missing, localStorage
 * `storage` events (fired in every other window of the origin). Both carry SyncMessages, checked
 * before use. Only windows of the same browser profile and origin hear each other, so a public
 * deployment cannot steer anyone else's slides.
 */
import { isSyncMessage, type SyncMessage } from '../sync.ts';

/** A channel to the deck's other windows. */
export interface Channel {
  kind: 'broadcast' | 'storage';
  post: (message: SyncMessage) => void;
}

/** Opens the channel `name`; `onMessage` gets every valid message from another window. */
export function openChannel(name: string, onMessage: (message: SyncMessage) => void): Channel {
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event) => {
      if (isSyncMessage(event.data)) onMessage(event.data);
    };
    return { kind: 'broadcast', post: (message) => channel.postMessage(message) };
  }
  const key = `${name}:message`;
  addEventListener('storage', (event) => {
    if (event.key !== key || !event.newValue) return;
    try {
      const value: unknown = JSON.parse(event.newValue);
      if (isSyncMessage(value)) onMessage(value);
    } catch {
      // Someone else's value under our key: not a message.
    }
  });
  let n = 0;
  return {
    kind: 'storage',
    // The counter makes every write a change, so two equal messages both fire an event.
    post: (message) => localStorage.setItem(key, JSON.stringify({ ...message, n: ++n })),
  };
}
