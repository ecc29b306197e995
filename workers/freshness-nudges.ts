import type { DatabaseHandle } from '../server/db/connect.js';
import type { EventSignal } from '../server/events/signal.js';
import { createNudger, type NudgeConfig } from '../server/freshness/nudger.js';
import type { Logger } from '../server/logger.js';
import { createWorkerLoop } from './worker-loop.js';

export const FRESHNESS_NUDGES = 'freshness-nudges';

export interface FreshnessNudgesDeps {
  readonly database: DatabaseHandle;
  readonly signal: EventSignal;
  readonly logger: Logger;
  readonly config: NudgeConfig;
  /** Queue a nudge email as well as the inbox row. */
  readonly queueEmail: boolean;
  /** The time now; tests move it by hand. @default () => new Date() */
  readonly clock?: () => Date;
  /** @default 2000 */
  readonly standbyRetryMs?: number;
}

/**
 * Runs the nudger (server/freshness/nudger.ts) every `pollIntervalMs`, one active instance
 * across processes (advisory lock, as every worker loop). Its writes are events like any
 * other, so it rings the doorbell after a run that wrote some: live inboxes, the email
 * sender and the search indexer look again.
 */
export function createFreshnessNudges({ database, signal, logger, config, queueEmail, clock = () => new Date(), standbyRetryMs = 2_000 }: FreshnessNudgesDeps) {
  const nudger = createNudger({ db: database.db, config, queueEmail });
  const loop = createWorkerLoop({
    name: FRESHNESS_NUDGES, database, signal, logger: logger.child({ worker: FRESHNESS_NUDGES }),
    standbyRetryMs, initialBackoffMs: 1_000, maxBackoffMs: 300_000,
    async step() {
      const { nudged, marked } = await nudger.run(clock());
      if (nudged + marked > 0) {
        logger.info('freshness nudges', { nudged, marked });
        signal.notify();
        return; // a full batch may have left more
      }
      // Rings are not waited for: no event makes an item due sooner.
      return loop.rest(config.pollIntervalMs);
    },
  });
  return {
    name: FRESHNESS_NUDGES,
    /** Runs a pass now rather than at the end of its rest. */
    wake: loop.nudge,
    start: loop.start,
    stop: loop.stop,
    status: () => ({ ...loop.status(), position: null }),
  };
}
