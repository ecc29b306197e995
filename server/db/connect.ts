import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { lockDataDir } from './data-dir-lock.js';
import { INT8_OID, parseTextArray, parseTimestamptz, TEXT_ARRAY_OID, TIMESTAMPTZ_OID } from './type-parsers.js';

const FAST_PARSERS = new Map<number, (value: string) => unknown>([
  // Positions and counts are bigint; they stay far below 2^53, so plain numbers are safe.
  [INT8_OID, Number],
  [TIMESTAMPTZ_OID, parseTimestamptz],
  [TEXT_ARRAY_OID, parseTextArray],
]);

export type DatabaseEngine = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** PostgreSQL connection string; absent selects embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; absent keeps the embedded database in memory (tests). */
  dataDir?: string | undefined;
  /** A PGlite data directory dump to start from (tests clone a migrated template). */
  loadDataDir?: Blob | undefined;
  /** Called with every SQL statement, for logging and statement-count tests. */
  onQuery?: (sql: string) => void;
  /** Pool size for PostgreSQL. @default 10 */
  poolSize?: number;
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** The PGlite instance in embedded mode, for LISTEN; undefined on PostgreSQL. */
  readonly pglite: PGlite | undefined;
  /** Connection settings for PostgreSQL, for dedicated LISTEN connections. */
  readonly pgConfig: pg.ClientConfig | undefined;
  close(): Promise<void>;
}

export async function connectDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const log = options.onQuery
    ? (event: LogEvent) => { if (event.level === 'query') options.onQuery!(event.query.sql); }
    : undefined;
  if (options.url) return connectPostgres(options.url, options.poolSize ?? 10, log);
  return connectPglite(options, log);
}

async function connectPostgres(url: string, poolSize: number, log?: (e: LogEvent) => void): Promise<DatabaseHandle> {
  const pgConfig: pg.ClientConfig = {
    connectionString: url,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => FAST_PARSERS.get(oid) ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser },
  };
  // A new connection's first search costs 30 to 90 ms more than the next (loading the text
  // search dictionaries and catalog entries): pg-pool's default of closing a connection idle
  // for 10 s would charge that to nearly every search of a quiet hub. Idle connections are
  // kept for minutes instead, without holding a finished script open.
  const pool = new pg.Pool({ ...pgConfig, max: poolSize, idleTimeoutMillis: 5 * 60_000, allowExitOnIdle: true });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  // Nor a checked-out one: the pool listens only to idle clients, so a connection the server
  // drops between two statements of a transaction would be an uncaught 'error' event. The
  // client's next query fails instead, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
  let closed = false;
  return {
    db, engine: 'postgres', pglite: undefined, pgConfig,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function connectPglite(options: DatabaseOptions, log?: (e: LogEvent) => void): Promise<DatabaseHandle> {
  // One process at a time per data directory (see data-dir-lock.ts); in memory needs no lock.
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { pg_trgm },
      parsers: { [INT8_OID]: (value: string) => Number(value) },
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  // Kysely's PGlite dialect reports a single connection, so Kysely hands it to one
  // transaction at a time: concurrent requests queue rather than share a transaction.
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), ...(log ? { log } : {}) });
  let closed = false;
  return {
    db, engine: 'pglite', pglite, pgConfig: undefined,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}
