import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // What a member follows. `key` says what is followed in one string (kind and target), so
  // following the same thing twice is one row. `email` overrides the member's own setting.
  await db.schema
    .createTable('follows')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()
      .check(sql`kind in ('service_area', 'council', 'item', 'saved_search', 'problem_outcomes')`))
    .addColumn('service_area', 'text')
    .addColumn('council_id', 'uuid', (c) => c.references('councils.id').onDelete('cascade'))
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'uuid')
    .addColumn('query', 'text')
    .addColumn('filter', 'jsonb')
    .addColumn('email', 'text', (c) => c.notNull().defaultTo('default')
      .check(sql`email in ('default', 'immediate', 'daily', 'weekly', 'off')`))
    .addColumn('key', 'text', (c) => c.notNull())
    // The outbox head when the follow was made: it hears of later events only, however far
    // behind the notifications consumer is.
    .addColumn('from_position', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('follows_member_key').on('follows').columns(['member_id', 'key']).unique().execute();
  await db.schema.createIndex('follows_kind_idx').on('follows').columns(['kind', 'member_id']).execute();

  await db.schema
    .createTable('member_email_settings')
    .addColumn('member_id', 'uuid', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email in ('immediate', 'daily', 'weekly', 'off')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The inbox. One row per member and event: a replayed batch adds nothing (invariant 3).
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Inbox order and the live inbox's place; one writer (the consumer's leader) commits
    // them in order.
    .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('event_position', 'bigint', (c) => c.notNull())
    .addColumn('follow_id', 'uuid', (c) => c.references('follows.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notifications_member_event_key').on('notifications').columns(['member_id', 'event_position']).unique().execute();
  // The email queue reads a batch's rows by position.
  await db.schema.createIndex('notifications_event_idx').on('notifications').column('event_position').execute();
  await sql`create index notifications_unread_idx on notifications (member_id) where read_at is null`.execute(db);
  await db.schema.createIndex('notifications_inbox_idx').on('notifications').columns(['member_id', 'seq']).execute();

  // The sent-log: one row per email that is owed. Its key names the member and the period
  // (or the event, for an immediate email), so an email is queued once however often the
  // work behind it is replayed, and a sent row is never sent again.
  await db.schema
    .createTable('email_sends')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('immediate', 'daily', 'weekly')`))
    .addColumn('from_position', 'bigint', (c) => c.notNull())
    .addColumn('to_position', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'empty')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await sql`create index email_sends_pending_idx on email_sends (next_attempt_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('email_sends_member_idx').on('email_sends').columns(['member_id', 'kind', 'to_position']).execute();

  // A digest period is planned once: its marker and its rows commit together.
  await db.schema
    .createTable('email_digest_runs')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    // Digests of this run cover notifications for events after the previous run's
    // to_position up to this one: no gap and no overlap between periods.
    .addColumn('to_position', 'bigint', (c) => c.notNull())
    .addColumn('planned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('email_digest_runs_pk', ['kind', 'period'])
    .execute();

  // Keys the hub makes for itself (the email link signing key) when none is configured.
  await db.schema
    .createTable('hub_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['hub_secrets', 'email_digest_runs', 'email_sends', 'notifications', 'member_email_settings', 'follows']) {
    await db.schema.dropTable(table).execute();
  }
}
