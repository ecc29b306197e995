import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/** Where a consumer is in the outbox: it has applied every event up to `position`. */
export interface ConsumerCursor {
  readonly consumer: string;
  readonly position: number;
  /** Bumped by every rewind; an advance made against an older epoch is refused. */
  readonly epoch: number;
}

export async function readCursor(db: Kysely<Database>, consumer: string): Promise<ConsumerCursor> {
  const select = () => db.selectFrom('consumer_cursors').select(['consumer', 'position', 'epoch'])
    .where('consumer', '=', consumer).executeTakeFirst();
  let row = await select();
  if (!row) {
    await db.insertInto('consumer_cursors').values({ consumer }).onConflict((oc) => oc.column('consumer').doNothing()).execute();
    row = (await select())!;
  }
  return { consumer: row.consumer, position: Number(row.position), epoch: Number(row.epoch) };
}

/**
 * Moves the cursor to `position` if nobody rewound it since `from` was read. Returns false
 * when it was rewound: the caller re-reads the cursor and replays from there.
 */
export async function advanceCursor(db: Kysely<Database>, from: ConsumerCursor, position: number): Promise<boolean> {
  const result = await db.updateTable('consumer_cursors')
    .set({ position, updated_at: new Date(), last_error: null, last_error_at: null })
    .where('consumer', '=', from.consumer)
    .where('epoch', '=', from.epoch)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Makes a consumer replay every event after `position` (if it is not already behind it).
 * Safe while the consumer runs: the epoch bump stops an in-flight batch from moving the
 * cursor forward again.
 */
export async function rewindConsumer(db: Kysely<Database>, consumer: string, position: number): Promise<void> {
  await db.updateTable('consumer_cursors')
    .set({ position: sql<number>`least(position, ${position})`, epoch: sql<number>`epoch + 1`, updated_at: new Date() })
    .where('consumer', '=', consumer)
    .execute();
}

/** Best effort: lets `indexerStatus` show why a consumer is stuck, from any process. */
export async function recordFailure(db: Kysely<Database>, consumer: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.updateTable('consumer_cursors')
    .set({ last_error: message.slice(0, 1_000), last_error_at: new Date() })
    .where('consumer', '=', consumer)
    .execute();
}

export interface ConsumerStatus {
  readonly consumer: string;
  readonly position: number;
  readonly head: number;
  readonly lag: number;
  readonly updatedAt: Date | null;
  readonly lastError: string | null;
  readonly lastErrorAt: Date | null;
}

/** Cursor, log head and lag, read from the database so any process can report them. */
export async function consumerStatus(db: Kysely<Database>, consumer: string): Promise<ConsumerStatus> {
  const { rows } = await sql<{ position: number | null; head: number; updated_at: Date | null; last_error: string | null; last_error_at: Date | null }>`
    select c.position, coalesce((select max(position) from outbox_events), 0) as head,
           c.updated_at, c.last_error, c.last_error_at
    from (select 1) one left join consumer_cursors c on c.consumer = ${consumer}`.execute(db);
  const row = rows[0]!;
  const position = Number(row.position ?? 0);
  const head = Number(row.head);
  return {
    consumer, position, head, lag: Math.max(0, head - position),
    updatedAt: row.updated_at ? new Date(row.updated_at) : null,
    lastError: row.last_error, lastErrorAt: row.last_error_at ? new Date(row.last_error_at) : null,
  };
}
