/**
 * How many replay reads (one page of `events(after:)` each) run at once in this process.
 * Each subscriber's replay already pays for every event it delivers (event-allowance.ts);
 * the gate bounds the pace of all replays together, so forty clients replaying the whole
 * log take turns at a few statements at a time while live subscribers, whose events come
 * from the tail and never wait here, keep their latency.
 */
export function createReplayGate(maxConcurrent: number) {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new Error('a replay gate needs at least 1 place');
  const waiting: (() => void)[] = [];
  let running = 0;
  let peak = 0;

  async function enter(): Promise<void> {
    if (running < maxConcurrent) { running++; peak = Math.max(peak, running); return; }
    // The place is handed over by `leave` (running stays the same), in arrival order.
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function leave(): void {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    /** Runs one replay read when a place is free, first come first served. */
    async run<T>(read: () => Promise<T>): Promise<T> {
      await enter();
      try {
        return await read();
      } finally {
        leave();
      }
    },
    /** The most reads that ran at once (metrics and tests). */
    get peak(): number { return peak; },
    get waiting(): number { return waiting.length; },
  };
}

export type ReplayGate = ReturnType<typeof createReplayGate>;
