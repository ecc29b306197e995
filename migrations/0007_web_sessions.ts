import { sql, type Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // Signed-in web sessions. Only a hash of the cookie's value is stored, so a leaked copy of
  // the table cannot be replayed as a cookie. The member is joined on every request, so a
  // removal or role change takes effect on the member's next page.
  await db.schema
    .createTable('web_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('web_sessions_member_idx').on('web_sessions').column('member_id').execute();

  // An OpenID Connect sign-in between the redirect to the identity provider and its callback:
  // single use, keyed by a hash of the `state` the browser carries in a cookie.
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The email domains a council's staff may sign in from, set by the council's admins.
  await db.schema
    .createTable('council_sign_in_domains')
    .addColumn('council_id', 'uuid', (c) => c.notNull().references('councils.id'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('council_sign_in_domains_pk', ['council_id', 'domain'])
    .execute();
  await sql`create index members_email_lower_idx on members (lower(email))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('members_email_lower_idx').execute();
  await db.schema.dropTable('council_sign_in_domains').execute();
  await db.schema.dropTable('sign_in_attempts').execute();
  await db.schema.dropTable('web_sessions').execute();
}
