import type { Kysely } from 'kysely';

// Migrations are frozen history: they import nothing from the app and use Kysely<any>.

export async function up(db: Kysely<any>): Promise<void> {
  // An email was unique across the hub, so adding a member told a council's admin whether
  // the address belonged to someone in another council (issue 12, finding 5). It is now
  // unique within a council; sign-in picks among a person's memberships (auth/identities.ts).
  await db.schema.alterTable('members').dropConstraint('members_email_key').execute();
  await db.schema.alterTable('members').addUniqueConstraint('members_council_email_key', ['council_id', 'email']).execute();
  // Sign-in finds a person's memberships through members_email_lower_idx (0007).
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').dropConstraint('members_council_email_key').execute();
  await db.schema.alterTable('members').addUniqueConstraint('members_email_key', ['email']).execute();
}
