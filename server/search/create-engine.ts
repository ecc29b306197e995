import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { SearchEngine } from './engine.js';
import { createMeilisearchEngine } from './meilisearch-engine.js';
import { createPostgresEngine } from './postgres-engine.js';

/** Meilisearch when `MEILISEARCH_URL` is set, otherwise Postgres full-text search. */
export function createSearchEngine(config: Pick<Config, 'meilisearch'>, db: Kysely<Database>): SearchEngine {
  return config.meilisearch
    ? createMeilisearchEngine({ url: config.meilisearch.url, apiKey: config.meilisearch.apiKey })
    : createPostgresEngine(db);
}
