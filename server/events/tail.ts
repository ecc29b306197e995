import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { WritesInFlight } from '../db/writes-in-flight.js';
import type { Logger } from '../logger.js';
import type { StoredEvent } from './catalogue.js';
import { headPosition, readEventsAfter } from './reader.js';
import type { EventSignal } from './signal.js';

export type TailListener = (events: readonly StoredEvent[]) => void;

export interface EventTail {
  /** The last position read: listeners have been given every event up to it, in order. */
  readonly position: number;
  readonly listenerCount: number;
  /**
   * Calls `listener` with each batch of new events, in position order, never twice for one
   * event; `onStop` runs if the tail stops first (the process is shutting down).
   */
  subscribe(listener: TailListener, onStop?: () => void): () => void;
  /** Reads now instead of waiting for the next ring or poll (tests, diagnostics). */
  wake(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface EventTailOptions {
  readonly db: Kysely<Database>;
  readonly signal: EventSignal;
  readonly logger: Logger;
  /**
   * The doorbell can be lost (a dropped LISTEN connection, a NOTIFY sent while it was
   * reconnecting); polling bounds how late an event can then be. @default 1500
   */
  readonly pollIntervalMs?: number;
  /** Events read per statement. @default 500 */
  readonly batchSize?: number;
  /** Listeners handed a batch before the tail lets other I/O run. @default 50 */
  readonly listenersPerTurn?: number;
  /**
   * This process's transactions in flight. When the tail wakes while some are, it waits
   * for them to end, up to `batchWaitMs`, and reads their events with the one that woke it:
   * a burst of publishes then reaches each socket in one write rather than one per event,
   * which costs the burst's later events less than it costs its first ones.
   */
  readonly writes?: WritesInFlight;
  /** @default 50; 0 reads at once */
  readonly batchWaitMs?: number;
  /** Told of each batch as the tail starts handing it to listeners (metrics). */
  readonly onFanOut?: (events: readonly StoredEvent[]) => void;
}

/**
 * One reader of the outbox per process. It starts at the head of the log, reads after its
 * last position whenever the signal rings (and on a slow timer), and hands each batch to
 * every in-process listener: N subscribers cost one query per wake-up, not N.
 *
 * Reading "after the last position" is gap-free because appends take turns until commit
 * (see outbox.ts): no event can later appear below a position already read.
 */
export function createEventTail(options: EventTailOptions): EventTail {
  const { db, signal, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1500;
  const batchSize = options.batchSize ?? 500;
  const listenersPerTurn = options.listenersPerTurn ?? 50;
  const batchWaitMs = options.batchWaitMs ?? 50;
  const listeners = new Map<TailListener, (() => void) | undefined>();
  let position = 0;
  let reading: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  async function readUntilCaughtUp(): Promise<void> {
    do {
      if (options.writes && batchWaitMs > 0) await options.writes.settled(batchWaitMs);
      again = false;
      for (;;) {
        const events = await readEventsAfter(db, position, batchSize);
        if (events.length === 0 || stopped) break;
        position = events[events.length - 1]!.position;
        options.onFanOut?.(events);
        await deliver(events);
        if (events.length < batchSize) break;
      }
    } while (again && !stopped);
  }

  /**
   * Handing a batch to thousands of subscribers sets off one long run of microtasks (each
   * subscriber's execution and send). Between slices of listeners the tail yields to the
   * event loop, so database replies (the next commits, queries) are not held up behind a
   * whole fan-out, and publishing keeps pace with delivery.
   */
  async function deliver(events: readonly StoredEvent[]): Promise<void> {
    const targets = [...listeners.keys()];
    for (let i = 0; i < targets.length; i++) {
      if (i > 0 && i % listenersPerTurn === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        targets[i]!(events);
      } catch (error) {
        logger.error('an event tail listener failed', { error });
      }
    }
  }

  function wake(): void {
    if (stopped) return;
    // A ring during a read may announce a commit that read missed: read once more after it.
    if (reading) { again = true; return; }
    reading = readUntilCaughtUp()
      .catch((error) => logger.warn('the event tail could not read the outbox; retrying on the next poll', { error }))
      .finally(() => { reading = undefined; });
  }

  return {
    get position() { return position; },
    get listenerCount() { return listeners.size; },
    subscribe(listener, onStop) {
      // Wrapped, so one function subscribed twice is two subscriptions.
      const entry: TailListener = (events) => listener(events);
      listeners.set(entry, onStop);
      return () => { listeners.delete(entry); };
    },
    wake,
    async start() {
      if (!stopped) return;
      position = await headPosition(db);
      stopped = false;
      unsubscribe = signal.subscribe(wake);
      // Polling only guards listeners against lost rings: with none, it rests (an idle fleet
      // of servers should not query the database every second and a half).
      timer = setInterval(() => { if (listeners.size > 0) wake(); }, pollIntervalMs);
      timer.unref();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      clearInterval(timer);
      await reading;
      const onStops = [...listeners.values()];
      listeners.clear();
      for (const onStop of onStops) onStop?.();
    },
  };
}
