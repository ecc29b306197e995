import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { SEARCH_INDEXER } from './engine.js';

/**
 * Whether a search indexer is keeping the index in step with the outbox. In server mode the
 * indexer runs in `npm run worker`; started without one, search answers from an index
 * nothing fills, so it stays empty or stale without an error anywhere. This says so.
 */
export interface IndexerHealth {
  /**
   * `current`: nothing has waited long. `never-run`: events wait and no indexer has ever
   * started on this database. `stalled`: events have waited, and the indexer not moved, for
   * over `staleAfterMs`.
   */
  readonly state: 'current' | 'never-run' | 'stalled';
  /** Events the indexer has yet to apply. */
  readonly waiting: number;
  /** When the indexer last moved (started, applied events or was rewound), if ever. */
  readonly lastMovedAt: Date | null;
  /** A sentence for whoever reads the log or /readyz; absent when `current`. */
  readonly warning?: string;
}

/** "For a while": an indexer alive applies an event within a second or two. */
export const INDEXER_STALE_AFTER_MS = 60_000;

export interface IndexerHealthOptions {
  /** Whether this process runs the indexer itself (embedded mode): it changes the advice. */
  readonly inProcess: boolean;
  /** @default INDEXER_STALE_AFTER_MS */
  readonly staleAfterMs?: number;
}

/** Read from the database, with the database's clock, so any process can tell. */
export async function indexerHealth(db: Kysely<Database>, options: IndexerHealthOptions): Promise<IndexerHealth> {
  const staleAfterMs = options.staleAfterMs ?? INDEXER_STALE_AFTER_MS;
  const { rows } = await sql<{ position: number | null; head: number; moved_at: Date | null; moved_ms_ago: number | null; oldest_waiting_ms: number | null }>`
    select c.position, coalesce((select max(position) from outbox_events), 0) as head,
           c.updated_at as moved_at, extract(epoch from now() - c.updated_at) * 1000 as moved_ms_ago,
           (select extract(epoch from now() - e.created_at) * 1000 from outbox_events e
             where e.position > coalesce(c.position, 0) order by e.position limit 1) as oldest_waiting_ms
    from (select 1) one left join consumer_cursors c on c.consumer = ${SEARCH_INDEXER}`.execute(db);
  const row = rows[0]!;
  const waiting = Math.max(0, Number(row.head) - Number(row.position ?? 0));
  const lastMovedAt = row.moved_at === null ? null : new Date(row.moved_at);
  if (waiting === 0) return { state: 'current', waiting, lastMovedAt };
  const remedy = options.inProcess
    ? 'this process runs the indexer: see the indexerStatus query for its last error'
    : 'start a worker (`npm run worker`) against the same database';
  if (row.position === null) {
    return {
      state: 'never-run', waiting, lastMovedAt,
      warning: `no search indexer has run on this database and ${waiting} events wait to be indexed, so search will miss them; ${remedy}`,
    };
  }
  const stale = (ms: number | null) => ms !== null && Number(ms) > staleAfterMs;
  if (stale(row.moved_ms_ago) && stale(row.oldest_waiting_ms)) {
    const minutes = Math.floor(Number(row.moved_ms_ago) / 60_000);
    return {
      state: 'stalled', waiting, lastMovedAt,
      warning: `the search indexer has not moved for ${minutes} minutes and ${waiting} events wait to be indexed, so search will miss them; ${remedy}`,
    };
  }
  return { state: 'current', waiting, lastMovedAt };
}
