/**
 * Counts this process's transactions between their start and their end (commit or
 * rollback), so the event tail can let a burst of them finish and fan their events out in
 * one go (see tail.ts), as PostgreSQL's commit_delay lets concurrent commits share a flush.
 */
export interface WritesInFlight {
  readonly count: number;
  begin(): void;
  end(): void;
  /** Resolves once none is in flight, or after `maxWaitMs`, whichever comes first. */
  settled(maxWaitMs: number): Promise<void>;
}

export function createWritesInFlight(): WritesInFlight {
  let count = 0;
  const waiters = new Set<() => void>();
  return {
    get count() { return count; },
    begin() { count++; },
    end() {
      if (--count > 0) return;
      for (const wake of [...waiters]) wake();
    },
    settled(maxWaitMs) {
      if (count === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = () => { clearTimeout(timer); waiters.delete(wake); resolve(); };
        const timer = setTimeout(wake, maxWaitMs);
        waiters.add(wake);
      });
    },
  };
}
