import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { consumerStatus } from '../events/consumer-cursors.js';
import type { Metrics } from '../kernel/metrics.js';
import { WEBHOOKS_CONSUMER } from './model.js';

/**
 * Webhook health on /metrics, read from the database so any server process can report it:
 * how far the fan-out is behind the log, what waits to be delivered and since when, and
 * how many endpoints the hub has disabled.
 */
export function registerWebhookMetrics(metrics: Metrics, db: Kysely<Database>): void {
  const pending = metrics.perScrape(() => db.selectFrom('webhook_deliveries')
    .select([
      (e) => e.fn.countAll<string>().as('count'),
      sql<number | null>`extract(epoch from now() - min(created_at))`.as('oldestSeconds'),
    ])
    .where('status', '=', 'pending').executeTakeFirstOrThrow());
  metrics.gauge('webhook_fanout_lag_events', 'Outbox events the webhooks consumer has yet to turn into deliveries',
    async () => (await consumerStatus(db, WEBHOOKS_CONSUMER)).lag);
  metrics.gauge('webhook_deliveries_pending', 'Webhook deliveries waiting to be sent or retried',
    async () => Number((await pending()).count));
  metrics.gauge('webhook_oldest_pending_delivery_seconds', 'Age of the oldest webhook delivery still waiting (0 when none)',
    async () => Math.round(Number((await pending()).oldestSeconds ?? 0)));
  metrics.gauge('webhook_endpoints_disabled', 'Webhook endpoints the hub disabled after their retries ran out',
    async () => Number((await db.selectFrom('webhook_endpoints').select((e) => e.fn.countAll<string>().as('count'))
      .where('disabled_at', 'is not', null).executeTakeFirstOrThrow()).count));
}
