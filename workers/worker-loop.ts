import type { DatabaseHandle } from '../server/db/connect.js';
import type { EventSignal } from '../server/events/signal.js';
import type { Logger } from '../server/logger.js';
import { createLeaderLock } from './leader-lock.js';

export interface WorkerLoopOptions {
  /** The leadership lock's name: one active instance per name across processes. */
  readonly name: string;
  readonly database: DatabaseHandle;
  /** Rings wake an `idle` wait early. */
  readonly signal: EventSignal;
  readonly logger: Logger;
  readonly standbyRetryMs: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Runs when this instance becomes the active one, before its first step. */
  readonly activate?: () => Promise<void>;
  /** One unit of work while active; it ends by returning `idle(...)` when there is nothing to do. */
  readonly step: () => Promise<void>;
  /** After a failed step, before the back-off wait (best effort). */
  readonly onFailure?: (error: unknown) => Promise<void>;
  /** After the loop has ended and before leadership is released: finish work in flight. */
  readonly settle?: () => Promise<void>;
}

/**
 * The loop every worker shares: take leadership or stand by, run steps one after another,
 * back off exponentially (with jitter) after a failure, stop cleanly. A ring that arrives
 * while a step is in hand is not lost: it marks the loop dirty, so the next `idle` returns
 * at once instead of sleeping. A standby or backing-off instance ignores rings: each lock
 * attempt costs a connection.
 */
export function createWorkerLoop(options: WorkerLoopOptions) {
  const { logger, standbyRetryMs, initialBackoffMs, maxBackoffMs } = options;
  const lock = createLeaderLock(options.database, options.name, logger);
  let active = false;
  let stopping = false;
  let running: Promise<void> | undefined;
  let failures = 0;
  let lastError: string | null = null;
  let standbyChecks = 0;
  let dirty = false;
  let sleeper: { wake: () => void; onRing: boolean } | undefined;
  const ring = () => {
    dirty = true;
    if (sleeper?.onRing) sleeper.wake();
  };
  const unsubscribe = options.signal.subscribe(ring);

  /** Waits `ms`, or less if stopping (or, with `onRing`, if the doorbell rings). */
  function sleep(ms: number, onRing: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (stopping || (onRing && dirty)) return resolve();
      const wake = () => { clearTimeout(timer); sleeper = undefined; resolve(); };
      const timer = setTimeout(wake, ms);
      sleeper = { wake, onRing };
    });
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        if (!lock.held) active = false;
        if (!active) {
          if (!(await lock.tryAcquire())) {
            standbyChecks++;
            await sleep(standbyRetryMs, false);
            continue;
          }
          await options.activate?.();
          active = true;
          logger.info('worker active');
        }
        await options.step();
        failures = 0;
        lastError = null;
      } catch (error) {
        failures++;
        lastError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
        logger.error('worker step failed; retrying', { failures, retryInMs: Math.round(delay), error });
        await options.onFailure?.(error).catch(() => {});
        await sleep(delay, false);
      }
    }
  }

  return {
    /** Marks the moment a step starts reading: rings from now on make `idle` return early. */
    takeRings(): void { dirty = false; },
    /** Waits up to `ms` for a ring (one may already have come since `takeRings`). */
    idle: (ms: number) => sleep(ms, true),
    /** Waits `ms` whatever rings (a stop still ends it): for work that events do not make due. */
    rest: (ms: number) => sleep(ms, false),
    /** Ends any wait now, `rest` included. */
    nudge(): void { sleeper?.wake(); },
    /** Rings this loop only: something may be due (work queued in this process). */
    ring,
    get stopping() { return stopping; },
    get leading() { return active && lock.held; },
    start(): void {
      if (running || stopping) return;
      running = loop();
    },
    async stop(): Promise<void> {
      stopping = true;
      sleeper?.wake();
      unsubscribe();
      await running;
      await options.settle?.();
      await lock.release();
    },
    status: () => ({ active: active && lock.held, failures, lastError, standbyChecks }),
  };
}
