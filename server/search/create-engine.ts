import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Embedder } from './embeddings/embedder.js';
import type { SearchEngine } from './engine.js';
import { createMeilisearchEngine } from './meilisearch-engine.js';
import { isUnavailable } from './meilisearch-retry.js';
import { MeilisearchVersionError } from './meilisearch-version.js';
import { createPostgresEngine } from './postgres-engine.js';

/**
 * Meilisearch when `MEILISEARCH_URL` is set, otherwise Postgres full-text search. A process
 * that only searches (a server process in server mode) gets the search key alone when one
 * is configured; workers, reindex and embedded servers get the admin key too. Both engines
 * are hybrid (words and meaning) with the embedder; Meilisearch without one ranks by words.
 */
export function createSearchEngine(config: Pick<Config, 'meilisearch'>, db: Kysely<Database>, role: 'search' | 'admin' = 'admin', embedder?: Embedder): SearchEngine {
  const meili = config.meilisearch;
  if (!meili) {
    if (!embedder) throw new Error('the Postgres search engine needs the embedder (createSearchEngine(config, db, role, embedder))');
    return createPostgresEngine(db, { embedder });
  }
  const keys = role === 'admin' || !meili.searchKey ? { apiKey: meili.apiKey, searchKey: meili.searchKey } : { searchKey: meili.searchKey };
  return createMeilisearchEngine({
    url: meili.url, ...keys, timeoutMs: meili.timeoutMs, taskTimeoutMs: meili.taskTimeoutMs, maxPayloadBytes: meili.maxPayloadBytes,
    ...(embedder ? { embedder } : {}),
  });
}

/**
 * Run when a server process starts: checks the engine's version and, with an admin key,
 * creates the index and its settings, so searches never meet a missing index. A server too
 * old is a configuration error (thrown); one that is down or refuses is logged, and search
 * degrades (SEARCH_UNAVAILABLE) until it answers.
 */
export async function prepareSearchEngine(engine: SearchEngine, logger: Logger): Promise<void> {
  try {
    await engine.ensureSettings();
  } catch (error) {
    if (error instanceof MeilisearchVersionError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (isUnavailable(error)) logger.warn('the search engine is not answering; searches fail until it does', { engine: engine.name, reason });
    else logger.error('could not prepare the search index; searches answer empty until a worker has', { engine: engine.name, reason });
  }
}
