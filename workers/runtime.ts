import type { DatabaseHandle } from '../server/db/connect.js';
import type { StoredEvent } from '../server/events/catalogue.js';
import { readEventsAfter } from '../server/events/reader.js';
import type { EventSignal } from '../server/events/signal.js';
import type { Logger } from '../server/logger.js';
import { advanceCursor, readCursor, recordFailure, type ConsumerCursor } from '../server/events/consumer-cursors.js';
import { createLeaderLock } from './leader-lock.js';

/** A durable outbox consumer: what it does with a batch of events. */
export interface Consumer {
  readonly name: string;
  /**
   * Applies a batch. Resolve only once the effect is durable: the cursor moves past the
   * batch right after. Must be idempotent (a crash between the two replays the batch).
   */
  handle(events: readonly StoredEvent[]): Promise<void>;
  /** Runs when this instance becomes the active one, before its first batch. */
  prepare?(): Promise<void>;
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
}

export interface ConsumerWorker {
  readonly name: string;
  start(): void;
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
export function createConsumerWorker(consumer: Consumer, options: WorkerOptions): ConsumerWorker {
  const { database, signal, batchSize = 200, pollIntervalMs = 1_000, initialBackoffMs = 100, maxBackoffMs = 30_000, standbyRetryMs = 2_000 } = options;
  const db = database.db;
  const logger = options.logger.child({ consumer: consumer.name });
  const lock = createLeaderLock(database, consumer.name, logger);
  let cursor: ConsumerCursor | undefined;
  let active = false;
  let standbyChecks = 0;
  let failures = 0;
  let lastError: string | null = null;
  let running: Promise<void> | undefined;
  let stopping = false;
  // A ring that arrives while a batch is in hand must not be lost: it marks the log dirty
  // so the loop reads again instead of sleeping.
  let dirty = false;
  let sleeper: { wake: () => void; onRing: boolean } | undefined;
  const unsubscribe = signal.subscribe(() => {
    dirty = true;
    if (sleeper?.onRing) sleeper.wake();
  });

  /** Waits `ms`, or less if stopping (or, with `onRing`, if the doorbell rings). */
  function sleep(ms: number, onRing: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (stopping || (onRing && dirty)) return resolve();
      const wake = () => { clearTimeout(timer); sleeper = undefined; resolve(); };
      const timer = setTimeout(wake, ms);
      sleeper = { wake, onRing };
    });
  }

  async function step(): Promise<void> {
    if (!lock.held) active = false;
    if (!active) {
      if (!(await lock.tryAcquire())) {
        standbyChecks++;
        return sleep(standbyRetryMs, false);
      }
      await consumer.prepare?.();
      active = true;
      logger.info('consumer active');
    }
    // Read every time, not cached: a rewind must be seen even by a worker with nothing to do.
    cursor = await readCursor(db, consumer.name);
    dirty = false;
    const events = await readEventsAfter(db, cursor.position, batchSize);
    if (events.length === 0) return sleep(pollIntervalMs, true);
    await consumer.handle(events);
    const last = events[events.length - 1]!.position;
    if (await advanceCursor(db, cursor, last)) cursor = { ...cursor, position: last };
    else logger.info('cursor was rewound; replaying from the new position');
    failures = 0;
    lastError = null;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        await step();
      } catch (error) {
        failures++;
        lastError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
        logger.error('consumer batch failed; retrying', { failures, retryInMs: Math.round(delay), error });
        await recordFailure(db, consumer.name, error).catch(() => {});
        await sleep(delay, false);
      }
    }
  }

  return {
    name: consumer.name,
    start() {
      if (running || stopping) return;
      running = loop();
    },
    async stop() {
      stopping = true;
      sleeper?.wake();
      unsubscribe();
      await running;
      await lock.release();
    },
    status: () => ({ active: active && lock.held, position: cursor?.position ?? null, failures, lastError, standbyChecks }),
  };
}
