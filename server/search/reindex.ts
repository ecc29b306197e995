import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { rewindConsumer } from '../events/consumer-cursors.js';
import { headPosition } from '../events/reader.js';
import { allDocuments, countSearchable } from './documents.js';
import { SEARCH_INDEXER, type SearchEngine } from './engine.js';

export interface ReindexProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * Rebuilds the index from the content tables while search stays online: the engine builds
 * beside (Meilisearch) or over (Postgres) the live index, and the indexer keeps running.
 *
 * Items change while the rebuild reads them, and the indexer may write an item just before
 * the rebuild writes an older copy of it. So the log head is read first, and when the
 * rebuild is live the indexer is rewound to that position: it replays every change made
 * since, from the current state, after the rebuild's last write. Nothing is left stale.
 */
export async function reindex(deps: {
  db: Kysely<Database>;
  engine: SearchEngine;
  pageSize?: number;
  onProgress?: (progress: ReindexProgress) => void;
}): Promise<{ documents: number; replayFrom: number }> {
  const { db, engine, pageSize = 1_000, onProgress } = deps;
  const replayFrom = await headPosition(db);
  const total = await countSearchable(db);
  await engine.ensureSettings();
  const rebuild = await engine.beginRebuild();
  let done = 0;
  onProgress?.({ done, total });
  for await (const documents of allDocuments(db, pageSize)) {
    await rebuild.upsert(documents);
    done += documents.length;
    onProgress?.({ done, total: Math.max(total, done) });
  }
  // Rewound as soon as the switch is certain, not once it is confirmed: a swap whose wait
  // times out still happens, and the changes made meanwhile must reach the new index.
  await rebuild.finish(() => rewindConsumer(db, SEARCH_INDEXER, replayFrom));
  return { documents: done, replayFrom };
}
