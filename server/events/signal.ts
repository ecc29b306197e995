/**
 * A doorbell that says "new events may have committed". It never carries data: readers
 * always go back to the outbox, so a lost or duplicated ring delays nothing for long
 * (readers also poll) and loses nothing.
 */
export interface EventSignal {
  /** Rings after a commit that appended events. */
  notify(): void;
  /** Calls the listener on every ring (from this process or, for shared signals, any process). */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/** In-process only: rings reach listeners in this process. */
export function createLocalSignal(): EventSignal {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
