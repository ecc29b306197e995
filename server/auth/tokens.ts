import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compileStatement } from '../db/compiled-statement.js';
import type { Database } from '../db/database.js';
import { UnauthenticatedError } from '../kernel/errors.js';
import { ANONYMOUS, type Viewer } from './viewer.js';

const TOKEN_PREFIX = 'cc_';
const TOKEN_SHAPE = /^cc_[A-Za-z0-9_-]{43}$/;
// Writing last_used_at on every request would turn each read into a write; a minute's
// resolution is what an admin reviewing stale tokens needs.
const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssuedToken {
  /** The secret, shown once; only its hash is stored. */
  readonly token: string;
  readonly hash: string;
  /** The first characters, stored in clear so admins can tell tokens apart. */
  readonly prefix: string;
}

export function issueToken(): IssuedToken {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), prefix: token.slice(0, 10) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Every authenticated request and WebSocket operation runs this, so it is compiled once.
const FIND_TOKEN = compileStatement((db, value) => db
  .selectFrom('api_tokens as t')
  .innerJoin('members as m', 'm.id', 't.member_id')
  .select(['t.id as tokenId', 't.last_used_at', 'm.id as memberId', 'm.council_id', 'm.role', 'm.is_platform_admin'])
  .where('t.token_hash', '=', value<string>(0))
  .where('t.revoked_at', 'is', null)
  .where('m.removed_at', 'is', null));

/**
 * Resolves the Authorization header to a viewer. No header means anonymous; a header with
 * an unknown, revoked or malformed token is an error, never a silent downgrade.
 */
export async function authenticate(db: Kysely<Database>, header: string | null | undefined): Promise<Viewer> {
  if (header === null || header === undefined || header.trim() === '') return ANONYMOUS;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
  const token = match[1]!;
  if (!TOKEN_SHAPE.test(token)) throw new UnauthenticatedError('the API token is not valid');
  const [row] = await FIND_TOKEN.execute(db, [hashToken(token)]);
  if (!row) throw new UnauthenticatedError('the API token is not valid or has been revoked');
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.tokenId).execute();
  }
  return {
    kind: 'member',
    memberId: row.memberId,
    councilId: row.council_id,
    role: row.role,
    isPlatformAdmin: row.is_platform_admin,
    tokenId: row.tokenId,
  };
}

/** Issues a token for a member and stores its hash; the caller shows `token` once. */
export async function createApiToken(
  db: Kysely<Database>,
  memberId: string,
  label: string,
): Promise<IssuedToken & { id: string }> {
  const issued = issueToken();
  const row = await db
    .insertInto('api_tokens')
    .values({ member_id: memberId, token_hash: issued.hash, prefix: issued.prefix, label })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...issued, id: row.id };
}
