import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneDeliveries } from '../../server/webhooks/retention.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { IN_PROCESS_WEBHOOK_ENV } from '../support/webhook-receiver.js';

const DAY_MS = 86_400_000;

describe.each(testDatabases())('pruning the webhook delivery log on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let endpointId: string;
  beforeAll(async () => {
    database = await engine.create();
    const council = await createCouncil(database.db);
    endpointId = (await database.db.insertInto('webhook_endpoints').values({
      council_id: council.id, url: 'https://crm.example.gov.uk/hooks', event_types: ['problem.published'], from_position: 0,
      // Inactive: the dispatcher started below must only prune, not try to send.
      active: false,
    }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => { await database?.close(); });

  /** A delivery created `ageDays` ago, with one attempt per `attempts`. */
  async function delivery(status: 'pending' | 'succeeded' | 'failed', ageDays: number, attempts = 1): Promise<string> {
    const createdAt = new Date(Date.now() - ageDays * DAY_MS);
    const { id } = await database.db.insertInto('webhook_deliveries').values({
      endpoint_id: endpointId, webhook_id: `msg_${randomUUID()}`, status, attempts, created_at: createdAt, last_attempt_at: createdAt,
    }).returning('id').executeTakeFirstOrThrow();
    for (let i = 0; i < attempts; i++) {
      await database.db.insertInto('webhook_attempts').values({ delivery_id: id, status_code: 500, duration_ms: 12, attempted_at: createdAt }).execute();
    }
    return id;
  }
  const remaining = async () => (await database.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId).execute()).map((r) => r.id).sort();
  const attemptsOf = async (ids: string[]) => (await database.db.selectFrom('webhook_attempts').select('delivery_id')
    .where('delivery_id', 'in', ids).execute()).length;

  it('deletes finished deliveries past their retention with their attempts, in batches, and keeps pending ones however old', async () => {
    const old = [await delivery('succeeded', 40, 2), await delivery('failed', 31, 9), await delivery('succeeded', 35), await delivery('failed', 60, 0)];
    const kept = [await delivery('pending', 90, 3), await delivery('succeeded', 29), await delivery('failed', 1)];
    // A batch of 3 makes the pruning take two statements.
    expect(await pruneDeliveries(database.db, 30, new Date(), 3)).toBe(4);
    expect(await remaining()).toEqual([...kept].sort());
    expect(await attemptsOf(old)).toBe(0);
    expect(await attemptsOf(kept)).toBe(5);
    expect(await pruneDeliveries(database.db, 30)).toBe(0);
    await database.db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', endpointId).execute();
  });

  it('is done by the running dispatcher, after WEBHOOKS_DELIVERY_RETENTION_DAYS', async () => {
    const old = await delivery('succeeded', 3);
    const recent = await delivery('succeeded', 1);
    const hub = await startTestApp(database, { ...IN_PROCESS_WEBHOOK_ENV, WEBHOOKS_DELIVERY_RETENTION_DAYS: '2' });
    try {
      await waitFor(async () => !(await remaining()).includes(old), { what: 'the dispatcher to prune the old delivery' });
      expect(await remaining()).toEqual([recent]);
    } finally {
      await hub.close();
    }
  });
});
