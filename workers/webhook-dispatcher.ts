import { sql } from 'kysely';
import type { DatabaseHandle } from '../server/db/connect.js';
import type { EventSignal } from '../server/events/signal.js';
import type { Logger } from '../server/logger.js';
import type { WebhookConfig } from '../server/webhooks/config.js';
import type { WebhookSender } from '../server/webhooks/sender.js';
import { createLeaderLock } from './leader-lock.js';

export const WEBHOOK_DISPATCHER = 'webhook-dispatcher';

export interface DispatcherDeps {
  readonly database: DatabaseHandle;
  readonly signal: EventSignal;
  readonly logger: Logger;
  readonly sender: WebhookSender;
  readonly config: Pick<WebhookConfig, 'concurrency' | 'pollIntervalMs'>;
  /** How often a standby instance tries to take over. @default 2000 */
  readonly standbyRetryMs?: number;
}

/** An active endpoint's oldest pending delivery: when it is due. */
interface Head {
  readonly endpointId: string;
  readonly due: Date;
}

/**
 * Sends deliveries, per endpoint strictly in position order with one in flight, endpoints
 * independently of each other. Each round asks for every active endpoint's oldest pending
 * delivery (its head) and starts those that are due, up to `concurrency` endpoints at once;
 * a head that failed waits for its retry and holds back only its own endpoint's queue. A
 * general-purpose job queue would not do: it runs the next job when one fails, and order
 * is lost. Like the consumers, one instance is active across processes (advisory lock).
 */
export function createWebhookDispatcher({ database, signal, logger: parent, sender, config, standbyRetryMs = 2_000 }: DispatcherDeps) {
  const db = database.db;
  const logger = parent.child({ consumer: WEBHOOK_DISPATCHER });
  const lock = createLeaderLock(database, WEBHOOK_DISPATCHER, logger);
  const inFlight = new Map<string, Promise<void>>();
  let active = false;
  let stopping = false;
  let running: Promise<void> | undefined;
  let failures = 0;
  let lastError: string | null = null;
  let standbyChecks = 0;
  // A wake-up that arrives while a round is running must not be lost.
  let dirty = false;
  let wakeSleeper: (() => void) | undefined;
  const wake = () => {
    dirty = true;
    wakeSleeper?.();
  };
  const unsubscribe = signal.subscribe(wake);

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopping || dirty) return resolve();
      const done = () => { clearTimeout(timer); wakeSleeper = undefined; resolve(); };
      const timer = setTimeout(done, ms);
      wakeSleeper = done;
    });
  }

  async function heads(): Promise<Head[]> {
    // One index probe per active endpoint (webhook_deliveries_pending_idx).
    const { rows } = await sql<{ endpoint_id: string; next_attempt_at: Date | null }>`
      select e.id as endpoint_id, h.next_attempt_at
      from webhook_endpoints e
      cross join lateral (
        select d.next_attempt_at from webhook_deliveries d
        where d.endpoint_id = e.id and d.status = 'pending'
        order by d.event_position limit 1
      ) h
      where e.active`.execute(db);
    return rows.map((r) => ({ endpointId: r.endpoint_id, due: r.next_attempt_at ? new Date(r.next_attempt_at) : new Date(0) }));
  }

  /**
   * Sends an endpoint's due deliveries one after another until one fails or none is due:
   * a backlog drains without waiting for a round. Each head is read after the previous
   * attempt committed, so none is sent twice.
   */
  async function drain(endpointId: string): Promise<void> {
    while (!stopping && lock.held) {
      const result = await sender.sendHead(endpointId);
      if (!result || result.error !== null) return;
    }
  }

  function launch(endpointId: string): void {
    const work = drain(endpointId)
      .catch((error) => logger.error('webhook attempt could not be recorded; it will be retried', { endpointId, error }))
      .finally(() => {
        inFlight.delete(endpointId);
        wake();
      });
    inFlight.set(endpointId, work);
  }

  /** Starts what is due; returns how long to sleep before the next head falls due. */
  async function round(): Promise<number> {
    dirty = false;
    // An attempt that ends while the query runs may have committed after the query's
    // snapshot: its delivery would still look pending. Skip endpoints busy at the start;
    // the attempt's end wakes another round.
    const busy = new Set(inFlight.keys());
    const found = await heads();
    const now = Date.now();
    let sleepMs = config.pollIntervalMs;
    for (const head of found) {
      if (busy.has(head.endpointId) || inFlight.has(head.endpointId)) continue;
      const wait = head.due.getTime() - now;
      if (wait > 0) sleepMs = Math.min(sleepMs, wait);
      else if (inFlight.size < config.concurrency) launch(head.endpointId);
    }
    return sleepMs;
  }

  async function step(): Promise<void> {
    if (!lock.held) active = false;
    if (!active) {
      if (!(await lock.tryAcquire())) {
        standbyChecks++;
        return sleep(standbyRetryMs);
      }
      active = true;
      logger.info('dispatcher active');
    }
    await sleep(await round());
    failures = 0;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        await step();
      } catch (error) {
        failures++;
        lastError = error instanceof Error ? error.message : String(error);
        logger.error('webhook dispatch round failed; retrying', { failures, error });
        await sleep(Math.min(30_000, 100 * 2 ** Math.min(failures, 9)));
      }
    }
  }

  return {
    name: WEBHOOK_DISPATCHER,
    /** Something may be due now (new deliveries were queued in this process). */
    wake,
    start(): void {
      if (running || stopping) return;
      running = loop();
    },
    /** Lets attempts in flight finish and record, releases leadership; idempotent. */
    async stop(): Promise<void> {
      stopping = true;
      wakeSleeper?.();
      unsubscribe();
      await running;
      await Promise.all(inFlight.values());
      await lock.release();
    },
    status: () => ({ active: active && lock.held, position: null, failures, lastError, standbyChecks }),
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
