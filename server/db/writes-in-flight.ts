/**
 * Counts transactions between their start and their end (commit or rollback), so the event
 * tail can let a burst of them finish and fan their events out in one go (see tail.ts), as
 * PostgreSQL's commit_delay lets concurrent commits share a flush.
 *
 * It knows this process's own transactions, and what other processes said of theirs: each
 * process's doorbell announces when it becomes busy and when it is done (postgres-signal.ts),
 * so every process waits for a burst wherever it was published, not only for its own.
 */
export interface WritesInFlight {
  /** This process's transactions in flight. */
  readonly count: number;
  begin(): void;
  end(): void;
  /** Calls `listener` when this process goes from no transactions to some (`true`), and back. */
  onLocalChange(listener: (busy: boolean) => void): () => void;
  /**
   * What another process (`origin`) last said: it has transactions in flight, or none. A
   * process that went quiet without saying it was done (it died, or the message was lost
   * while LISTEN reconnected) is not waited for after `remoteTtlMs`.
   */
  setRemote(origin: string, busy: boolean): void;
  /** Forgets every other process (LISTEN reconnected: what they said meanwhile is lost). */
  forgetRemotes(): void;
  /** Resolves once none is in flight here or, as far as we heard, elsewhere; or after `maxWaitMs`. */
  settled(maxWaitMs: number): Promise<void>;
}

export interface WritesInFlightOptions {
  /** @default 2000 */
  readonly remoteTtlMs?: number;
  readonly now?: () => number;
}

export function createWritesInFlight(options: WritesInFlightOptions = {}): WritesInFlight {
  const remoteTtlMs = options.remoteTtlMs ?? 2_000;
  const now = options.now ?? (() => performance.now());
  let count = 0;
  const remotes = new Map<string, number>(); // origin → when it said it was busy
  const waiters = new Set<() => void>();
  const localListeners = new Set<(busy: boolean) => void>();

  /** When the longest-silent busy process stops being waited for; undefined if none is busy. */
  const remoteExpiry = () => {
    let earliest: number | undefined;
    const oldest = now() - remoteTtlMs;
    for (const [origin, since] of remotes) {
      if (since < oldest) remotes.delete(origin);
      else earliest = Math.min(earliest ?? Infinity, since + remoteTtlMs);
    }
    return earliest;
  };
  const isSettled = () => count === 0 && remoteExpiry() === undefined;
  const wakeIfSettled = () => {
    if (waiters.size === 0 || !isSettled()) return;
    for (const wake of [...waiters]) wake();
  };

  return {
    get count() { return count; },
    begin() {
      if (count++ === 0) for (const listener of localListeners) listener(true);
    },
    end() {
      if (--count > 0) return;
      for (const listener of localListeners) listener(false);
      wakeIfSettled();
    },
    onLocalChange(listener) {
      localListeners.add(listener);
      return () => { localListeners.delete(listener); };
    },
    setRemote(origin, busy) {
      if (busy) { remotes.set(origin, now()); return; }
      if (remotes.delete(origin)) wakeIfSettled();
    },
    forgetRemotes() {
      remotes.clear();
      wakeIfSettled();
    },
    settled(maxWaitMs) {
      if (isSettled()) return Promise.resolve();
      const deadline = now() + maxWaitMs;
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const wake = () => { clearTimeout(timer); waiters.delete(wake); resolve(); };
        // Wake at the deadline, or earlier when a silent process stops being waited for.
        const check = () => {
          if (isSettled() || now() >= deadline) return wake();
          timer = setTimeout(check, Math.max(1, Math.min(deadline, remoteExpiry() ?? deadline) - now()));
        };
        waiters.add(wake);
        check();
      });
    },
  };
}
