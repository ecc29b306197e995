import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { hashToken, issueToken } from '../auth/tokens.js';
import { canAdminister, isMember, isPlatformAdmin, type Actor } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import { actorMemberId, requireActor, type SignedInActor } from './actor.js';
import { ADMIN_LIMITS } from './admin-input.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { InputChecker } from './input-checker.js';
import { isUuid } from './ids.js';
import { LIST_CAPS } from './list-caps.js';
import { inIdOrder } from './in-id-order.js';

/** What anyone may see of a token: never its hash, and the secret only once, at creation. */
export interface ApiToken {
  readonly id: string;
  readonly memberId: string;
  readonly councilId: string;
  readonly label: string;
  /** The first characters of the secret, so people can tell their tokens apart. */
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface CreatedApiToken {
  /** The secret: shown this once, stored only as a hash. */
  readonly token: string;
  readonly apiToken: ApiToken;
}

const FULL_TOKEN = /^cc_[A-Za-z0-9_-]{43}$/;

export function createApiTokenService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  function tokens(executor: Kysely<Database> = db) {
    return executor.selectFrom('api_tokens as t').innerJoin('members as m', 'm.id', 't.member_id')
      .select(['t.id', 't.member_id', 'm.council_id', 't.label', 't.prefix', 't.created_at', 't.last_used_at', 't.revoked_at']);
  }

  /** Members see their own tokens; admins their council's; platform admins every token. */
  function canManage(actor: Actor, token: { memberId: string; councilId: string }): boolean {
    return (isMember(actor) && actor.memberId === token.memberId) || canAdminister(actor, token.councilId);
  }

