import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('councils')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('gss_code', 'text', (c) => c.unique())
    .addColumn('website', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('member', 'editor', 'admin')`))
    .addColumn('is_platform_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('removed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('members_council_idx').on('members').column('council_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_tokens_member_idx').on('api_tokens').column('member_id').execute();

  await createContentTable(db, 'problems', (t) =>
    t
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open')
        .check(sql`status in ('open', 'exploring', 'solved', 'archived')`))
      .addColumn('supporter_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('solution_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('adoption_count', 'integer', (c) => c.notNull().defaultTo(0)),
  );

  await createContentTable(db, 'solutions', (t) =>
    t
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'archived')`))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('licence', 'text')
      .addColumn('url', 'text')
      .addColumn('cost_band', 'text')
      .addColumn('adoption_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('problem_count', 'integer', (c) => c.notNull().defaultTo(0)),
  );

  await createContentTable(db, 'case_studies', (t) =>
    t
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'archived')`))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('lessons', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('cost_pounds', 'bigint')
      .addColumn('savings_claimed_pounds', 'bigint')
      .addColumn('evidence_url', 'text'),
  );

  await db.schema
    .createTable('problem_supporters')
    .addColumn('problem_id', 'uuid', (c) => c.notNull().references('problems.id'))
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('problem_supporters_pk', ['problem_id', 'council_id'])
    .execute();
  await db.schema.createIndex('problem_supporters_council_idx').on('problem_supporters').column('council_id').execute();

  await db.schema
    .createTable('solution_partners')
    .addColumn('solution_id', 'uuid', (c) => c.notNull().references('solutions.id'))
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addPrimaryKeyConstraint('solution_partners_pk', ['solution_id', 'council_id'])
    .execute();

  await db.schema
    .createTable('solution_problems')
    .addColumn('solution_id', 'uuid', (c) => c.notNull().references('solutions.id'))
    .addColumn('problem_id', 'uuid', (c) => c.notNull().references('problems.id'))
    .addColumn('linked_by_council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('solution_problems_pk', ['solution_id', 'problem_id'])
    .execute();
  await db.schema.createIndex('solution_problems_problem_idx').on('solution_problems').column('problem_id').execute();

  await db.schema
    .createTable('adoptions')
    .addColumn('solution_id', 'uuid', (c) => c.notNull().references('solutions.id'))
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('stage', 'text', (c) => c.notNull()
      .check(sql`stage in ('considering', 'piloting', 'adopted', 'rejected')`))
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('adoptions_pk', ['solution_id', 'council_id'])
    .execute();
  await db.schema.createIndex('adoptions_council_idx').on('adoptions').column('council_id').execute();

  for (const target of ['solution', 'problem'] as const) {
    await db.schema
      .createTable(`case_study_${target}s`)
      .addColumn('case_study_id', 'uuid', (c) => c.notNull().references('case_studies.id'))
      .addColumn(`${target}_id`, 'uuid', (c) => c.notNull().references(`${target}s.id`))
      .addPrimaryKeyConstraint(`case_study_${target}s_pk`, ['case_study_id', `${target}_id`])
      .execute();
    await db.schema.createIndex(`case_study_${target}s_target_idx`).on(`case_study_${target}s`)
      .column(`${target}_id`).execute();
  }

  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('problem', 'solution', 'case_study')`))
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('comments_subject_idx').on('comments').columns(['subject_id', 'created_at']).execute();

  // The outbox: one row per domain event, written in the same transaction as the change.
  // `position` is allocated while holding an advisory lock (see server/events/outbox.ts),
  // so positions are handed out in commit order and readers never skip a late commit.
  await db.schema
    .createTable('outbox_events')
    .addColumn('position', 'bigserial', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('council_id', 'uuid', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('draft', 'published')`))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('outbox_events_subject_idx').on('outbox_events').columns(['subject_id', 'position']).execute();
}

async function createContentTable(
  db: Kysely<any>,
  name: string,
  extra: (t: ReturnType<Kysely<any>['schema']['createTable']>) => ReturnType<Kysely<any>['schema']['createTable']>,
): Promise<void> {
  const base = db.schema
    .createTable(name)
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('service_area', 'text', (c) => c.notNull())
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('draft').check(sql`visibility in ('draft', 'published')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    // Millisecond precision, as in JavaScript dates, so keyset cursors compare exactly.
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`date_trunc('milliseconds', now())`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz');
  await extra(base).execute();
  // Listing pages are keyset-paginated by (created_at, id) within a visibility.
  await db.schema.createIndex(`${name}_listing_idx`).on(name).columns(['visibility', 'created_at', 'id']).execute();
  await db.schema.createIndex(`${name}_council_idx`).on(name).columns(['council_id', 'created_at']).execute();
  await db.schema.createIndex(`${name}_service_area_idx`).on(name).columns(['service_area', 'created_at']).execute();
  await db.schema.createIndex(`${name}_tags_idx`).on(name).using('gin').column('tags').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbox_events', 'comments', 'case_study_problems', 'case_study_solutions', 'adoptions',
    'solution_problems', 'solution_partners', 'problem_supporters', 'case_studies', 'solutions',
    'problems', 'api_tokens', 'members', 'councils',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
