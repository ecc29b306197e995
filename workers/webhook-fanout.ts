import type { Kysely } from 'kysely';
import type { Database } from '../server/db/database.js';
import type { StoredEvent } from '../server/events/catalogue.js';
import { matchesFilter } from '../server/events/filter.js';
import { generateWebhookId } from '../server/webhooks/signing.js';
import { endpointEventFilter, toEndpoint, WEBHOOKS_CONSUMER } from '../server/webhooks/model.js';
import type { Consumer } from './runtime.js';

/** Rows per insert, well inside PostgreSQL's 65,535 parameters per statement. */
const INSERT_CHUNK = 1_000;

/**
 * Turns events into deliveries: one row per event per endpoint whose types and filter it
 * matches. Only published events leave the hub: a draft's events never become deliveries,
 * whoever owns the endpoint (invariant 5). Replaying a batch inserts nothing twice (a
 * unique key on endpoint and position), so the cursor may move after the insert commits
 * (invariant 3). Paused and disabled endpoints still queue, so re-enabling one loses
 * nothing.
 */
export function createWebhookFanout({ db, onQueued }: { db: Kysely<Database>; onQueued: () => void }): Consumer {
  return {
    name: WEBHOOKS_CONSUMER,
    async handle(events: readonly StoredEvent[], midBatch) {
      const published = events.filter((event) => event.visibility === 'published');
      if (published.length === 0) return;
      const endpoints = (await db.selectFrom('webhook_endpoints').selectAll().execute())
        .map((row) => ({ id: row.id, from: Number(row.from_position), filter: endpointEventFilter(toEndpoint(row)) }));
      const now = new Date();
      // Position order, so the dispatcher, which sends each endpoint's lowest pending
      // position first, never sees a later event before an earlier one of the same batch.
      const rows = published.flatMap((event) => endpoints
        .filter((endpoint) => event.position > endpoint.from && matchesFilter(event, endpoint.filter))
        .map((endpoint) => ({ endpoint_id: endpoint.id, event_position: event.position, webhook_id: generateWebhookId(), next_attempt_at: now })));
      if (rows.length === 0) return;
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        if (i > 0) await midBatch();
        await db.insertInto('webhook_deliveries').values(rows.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['endpoint_id', 'event_position']).doNothing()).execute();
      }
      onQueued();
    },
  };
}
