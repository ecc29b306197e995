import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { createProblemService } from '../../server/domain/problems.js';
import { consumerStatus } from '../../server/events/consumer-cursors.js';
import { createLocalSignal } from '../../server/events/signal.js';
import { createLogger } from '../../server/logger.js';
import { SEARCH_INDEXER, type SearchDocument, type SearchEngine } from '../../server/search/engine.js';
import { createPostgresEngine } from '../../server/search/postgres-engine.js';
import { reindex, type ReindexProgress } from '../../server/search/reindex.js';
import { createWorkers } from '../../workers/workers.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';
import { testEmbedder } from '../support/embedder.js';

describe.each(testDatabases())('reindex while the indexer runs, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await engine.create(); });
  afterAll(async () => database?.close());

  it('rebuilds from the database, keeps answering searches, and loses no change made meanwhile', async () => {
    const signal = createLocalSignal();
    const problems = createProblemService({ db: database.db, transact: createTransact(database.db, () => signal.notify()) });
    const searchEngine = createPostgresEngine(database.db, { embedder: await testEmbedder() });
    const { a } = await createTwoCouncils(database.db);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const p = await problems.create(a.editor.viewer, { title: `Pavement licence ${i} renewals by post`, summary: 'Cafes renew on paper.', serviceArea: 'licensing_protection' });
      await problems.publish(a.editor.viewer, p.id);
      ids.push(p.id);
    }
    const workers = createWorkers({ database, signal, logger: createLogger('silent'), searchEngine, pollIntervalMs: 50 });
    workers.start();
    try {
      await waitFor(async () => (await consumerStatus(database.db, SEARCH_INDEXER)).lag === 0, { what: 'the indexer to catch up' });
      // Drift the index from the database, as a lost write or a settings change would.
      await database.db.deleteFrom('search_documents').where('id', 'in', ids.slice(0, 10)).execute();
      await sql`insert into search_documents (id, kind, council_id, council_name, title, summary, service_area, status, updated_at, search)
        values ('00000000-0000-4000-8000-0000000000ff', 'problem', ${a.council.id}, 'Gone', 'Stale', 'Not in the database', 'waste', 'open', now(), to_tsvector('stale'))`
        .execute(database.db);

      const progress: ReindexProgress[] = [];
      const searchesDuring: number[] = [];
      // Force the race a rewind exists for: after the rebuild has read a page, one item is
      // retitled and another archived, and the indexer applies both before the rebuild
      // writes its older copies of them.
      let raced = false;
      const racing: SearchEngine = {
        ...searchEngine,
        async beginRebuild() {
          const rebuild = await searchEngine.beginRebuild();
          return {
            ...rebuild,
            async upsert(documents) {
              if (!raced && documents.length >= 2) {
                raced = true;
                const [retitled, archived] = documents as [SearchDocument, SearchDocument];
                const current = await database.db.selectFrom('problems').select('version').where('id', '=', retitled.id).executeTakeFirstOrThrow();
                await problems.update(a.editor.viewer, { id: retitled.id, version: current.version, title: 'Pavement licences renewed online' });
                await problems.archive(a.editor.viewer, archived.id);
                await waitFor(async () => {
                  const rows = await database.db.selectFrom('search_documents').select(['id', 'title']).where('id', 'in', [retitled.id, archived.id]).execute();
                  return rows.length === 1 && rows[0]!.title === 'Pavement licences renewed online';
                }, { what: 'the indexer to apply both changes first' });
              }
              await rebuild.upsert(documents);
            },
          };
        },
      };
      const result = await reindex({
        db: database.db, engine: racing, pageSize: 7,
        onProgress: (p) => {
          progress.push(p);
          void searchEngine.search({ query: 'pavement licence', offset: 0, limit: 1 }).then((r) => searchesDuring.push(r.total));
        },
      });
      expect(raced).toBe(true);
      expect(progress.at(-1)).toEqual({ done: result.documents, total: result.documents });
      expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((x, y) => x - y));
      await waitFor(() => searchesDuring.length === progress.length);
      expect(Math.min(...searchesDuring)).toBeGreaterThan(0); // search never went dark

      await waitFor(async () => (await consumerStatus(database.db, SEARCH_INDEXER)).lag === 0, { what: 'the replay after the rewind' });
      const expected = await database.db.selectFrom('problems').select(['id', 'title'])
        .where('visibility', '=', 'published').where('status', '<>', 'archived').orderBy('id').execute();
      const indexed = await database.db.selectFrom('search_documents').select(['id', 'title']).orderBy('id').execute();
      expect(indexed).toEqual(expected);
      expect(expected).toHaveLength(59);
    } finally {
      await workers.stop();
    }
  });
});
