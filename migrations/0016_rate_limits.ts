import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Rate-limit counters shared by every server process (issue 12), in the shape
  // rate-limiter-flexible's RateLimiterPostgres reads and writes: one row per key and window.
  // Unlogged: every request writes here, and a counter lost in a crash only forgives a few
  // requests, so the write-ahead log would cost far more than it saves.
  await db.schema
    .createTable('rate_limits')
    .modifyFront(sql`unlogged`)
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    // Milliseconds since the epoch; the library clears rows that expired an hour ago.
    .addColumn('expire', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
