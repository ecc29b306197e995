import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/database.js';
import { createApiToken } from '../../server/auth/tokens.js';
import type { MemberViewer, Role } from '../../server/auth/viewer.js';

const unique = () => randomBytes(4).toString('hex');

export interface TestCouncil {
  id: string;
  slug: string;
  name: string;
}

export async function createCouncil(db: Kysely<Database>, overrides: Partial<{ name: string; slug: string; kind: string; region: string }> = {}): Promise<TestCouncil> {
  const suffix = unique();
  const row = await db.insertInto('councils').values({
    slug: overrides.slug ?? `council-${suffix}`,
    name: overrides.name ?? `Test Borough Council ${suffix}`,
    kind: overrides.kind ?? 'district',
    region: overrides.region ?? 'East of England',
  }).returning(['id', 'slug', 'name']).executeTakeFirstOrThrow();
  return row;
}

export interface TestMember {
  id: string;
  councilId: string;
  role: Role;
  token: string;
  viewer: MemberViewer & { readonly tokenId: string };
}

/** A member's name as the demo sign-in page lists it (signInAsDemoMember). */
export async function memberName(db: Kysely<Database>, memberId: string): Promise<string> {
  return (await db.selectFrom('members').select('name').where('id', '=', memberId).executeTakeFirstOrThrow()).name;
}

/** A member of the council with a fresh API token. */
export async function createMember(db: Kysely<Database>, councilId: string, role: Role = 'editor', isPlatformAdmin = false): Promise<TestMember> {
  const suffix = unique();
  const row = await db.insertInto('members').values({
    council_id: councilId, name: `Officer ${suffix}`, email: `officer-${suffix}@example.gov.uk`, role, is_platform_admin: isPlatformAdmin,
  }).returning('id').executeTakeFirstOrThrow();
  const token = await createApiToken(db, row.id, 'test');
  return {
    id: row.id, councilId, role, token: token.token,
    viewer: { kind: 'member', memberId: row.id, councilId, role, isPlatformAdmin, tokenId: token.id },
  };
}

/** Two councils, each with a member, an editor and an admin: enough for tenancy checks. */
/** The members `createTwoCouncils` makes. */
export type People = Awaited<ReturnType<typeof createTwoCouncils>>;

export async function createTwoCouncils(db: Kysely<Database>) {
  const [a, b] = [await createCouncil(db), await createCouncil(db)];
  return {
    a: { council: a, member: await createMember(db, a.id, 'member'), editor: await createMember(db, a.id, 'editor'), admin: await createMember(db, a.id, 'admin') },
    b: { council: b, member: await createMember(db, b.id, 'member'), editor: await createMember(db, b.id, 'editor'), admin: await createMember(db, b.id, 'admin') },
  };
}
