import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { consumerStatus } from '../events/consumer-cursors.js';
import type { Metrics } from '../kernel/metrics.js';
import { SEARCH_INDEXER } from './engine.js';

/** Indexer progress on /metrics, read from the database so any server process can report it. */
export function registerSearchMetrics(metrics: Metrics, db: Kysely<Database>): void {
  const status = metrics.perScrape(() => consumerStatus(db, SEARCH_INDEXER));
  metrics.gauge('search_indexer_position', 'Outbox position the search indexer has applied', async () => (await status()).position);
  metrics.gauge('outbox_head_position', 'Position of the newest committed outbox event', async () => (await status()).head);
  metrics.gauge('search_indexer_lag_events', 'Outbox events the search indexer has yet to apply', async () => (await status()).lag);
}
