import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../server/events/outbox.js';
import type { NewEvent } from '../../server/events/catalogue.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';

/**
 * appendEvent takes the append lock and draws its position in one statement; invariant 2
 * holds only if the position is drawn after the lock is granted. A writer that drew first
 * and then queued could commit its lower position after a later writer's higher one.
 *
 * Needs three connections at once, so PostgreSQL only: PGlite has one connection, where
 * transactions cannot overlap and the order inside the statement cannot show.
 */
describe('outbox append on postgres (PGlite skipped: one connection, appends cannot overlap)', () => {
  let database: TestDatabaseHandle;
  let event: NewEvent;

  beforeAll(async () => {
    database = await postgresDatabase.create({ poolSize: 4 });
    const councilId = (await createCouncil(database.db)).id;
    event = { type: 'problem.updated', subjectType: 'problem', subjectId: randomUUID(), councilId, visibility: 'published', payload: {} };
  });
  afterAll(async () => {
    await database?.close();
  });

  it('draws a waiting writer\'s position only once the lock is granted', async () => {
    const { db } = database;
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => { commitFirst = resolve; });
    let firstAppended!: (position: number) => void;
    const firstPosition = new Promise<number>((resolve) => { firstAppended = resolve; });
    const first = db.transaction().execute(async (trx) => {
      firstAppended(await appendEvent(trx, event));
      await firstMayCommit;
    });
    const held = await firstPosition;

    const second = db.transaction().execute((trx) => appendEvent(trx, event));
    await waitFor(async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`.execute(db);
      return rows[0]!.n === 1;
    }, { what: 'the second writer to queue for the append lock' });
    // Drawn while the second writer waits: it must come out above this.
    const { rows } = await sql<{ n: number }>`select nextval('outbox_events_position_seq')::int as n`.execute(db);
    const drawnWhileWaiting = rows[0]!.n;

    commitFirst();
    await first;
    const position = await second;
    expect(drawnWhileWaiting).toBeGreaterThan(held);
    expect(position).toBeGreaterThan(drawnWhileWaiting);
  });
});
