/**
 * An async iterator fed by pushes: the bridge from the event tail's callbacks to the
 * AsyncIterable that GraphQL subscriptions consume.
 *
 * `return()` resolves a pending `next()` at once. An async generator cannot do that: it
 * only sees the return after its pending `await` settles, so a subscriber waiting for a
 * quiet channel would never be released when its client goes away.
 */
export interface PushIterator<T> extends AsyncIterableIterator<T> {
  /** Queues a value; ignored once the iterator is closed. */
  push(value: T): void;
  /** Ends the stream after the queued values have been consumed. */
  end(): void;
  /** Drops the queue and makes the next `next()` throw `error`. */
  fail(error: unknown): void;
  /** Resolves when fewer than `below` values wait in the queue (or the iterator closed). */
  drained(below: number): Promise<void>;
  readonly size: number;
  readonly closed: boolean;
  return(): Promise<IteratorResult<T>>;
}

const DONE = Object.freeze({ done: true as const, value: undefined });

export interface PushIteratorHooks<T> {
  /** Runs once, when the consumer returns or reads the end of the stream. */
  onClose?: () => void;
  /** Runs for each value as the consumer takes it. */
  onTake?: (value: T) => void;
}

export function createPushIterator<T>({ onClose = () => {}, onTake = () => {} }: PushIteratorHooks<T> = {}): PushIterator<T> {
  const queue: T[] = [];
  let head = 0;
  let ended = false;
  let closed = false;
  let failure: { error: unknown } | undefined;
  let waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  let drainWaiters: { below: number; resolve: () => void }[] = [];

  const size = () => queue.length - head;

  function close(): void {
    if (closed) return;
    closed = true;
    queue.length = 0;
    head = 0;
    for (const waiter of drainWaiters) waiter.resolve();
    drainWaiters = [];
    onClose();
  }

  function take(): T {
    const value = queue[head]!;
    queue[head++] = undefined as T;
    // Compact now and then so a long-lived subscriber's queue does not grow without end.
    if (head > 1024 && head * 2 > queue.length) { queue.splice(0, head); head = 0; }
    if (drainWaiters.length > 0) {
      const left = size();
      drainWaiters = drainWaiters.filter((w) => (w.below > left ? (w.resolve(), false) : true));
    }
    onTake(value);
    return value;
  }

  const iterator: PushIterator<T> = {
    push(value) {
      if (closed || ended || failure) return;
      if (waiting) {
        const { resolve } = waiting;
        waiting = undefined;
        onTake(value);
        resolve({ done: false, value });
      } else {
        queue.push(value);
      }
    },
    end() {
      ended = true;
      if (waiting && size() === 0) {
        const { resolve } = waiting;
        waiting = undefined;
        close();
        resolve(DONE);
      }
    },
    fail(error) {
      if (closed) return;
      failure = { error };
      queue.length = 0;
      head = 0;
      if (waiting) {
        const { reject } = waiting;
        waiting = undefined;
        close();
        reject(error);
      }
    },
    drained(below) {
      if (closed || size() < below) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push({ below, resolve }));
    },
    get size() { return size(); },
    get closed() { return closed; },
    next() {
      if (failure && !closed) {
        close();
        return Promise.reject(failure.error);
      }
      if (size() > 0) return Promise.resolve({ done: false, value: take() });
      if (closed || ended) {
        close();
        return Promise.resolve(DONE);
      }
      return new Promise((resolve, reject) => { waiting = { resolve, reject }; });
    },
    async return() {
      const pending = waiting;
      waiting = undefined;
      close();
      pending?.resolve(DONE);
      return DONE;
    },
    async throw(error?: unknown) {
      await iterator.return();
      throw error;
    },
    [Symbol.asyncIterator]() { return iterator; },
  };
  return iterator;
}