  return {
    /** Issues a token for the actor (no memberId) or, for admins, a member of their council. */
    async create(actor: Actor, input: { memberId?: string | null; label?: string | null }): Promise<CreatedApiToken> {
      const who = requireActor(actor);
      const check = new InputChecker();
      const memberId = input.memberId ?? (who.kind === 'member' ? who.memberId : undefined);
      if (!memberId) check.fail('memberId', 'is required');
      const label = check.text('label', input.label, ADMIN_LIMITS.label, { required: true });
      check.check();
      return transact(async (trx) => {
        const member = await trx.selectFrom('members').select(['id', 'council_id', 'is_platform_admin', 'removed_at'])
          .where('id', '=', memberId!).executeTakeFirst();
        if (!member) throw new NotFoundError('member', memberId!);
        const self = who.kind === 'member' && who.memberId === member.id;
        if (!self && !canAdminister(who, member.council_id)) throw new ForbiddenError('only admins of the member\'s council may issue tokens for them');
        // A token acts with its member's powers: a council admin must not mint a platform admin's.
        if (!self && member.is_platform_admin && !isPlatformAdmin(who)) throw new ForbiddenError('only platform admins may issue tokens for a platform admin');
        if (member.removed_at) throw new ConflictError('this member has been removed and cannot hold tokens');
        const issued = issueToken();
        const row = await trx.insertInto('api_tokens')
          .values({ member_id: member.id, token_hash: issued.hash, prefix: issued.prefix, label: label! })
          .returningAll().executeTakeFirstOrThrow();
        const apiToken = toApiToken({ ...row, council_id: member.council_id });
        await appendEvent(trx, tokenEvent('api_token.created', apiToken, who));
        return { token: issued.token, apiToken };
      });
    },

    /** Revoking twice is harmless: the second call returns the token as it is. */
    async revoke(actor: Actor, tokenId: string): Promise<ApiToken> {
      const who = requireActor(actor);
      return transact(async (trx) => {
        const row = await tokens(trx).where('t.id', '=', tokenId).forUpdate('t').executeTakeFirst();
        if (!row) throw new NotFoundError('API token', tokenId);
        const token = toApiToken(row);
        if (!canManage(who, token)) throw new ForbiddenError('only the token\'s member and admins of their council may revoke it');
        if (token.revokedAt) return token;
        const updated = await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', tokenId)
          .returning('revoked_at').executeTakeFirstOrThrow();
        const revoked = { ...token, revokedAt: updated.revoked_at };
        await appendEvent(trx, tokenEvent('api_token.revoked', revoked, who));
        return revoked;
      });
    },

    /** The member's own tokens, newest first (at most LIST_CAPS.apiTokens). */
    async listOwn(actor: Actor, opts: { includeRevoked?: boolean | null } = {}): Promise<ApiToken[] | null> {
      if (!isMember(actor)) return null;
      let query = tokens().where('t.member_id', '=', actor.memberId);
      if (!opts.includeRevoked) query = query.where('t.revoked_at', 'is', null);
      return (await query.orderBy('t.created_at', 'desc').orderBy('t.id').limit(LIST_CAPS.apiTokens).execute()).map(toApiToken);
    },

    /** The newest tokens (LIST_CAPS.apiTokens) of a council's members, for its admins and platform admins; null for anyone else. */
    async listForCouncil(actor: Actor, councilId: string, opts: { includeRevoked?: boolean | null } = {}): Promise<ApiToken[] | null> {
      if (!canAdminister(actor, councilId)) return null;
      let query = tokens().where('m.council_id', '=', councilId);
      if (!opts.includeRevoked) query = query.where('t.revoked_at', 'is', null);
      return (await query.orderBy('t.created_at', 'desc').orderBy('t.id').limit(LIST_CAPS.apiTokens).execute()).map(toApiToken);
    },

    /** Tokens by id in the order asked, null where missing or not the actor's to see. */
    async findMany(actor: Actor, ids: readonly string[]): Promise<(ApiToken | null)[]> {
      if (ids.length === 0 || !isMember(actor)) return ids.map(() => null);
      const rows = await tokens().where('t.id', 'in', [...ids]).execute();
      return inIdOrder(ids, rows.map(toApiToken), (token) => canManage(actor, token));
    },

    /**
     * Finds one token the actor manages by its id, its printed prefix (or the start of it)
     * or the whole secret; an ambiguous prefix is an error naming how many it matched.
     */
    async find(actor: Actor, reference: string): Promise<ApiToken> {
      requireActor(actor);
      const ref = reference.trim();
      let query = tokens();
      if (isUuid(ref)) query = query.where('t.id', '=', ref.toLowerCase());
      else if (FULL_TOKEN.test(ref)) query = query.where('t.token_hash', '=', hashToken(ref));
      // Compared with left() rather than LIKE: prefixes contain `_`, a LIKE wildcard.
      else if (/^cc_[A-Za-z0-9_-]{2,}$/.test(ref)) query = query.where(sql<string>`left(t.prefix, ${Math.min(ref.length, 10)})`, '=', ref.slice(0, 10));
      else throw new ValidationError([{ field: 'token', message: 'must be a token id, a token prefix such as cc_AbC12xY, or the token itself' }]);
      const found = (await query.limit(20).execute()).map(toApiToken).filter((t) => canManage(actor, t));
      if (found.length === 0) throw new NotFoundError('API token', ref);
      if (found.length > 1) throw new ValidationError([{ field: 'token', message: `matches ${found.length} tokens: give more of the prefix, or the id` }]);
      return found[0]!;
    },
  };
}

function toApiToken(row: {
  id: string; member_id: string; council_id: string; label: string; prefix: string;
  created_at: Date; last_used_at: Date | null; revoked_at: Date | null;
}): ApiToken {
  return {
    id: row.id,
    memberId: row.member_id,
    councilId: row.council_id,
    label: row.label,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Token events are drafts of the member's council and carry the prefix, never the secret or its hash. */
function tokenEvent(type: EventType, token: ApiToken, who: SignedInActor) {
  return {
    type,
    subjectType: 'api_token' as const,
    subjectId: token.id,
    councilId: token.councilId,
    visibility: 'draft' as const,
    payload: { memberId: token.memberId, label: token.label, prefix: token.prefix, byMemberId: actorMemberId(who) },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
