import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compileStatement } from '../db/compiled-statement.js';
import type { Database } from '../db/database.js';
import { hashToken } from './tokens.js';
import type { MemberViewer } from './viewer.js';

export interface SessionSettings {
  /** A session unused this long ends. @default 30 minutes */
  readonly idleMs: number;
  /** A session ends this long after sign-in, however busy. @default 12 hours */
  readonly absoluteMs: number;
}

/** A signed-in web session, as each page request finds it. */
export interface WebSession {
  readonly viewer: MemberViewer;
  readonly csrfToken: string;
  readonly member: { readonly name: string; readonly email: string };
  readonly council: { readonly name: string; readonly slug: string };
}

// Writing last_seen_at on every page would turn each read into a write; a minute is far
// finer than any idle timeout.
const TOUCH_RESOLUTION_MS = 60_000;
// Sessions a member may hold at once (browsers, devices); signing in past it ends the oldest.
const SESSIONS_PER_MEMBER = 20;

// Every signed-in page runs this, so it is compiled once. The member is joined each time:
// removing a member or changing their role takes effect on their next request.
const FIND_SESSION = compileStatement((db, value) => db
  .selectFrom('web_sessions as s')
  .innerJoin('members as m', 'm.id', 's.member_id')
  .innerJoin('councils as c', 'c.id', 'm.council_id')
  .select(['s.csrf_token', 's.created_at', 's.last_seen_at', 'm.id as memberId', 'm.name', 'm.email', 'm.council_id', 'm.role',
    'm.is_platform_admin', 'm.removed_at', 'c.name as councilName', 'c.slug as councilSlug'])
  .where('s.id_hash', '=', value<string>(0)));

/**
 * Server-side sessions: the cookie holds a random id, the database a hash of it with the
 * member and a CSRF token. Ending a session deletes its row, so it cannot come back.
 */
export function createSessionStore({ db, clock = Date.now, settings }: {
  db: Kysely<Database>;
  clock?: () => number;
  settings: SessionSettings;
}) {
  return {
    /** Starts a session with a new id (never one the browser had before), for the cookie. */
    async start(memberId: string): Promise<{ id: string; csrfToken: string }> {
      const id = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      const now = new Date(clock());
      await db.insertInto('web_sessions')
        .values({ id_hash: hashToken(id), member_id: memberId, csrf_token: csrfToken, created_at: now, last_seen_at: now })
        .execute();
      await prune(memberId);
      return { id, csrfToken };
    },

    /** The live session for a cookie's id, or null (and the row gone) if it has ended. */
    async find(id: string): Promise<WebSession | null> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
      const hash = hashToken(id);
      const [row] = await FIND_SESSION.execute(db, [hash]);
      if (!row) return null;
      const now = clock();
      if (row.removed_at || isExpired(row, now)) {
        await db.deleteFrom('web_sessions').where('id_hash', '=', hash).execute();
        return null;
      }
      if (now - row.last_seen_at.getTime() > TOUCH_RESOLUTION_MS) {
        await db.updateTable('web_sessions').set({ last_seen_at: new Date(now) }).where('id_hash', '=', hash).execute();
      }
      return {
        viewer: { kind: 'member', memberId: row.memberId, councilId: row.council_id, role: row.role, isPlatformAdmin: row.is_platform_admin, tokenId: null },
        csrfToken: row.csrf_token,
        member: { name: row.name, email: row.email },
        council: { name: row.councilName, slug: row.councilSlug },
      };
    },

    async end(id: string): Promise<void> {
      await db.deleteFrom('web_sessions').where('id_hash', '=', hashToken(id)).execute();
    },

    /** "Sign out everywhere": every session the member holds, on every device. */
    async endAllFor(memberId: string): Promise<number> {
      const result = await db.deleteFrom('web_sessions').where('member_id', '=', memberId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  function isExpired(row: { created_at: Date; last_seen_at: Date }, now: number): boolean {
    return now - row.last_seen_at.getTime() >= settings.idleMs || now - row.created_at.getTime() >= settings.absoluteMs;
  }

  /** Keeps the table bounded: expired sessions go at each sign-in, and a member's oldest past the cap. */
  async function prune(memberId: string): Promise<void> {
    const now = clock();
    await db.deleteFrom('web_sessions')
      .where((eb) => eb.or([
        eb('last_seen_at', '<=', new Date(now - settings.idleMs)),
        eb('created_at', '<=', new Date(now - settings.absoluteMs)),
      ]))
      .execute();
    const keep = db.selectFrom('web_sessions').select('id_hash').where('member_id', '=', memberId)
      .orderBy('created_at', 'desc').limit(SESSIONS_PER_MEMBER);
    await db.deleteFrom('web_sessions').where('member_id', '=', memberId).where('id_hash', 'not in', keep).execute();
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>;
