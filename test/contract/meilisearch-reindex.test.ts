import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { createProblemService } from '../../server/domain/problems.js';
import { advanceCursor, readCursor } from '../../server/events/consumer-cursors.js';
import { headPosition } from '../../server/events/reader.js';
import { SEARCH_INDEXER, type SearchEngine } from '../../server/search/engine.js';
import { createMeilisearchEngine } from '../../server/search/meilisearch-engine.js';
import { reindex } from '../../server/search/reindex.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils } from '../support/factories.js';
import { startRecordingMeilisearch, type RecordingMeilisearch } from '../support/recording-meilisearch.js';

// Problem 5: the indexer must replay what changed during a rebuild once the swap is queued,
// even when waiting for the swap or dropping the old index then fails.
describe('reindex into Meilisearch when the end of the rebuild fails (recording double)', () => {
  let database: TestDatabaseHandle;
  let double: RecordingMeilisearch;
  let publish: (title: string) => Promise<void>;
  beforeAll(async () => {
    database = await pgliteDatabase.create();
    const people = await createTwoCouncils(database.db);
    const problems = createProblemService({ db: database.db, transact: createTransact(database.db) });
    publish = async (title) => {
      const problem = await problems.create(people.a.editor.viewer, { title, summary: 'Written during a rebuild.', serviceArea: 'highways_transport' });
      await problems.publish(people.a.editor.viewer, problem.id);
    };
    await publish('Street lights reported by phone');
  });
  afterAll(async () => database?.close());
  beforeEach(async () => { double = await startRecordingMeilisearch(); });
  afterEach(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
  });

  /**
   * Runs a reindex during which an item is published and the indexer (played here by hand)
   * applies it to the old index and moves its cursor past it; returns where the rebuild
   * started reading and the cursor afterwards.
   */
  async function reindexWhileWriting(failEnd: () => void, taskTimeoutMs = 60_000) {
    const engine = createMeilisearchEngine({ url: double.url, taskPollMs: 1, taskTimeoutMs });
    await engine.ensureSettings();
    const cursor = await readCursor(database.db, SEARCH_INDEXER);
    await advanceCursor(database.db, cursor, await headPosition(database.db));
    const startedAt = await headPosition(database.db);
    // The rebuild writes its documents, then the item changes and the indexer applies it.
    const writing: SearchEngine = {
      ...engine,
      async beginRebuild() {
        const rebuild = await engine.beginRebuild();
        return {
          async upsert(documents) {
            await rebuild.upsert(documents);
            await publish(`Changed during rebuild ${startedAt}`);
            await advanceCursor(database.db, await readCursor(database.db, SEARCH_INDEXER), await headPosition(database.db));
            failEnd();
          },
          finish: (onSwapEnqueued) => rebuild.finish(onSwapEnqueued),
        };
      },
    };
    const outcome = await reindex({ db: database.db, engine: writing })
      .then(() => 'finished', (error: Error) => error.message);
    return { outcome, startedAt, cursor: await readCursor(database.db, SEARCH_INDEXER) };
  }

  it('rewinds the indexer when waiting for the swap times out (the swap still happens later)', async () => {
    const { outcome, startedAt, cursor } = await reindexWhileWriting(() => double.holdTasks('indexSwap'), 2_000);
    expect(outcome).toMatch(/timeout of 2000ms/);
    expect(cursor.position).toBe(startedAt);
    double.releaseTasks();
  });

  it('rewinds the indexer when dropping the old index fails after the swap', async () => {
    const { outcome, startedAt, cursor } = await reindexWhileWriting(() => double.failTasks('indexDeletion', 1));
    expect(outcome).toMatch(/indexDeletion\) failed/);
    expect(cursor.position).toBe(startedAt);
  });

  it('rewinds the indexer when everything succeeds', async () => {
    const { outcome, startedAt, cursor } = await reindexWhileWriting(() => undefined);
    expect(outcome).toBe('finished');
    expect(cursor.position).toBe(startedAt);
  });
});
