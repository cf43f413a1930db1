/**
 * Runs async tasks one after another, in the order they were queued; a task that fails does not
 * stop the ones behind it. Sessions use it so that commands never interleave on one shell.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `fn` and resolves (or rejects) with its result once it has run. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
