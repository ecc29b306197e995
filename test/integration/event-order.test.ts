import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { appendEvent } from '../../server/events/outbox.js';
import { createPgliteSignal } from '../../server/events/pglite-signal.js';
import { createPostgresSignal } from '../../server/events/postgres-signal.js';
import type { EventSignal } from '../../server/events/signal.js';
import { createEventTail } from '../../server/events/tail.js';
import { createLogger } from '../../server/logger.js';
import { pgliteDatabase, postgresDatabase, type TestDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger('silent');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (max: number) => sleep(Math.floor(Math.random() * max));

/**
 * Invariant 2: a reader that has seen position P never later misses an event below P. Many
 * writers hold their transactions open for random times, before and after appending, and
 * some roll back, while the tail reads as often as it can. The reader must see each
 * committed event exactly once, in position order, and nothing that rolled back.
 */
const cases: { engine: TestDatabase; name: string; iterations: number; writers: number; perWriter: number }[] = [
  { engine: postgresDatabase, name: 'concurrent writers on postgres, 20 runs in a row', iterations: 20, writers: 10, perWriter: 5 },
  // PGlite has one connection: its transactions queue, so only the sequential variant exists.
  { engine: pgliteDatabase, name: 'sequential variant on pglite (one connection: writers queue)', iterations: 3, writers: 4, perWriter: 6 },
];

describe.each(cases)('gap-free event order: $name', ({ engine, iterations, writers, perWriter }) => {
  let database: TestDatabaseHandle;
  let signal: EventSignal;
  let councilId: string;

  beforeAll(async () => {
    database = await engine.create({ poolSize: writers + 4 });
    signal = database.engine === 'postgres'
      ? createPostgresSignal({ clientConfig: database.pgConfig!, db: database.db, logger })
      : await createPgliteSignal(database.pglite!, logger);
    councilId = (await createCouncil(database.db)).id;
  });
  afterAll(async () => {
    await signal?.close();
    await database?.close();
  });

  it('the tail sees every committed event once, in position order, under concurrent commits', async () => {
    const transact = createTransact(database.db, () => signal.notify());
    for (let run = 1; run <= iterations; run++) {
      // Poll as fast as possible, on top of the doorbell, to catch any late commit.
      const tail = createEventTail({ db: database.db, signal, logger, pollIntervalMs: 1, batchSize: 7 });
      await tail.start();
      const start = tail.position;
      const seen: number[] = [];
      const seenSubjects: string[] = [];
      tail.subscribe((events) => {
        for (const event of events) { seen.push(event.position); seenSubjects.push(event.subjectId); }
      });

      const committed: string[] = [];
      const rolledBack: string[] = [];
      await Promise.all(Array.from({ length: writers }, async () => {
        for (let i = 0; i < perWriter; i++) {
          const subjectId = randomUUID();
          const rollBack = Math.random() < 0.15;
          try {
            await transact(async (trx) => {
              await jitter(6);
              await appendEvent(trx, {
                type: 'problem.updated', subjectType: 'problem', subjectId, councilId, visibility: 'published', payload: { run },
              });
              // Holding the transaction open after appending is what lets a later position
              // commit first when appends do not take turns.
              await jitter(4);
              if (rollBack) throw new Error('roll back');
            });
            committed.push(subjectId);
          } catch {
            rolledBack.push(subjectId);
          }
        }
      }));

      const stored = await database.db.selectFrom('outbox_events').select(['position', 'subject_id'])
        .where('position', '>', start).orderBy('position').execute();
      await waitFor(() => tail.position >= stored[stored.length - 1]!.position, { what: `run ${run}: the tail to catch up` });
      await tail.stop();

      expect(seen, `run ${run}: positions in order, each once`).toEqual(stored.map((r) => r.position));
      expect(new Set(seenSubjects), `run ${run}: the committed events`).toEqual(new Set(committed));
      expect(seenSubjects.filter((s) => rolledBack.includes(s)), `run ${run}: nothing rolled back`).toEqual([]);
      expect(committed.length + rolledBack.length).toBe(writers * perWriter);
    }
  }, 240_000);
});
