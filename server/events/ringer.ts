export interface Ringer {
  (): void;
  /** Resolves when nothing is in flight (for a clean close). */
  idle(): Promise<void>;
}

/**
 * Coalesces doorbell rings: at most one `send` in flight and one queued behind it. A ring
 * only says "look again", so a burst of N commits needs two sends, not N; the queued one
 * guarantees that a commit made during a send is still announced after it.
 */
export function createRinger(send: () => Promise<void>, onError: (error: unknown) => void): Ringer {
  let inFlight: Promise<void> | undefined;
  let queued = false;
  const ring = (() => {
    if (inFlight) { queued = true; return; }
    inFlight = send()
      .catch(onError)
      .finally(() => {
        inFlight = undefined;
        if (queued) { queued = false; ring(); }
      });
  }) as Ringer;
  ring.idle = async () => { while (inFlight) await inFlight; };
  return ring;
}
