import { sql } from 'kysely';
import type { DatabaseHandle } from '../server/db/connect.js';
import type { EventSignal } from '../server/events/signal.js';
import type { Logger } from '../server/logger.js';
import type { WebhookConfig } from '../server/webhooks/config.js';
import { pruneDeliveries } from '../server/webhooks/retention.js';
import type { WebhookSender } from '../server/webhooks/sender.js';
import { createWorkerLoop } from './worker-loop.js';

export const WEBHOOK_DISPATCHER = 'webhook-dispatcher';

export interface DispatcherDeps {
  readonly database: DatabaseHandle;
  readonly signal: EventSignal;
  readonly logger: Logger;
  readonly sender: WebhookSender;
  readonly config: Pick<WebhookConfig, 'concurrency' | 'pollIntervalMs' | 'deliveryRetentionDays'>;
  /** How often a standby instance tries to take over. @default 2000 */
  readonly standbyRetryMs?: number;
  /** How often the active instance prunes the delivery log (see retention.ts). @default 3600000 */
  readonly pruneEveryMs?: number;
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
export function createWebhookDispatcher({ database, signal, logger, sender, config, standbyRetryMs = 2_000, pruneEveryMs = 3_600_000 }: DispatcherDeps) {
  const db = database.db;
  const inFlight = new Map<string, Promise<void>>();
  let prunedAt = -Infinity;

  /** The delivery log would otherwise grow by one row per event and endpoint, for ever. */
  async function pruneWhenDue(): Promise<void> {
    if (Date.now() - prunedAt < pruneEveryMs) return;
    prunedAt = Date.now();
    const deleted = await pruneDeliveries(db, config.deliveryRetentionDays);
    if (deleted > 0) logger.info('pruned finished webhook deliveries past their retention', { deleted, days: config.deliveryRetentionDays });
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
    while (!loop.stopping && loop.leading) {
      const result = await sender.sendHead(endpointId);
      if (!result || result.error !== null) return;
    }
  }

  function launch(endpointId: string): void {
    const work = drain(endpointId)
      .catch((error) => logger.error('webhook attempt could not be recorded; it will be retried', { endpointId, error }))
      .finally(() => {
        inFlight.delete(endpointId);
        loop.ring();
      });
    inFlight.set(endpointId, work);
  }

  const loop = createWorkerLoop({
    name: WEBHOOK_DISPATCHER, database, signal, logger: logger.child({ consumer: WEBHOOK_DISPATCHER }),
    standbyRetryMs, initialBackoffMs: 100, maxBackoffMs: 30_000,
    /** Starts what is due, then waits until the next head falls due or something rings. */
    async step() {
      loop.takeRings();
      // An attempt that ends while the query runs may have committed after the query's
      // snapshot: its delivery would still look pending. Skip endpoints busy at the start;
      // the attempt's end rings for another round.
      const busy = new Set(inFlight.keys());
      await pruneWhenDue();
      const found = await heads();
      const now = Date.now();
      let idleMs = config.pollIntervalMs;
      for (const head of found) {
        if (busy.has(head.endpointId) || inFlight.has(head.endpointId)) continue;
        const wait = head.due.getTime() - now;
        if (wait > 0) idleMs = Math.min(idleMs, wait);
        else if (inFlight.size < config.concurrency) launch(head.endpointId);
      }
      return loop.idle(idleMs);
    },
    // Attempts in flight finish and record before leadership goes.
    settle: async () => { await Promise.all(inFlight.values()); },
  });

  return {
    name: WEBHOOK_DISPATCHER,
    /** Something may be due now (the fan-out queued deliveries in this process). */
    wake: loop.ring,
    start: loop.start,
    /** Lets attempts in flight finish and record, releases leadership; idempotent. */
    stop: loop.stop,
    status: () => ({ ...loop.status(), position: null }),
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
