import { createConnection, type Socket } from 'node:net';

/** What a client asks a live-state daemon; one request per connection, as one JSON line. */
export type LiveRequest =
  | { op: 'verify'; onlySteps?: string[]; showActual: boolean; color: boolean; recordsDir?: string }
  | { op: 'run'; blocks: string[]; showActual: boolean; color: boolean }
  | { op: 'stop'; color: boolean }
  | { op: 'status' };

/** What a daemon sends back: console lines as they come, then the exit status. */
export type LiveReply = { t: 'out'; s: string } | { t: 'done'; status: number; message?: string };

/** Splits a stream of bytes into JSON lines. */
export function readJsonLines<T>(socket: Socket, onMessage: (m: T) => void): void {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.trim()) onMessage(JSON.parse(line) as T);
    }
  });
}

/** Options of {@link sendRequest}. */
export interface SendOptions {
  /** Receives the daemon's console text as it arrives. */
  onOutput?: (s: string) => void;
  /** Aborting asks the daemon to stop the request (it answers with its status, usually 130). */
  signal?: AbortSignal;
}

/**
 * Sends one request to the daemon listening on `socketPath` and resolves with its exit status.
 * Rejects when the daemon cannot be reached or hangs up before it answered.
 */
export function sendRequest(socketPath: string, req: LiveRequest, o: SendOptions = {}): Promise<{ status: number; message?: string }> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(socketPath);
    let done = false;
    const onAbort = () => socket.write(JSON.stringify({ op: 'abort' }) + '\n');
    socket.on('connect', () => {
      socket.write(JSON.stringify(req) + '\n');
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
    readJsonLines<LiveReply>(socket, (m) => {
      if (m.t === 'out') o.onOutput?.(m.s);
      else {
        done = true;
        o.signal?.removeEventListener('abort', onAbort);
        socket.end();
        resolvePromise({ status: m.status, message: m.message });
      }
    });
    socket.on('error', (e) => {
      if (!done) reject(e);
    });
    socket.on('close', () => {
      o.signal?.removeEventListener('abort', onAbort);
      if (!done) reject(new Error('the live-state daemon hung up before it answered'));
    });
  });
}
