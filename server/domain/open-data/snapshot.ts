import { sql, type Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/database.js';

/** Which state of the public data a snapshot holds: the last published event it can see. */
export interface DataVersion {
  /** Outbox position of the last published event; 0 before there is any. */
  readonly position: number;
  /** When that event happened; null before there is any. */
  readonly at: Date | null;
}

/**
 * Every change to public data appends a published outbox event in the same transaction
 * (invariant 1), and appends take turns until commit (outbox.ts), so the last published
 * position a snapshot sees names the public state it holds: two snapshots that see the same
 * position hold the same public rows. Draft events are left out, so working on a draft
 * neither changes the version nor tells anyone it happened.
 */
export async function dataVersion(trx: Transaction<Database>): Promise<DataVersion> {
  const row = await trx.selectFrom('outbox_events').select(['position', 'created_at'])
    .where('visibility', '=', 'published').orderBy('position', 'desc').limit(1).executeTakeFirst();
  return row ? { position: Number(row.position), at: row.created_at } : { position: 0, at: null };
}

/**
 * Runs `work` in one read-only REPEATABLE READ transaction: every batch it reads comes from
 * the snapshot taken at its first query (the version), whatever commits meanwhile. The level
 * is set by statement rather than by Kysely's `setIsolationLevel`, which the PGlite dialect
 * ignores; on PGlite the transaction also holds the one connection, so nothing else runs
 * until it ends (the download route keeps that short: web/open-data/download-route.ts).
 */
export function inSnapshot<T>(db: Kysely<Database>, work: (trx: Transaction<Database>, version: DataVersion) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set transaction isolation level repeatable read, read only`.execute(trx);
    return work(trx, await dataVersion(trx));
  });
}

/**
 * A new connection in a transaction that sees exactly `trx`'s snapshot (PostgreSQL's exported
 * snapshots), so a long read can go on there after `trx` ends without holding a pooled
 * connection. PostgreSQL only; the caller ends the client (`end()`), which ends the transaction.
 */
export async function openSharedSnapshot(trx: Transaction<Database>, config: pg.ClientConfig): Promise<pg.Client> {
  const { rows: [exported] } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
  const client = new pg.Client(config);
  // A connection lost mid-read fails the read; without a listener it would end the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('begin isolation level repeatable read, read only');
    // SET takes no parameters; the id is PostgreSQL's own (e.g. 00000003-0000001B-1).
    await client.query(`set transaction snapshot '${exported!.id.replace(/[^0-9A-F-]/gi, '')}'`);
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}
