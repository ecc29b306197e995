import type { DatabaseHandle } from '../server/db/connect.js';
import type { StoredEvent } from '../server/events/catalogue.js';
import { readEventsAfter } from '../server/events/reader.js';
import type { EventSignal } from '../server/events/signal.js';
import type { Logger } from '../server/logger.js';
import { advanceCursor, readCursor, recordFailure, type ConsumerCursor } from '../server/events/consumer-cursors.js';
import { noFaults, type FaultHook } from './fault-points.js';
import { createWorkerLoop } from './worker-loop.js';

/** A durable outbox consumer: what it does with a batch of events. */
export interface Consumer {
  readonly name: string;
  /**
   * Applies a batch. Resolve only once the effect is durable: the cursor moves past the
   * batch right after. Must be idempotent (a crash between the two replays the batch).
   * `midBatch` marks the point where part of the effect is written (tests aim crashes there).
   */
  handle(events: readonly StoredEvent[], midBatch: () => Promise<void>): Promise<void>;
  /** Runs when this instance becomes the active one, before its first batch. */
  prepare?(): Promise<void>;
  /**
   * The last position this consumer may handle yet, when it depends on another consumer
   * having handled an event first (notifications wait for the search index). @default no limit
   */
  horizon?(): Promise<number>;
}

export interface WorkerOptions {
  readonly database: DatabaseHandle;
  readonly signal: EventSignal;
  readonly logger: Logger;
  /** Events per batch. @default 200 */
  readonly batchSize?: number;
  /** Longest wait for new events without a doorbell ring. @default 1000 */
  readonly pollIntervalMs?: number;
  /** First retry delay after a failure; doubles per consecutive failure. @default 100 */
  readonly initialBackoffMs?: number;
  /** @default 30000 */
  readonly maxBackoffMs?: number;
  /** How often a standby instance tries to take over. @default 2000 */
  readonly standbyRetryMs?: number;
  /** Test only: called at each named point of the cycle (fault-points.ts). @default none */
  readonly faults?: FaultHook;
}

export interface ConsumerWorkerOptions extends WorkerOptions {
  /** Called after the cursor moved (wakes consumers whose horizon is this one). */
  readonly onAdvanced?: () => void;
}

export interface ConsumerWorker {
  readonly name: string;
  start(): void;
  /** Looks for new events now instead of at the next ring or poll. */
  wake(): void;
  /** Finishes the batch in hand, releases leadership and resolves; idempotent. */
  stop(): Promise<void>;
  /** This instance's view: whether it leads, where it is, how it last failed. */
  status(): { active: boolean; position: number | null; failures: number; lastError: string | null; standbyChecks: number };
}

/**
 * Runs one consumer: one loop, one batch at a time, in outbox order. The cursor is read
 * from the database before each batch and moves only after `handle` resolved, with a
 * compare-and-set against the epoch it read: a crash replays at most one batch, and a
 * rewind (reindex) is neither overwritten by a batch in flight nor missed by an idle
 * worker. Failures retry the same batch with exponential back-off and jitter; an event is
 * never skipped.
 */
export function createConsumerWorker(consumer: Consumer, options: ConsumerWorkerOptions): ConsumerWorker {
  const { database, batchSize = 200, pollIntervalMs = 1_000, initialBackoffMs = 100, maxBackoffMs = 30_000, standbyRetryMs = 2_000 } = options;
  const db = database.db;
  const faults = options.faults ?? noFaults;
  let cursor: ConsumerCursor | undefined;
  const loop = createWorkerLoop({
    name: consumer.name, database, signal: options.signal, logger: options.logger.child({ consumer: consumer.name }),
    standbyRetryMs, initialBackoffMs, maxBackoffMs,
    ...(consumer.prepare ? { activate: consumer.prepare } : {}),
    onFailure: (error) => recordFailure(db, consumer.name, error),
    async step() {
      // Read every time, not cached: a rewind must be seen even by a worker with nothing to do.
      cursor = await readCursor(db, consumer.name);
      loop.takeRings();
      const horizon = consumer.horizon ? await consumer.horizon() : Infinity;
      const events = (await readEventsAfter(db, cursor.position, batchSize)).filter((event) => event.position <= horizon);
      if (events.length === 0) return loop.idle(pollIntervalMs);
      await consumer.handle(events, () => faults(consumer.name, 'mid-batch'));
      await faults(consumer.name, 'after-effect');
      const last = events[events.length - 1]!.position;
      if (await advanceCursor(db, cursor, last)) {
        cursor = { ...cursor, position: last };
        options.onAdvanced?.();
      } else options.logger.info('cursor was rewound; replaying from the new position', { consumer: consumer.name });
      await faults(consumer.name, 'after-cursor');
    },
  });

  return {
    name: consumer.name,
    start: loop.start,
    wake: loop.ring,
    stop: loop.stop,
    status: () => ({ ...loop.status(), position: cursor?.position ?? null }),
  };
}
