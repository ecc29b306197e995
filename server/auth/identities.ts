import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/** Who to ask for access: a council's admins, by name and work email. */
export interface CouncilAdmins {
  readonly council: string;
  readonly admins: readonly { readonly name: string; readonly email: string }[];
}

/** What an identity from the provider (or the demo list) signs in as. */
export type IdentityMatch =
  | { readonly kind: 'member'; readonly memberId: string }
  | { readonly kind: 'unverified' }
  /** No member has this email; the council whose sign-in domain it is, when one claims it. */
  | { readonly kind: 'unknown'; readonly askAdmins: CouncilAdmins | undefined }
  /** A member, but their council only lets staff sign in from other email domains. */
  | { readonly kind: 'domain-not-allowed'; readonly askAdmins: CouncilAdmins };

const MAX_ADMINS_NAMED = 10;

/**
 * Maps a verified email to a member with that email, ignoring case. A council that has set
 * sign-in domains accepts only those; one that has set none accepts its members' emails as
 * the provider asserts them.
 *
 * An email is unique within a council, not across the hub, so one person may be a member of
 * several. They sign in as the member of the council that claims their email's domain, else
 * as their oldest membership: a council that adds someone's address later cannot move that
 * person's sign-in to itself.
 */
export async function matchIdentity(db: Kysely<Database>, identity: { email: string | undefined; emailVerified: boolean }): Promise<IdentityMatch> {
  const email = identity.email?.trim().toLowerCase();
  if (!email || !identity.emailVerified) return { kind: 'unverified' };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const member = await db.selectFrom('members as m')
    .select(['m.id', 'm.council_id'])
    .select((eb) => [
      eb.exists(eb.selectFrom('council_sign_in_domains as d').whereRef('d.council_id', '=', 'm.council_id')).as('restricted'),
      eb.exists(eb.selectFrom('council_sign_in_domains as d').whereRef('d.council_id', '=', 'm.council_id').where('d.domain', '=', domain)).as('claims'),
    ])
    .where(sql<string>`lower(m.email)`, '=', email).where('m.removed_at', 'is', null)
    // The claiming council first, then any that accepts every domain, each oldest first.
    .orderBy('claims', 'desc').orderBy('restricted', 'asc').orderBy('m.created_at').orderBy('m.id')
    .executeTakeFirst();
  if (!member) {
    const claimed = await db.selectFrom('council_sign_in_domains').select('council_id').where('domain', '=', domain).executeTakeFirst();
    return { kind: 'unknown', askAdmins: claimed ? await adminsOf(db, claimed.council_id) : undefined };
  }
  if (member.restricted && !member.claims) return { kind: 'domain-not-allowed', askAdmins: await adminsOf(db, member.council_id) };
  return { kind: 'member', memberId: member.id };
}

async function adminsOf(db: Kysely<Database>, councilId: string): Promise<CouncilAdmins> {
  const council = await db.selectFrom('councils').select('name').where('id', '=', councilId).executeTakeFirstOrThrow();
  const admins = await db.selectFrom('members').select(['name', 'email'])
    .where('council_id', '=', councilId).where('role', '=', 'admin').where('removed_at', 'is', null)
    .orderBy('name').limit(MAX_ADMINS_NAMED).execute();
  return { council: council.name, admins };
}
