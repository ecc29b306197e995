import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { uniqueViolation } from '../db/unique-violation.js';
import { canAdminister, isMemberOf, isPlatformAdmin, type Actor, type Role } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import { actorMemberId, requireActor, type SignedInActor } from './actor.js';
import { checkEmail } from './admin-input.js';
import { ConflictError, ForbiddenError, LastAdminError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { toMember, type Member } from './members.js';

export const ROLES = ['member', 'editor', 'admin'] as const satisfies readonly Role[];

export interface AddMemberInput {
  /** Defaults to the acting member's council. */
  councilId?: string | null;
  name?: string | null;
  email?: string | null;
  role?: string | null;
  /** Operator and platform admins only: make the new member a platform admin. */
  platformAdmin?: boolean | null;
}

// Emails are unique within a council, not across the hub: whether an address belongs to
// someone in another council is not this council's to learn (issue 12, finding 5).
const EMAIL_TAKEN = [{ field: 'email', message: 'is already a member of this council' }];

/**
 * Council admins manage their own council's members; platform admins any council's.
 * Every change takes the council row's lock first, so two admins demoting each other at
 * once are serialized and the last-admin rule cannot be raced past.
 */
export function createMemberAdminService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  return {
    async add(actor: Actor, input: AddMemberInput): Promise<Member> {
      const who = requireActor(actor);
      const check = new InputChecker();
      const councilId = input.councilId ?? (who.kind === 'member' ? who.councilId : undefined);
      if (!councilId) check.fail('councilId', 'is required');
      const name = check.text('name', input.name, LIMITS.name, { required: true });
      const email = checkEmail(check, 'email', input.email, true);
      const role = check.oneOf('role', input.role, ROLES, true);
      check.check();
      if (!canAdminister(who, councilId!)) throw new ForbiddenError('only admins of the council may add its members');
      if (input.platformAdmin && !isPlatformAdmin(who)) throw new ForbiddenError('only platform admins may make platform admins');
      try {
        return await transact(async (trx) => {
          await lockCouncil(trx, councilId!);
          const existing = await trx.selectFrom('members').selectAll()
            .where('council_id', '=', councilId!).where('email', '=', email!).forUpdate().executeTakeFirst();
          // Someone removed and taken back keeps their identity (and authorship), not their old tokens.
          if (existing && !existing.removed_at) throw new ValidationError(EMAIL_TAKEN);
          const values = { name: name!, role: role!, is_platform_admin: input.platformAdmin ?? false };
          const row = existing
            ? await trx.updateTable('members').set({ ...values, removed_at: null }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
            : await trx.insertInto('members').values({ ...values, council_id: councilId!, email: email! }).returningAll().executeTakeFirstOrThrow();
          const member = toMember(row);
          await appendEvent(trx, memberEvent('member.added', member, who, { reinstated: existing !== undefined }));
          return member;
        });
      } catch (error) {
        if (uniqueViolation(error) === 'members_council_email_key') throw new ValidationError(EMAIL_TAKEN);
        throw error;
      }
    },

    async changeRole(actor: Actor, input: { memberId: string; role?: string | null }): Promise<Member> {
      const who = requireActor(actor);
      const check = new InputChecker();
      const role = check.oneOf('role', input.role, ROLES, true);
      check.check();
      return transact(async (trx) => {
        const member = await loadForAdmin(trx, who, input.memberId);
        if (member.removedAt) throw new ConflictError('this member has been removed');
        if (member.role === role) return member;
        if (member.role === 'admin') await ensureAnotherAdmin(trx, member);
        const row = await trx.updateTable('members').set({ role: role! }).where('id', '=', member.id).returningAll().executeTakeFirstOrThrow();
        const updated = toMember(row);
        await appendEvent(trx, memberEvent('member.updated', updated, who, { previousRole: member.role, changed: ['role'] }));
        return updated;
      });
    },

    /** Soft removal: the member's content keeps its author; their tokens are revoked with them. */
    async remove(actor: Actor, memberId: string): Promise<Member> {
      const who = requireActor(actor);
      return transact(async (trx) => {
        const member = await loadForAdmin(trx, who, memberId);
        if (member.removedAt) throw new ConflictError('this member has already been removed');
        if (member.isPlatformAdmin && !isPlatformAdmin(who)) throw new ForbiddenError('only platform admins may remove a platform admin');
        if (member.role === 'admin') await ensureAnotherAdmin(trx, member);
        const now = new Date();
        const row = await trx.updateTable('members').set({ removed_at: now }).where('id', '=', member.id).returningAll().executeTakeFirstOrThrow();
        await trx.updateTable('api_tokens').set({ revoked_at: now }).where('member_id', '=', member.id).where('revoked_at', 'is', null).execute();
        const removed = toMember(row);
        await appendEvent(trx, memberEvent('member.removed', removed, who, {}));
        return removed;
      });
    },

    /**
     * A council's members, for its own members and platform admins; null for anyone else
     * (the list carries email addresses, which stay within the council).
     */
    async list(actor: Actor, councilId: string, opts: { includeRemoved?: boolean | null }, offset: number, limit: number): Promise<Member[] | null> {
      if (!isMemberOf(actor, councilId) && !isPlatformAdmin(actor)) return null;
      let query = db.selectFrom('members').selectAll().where('council_id', '=', councilId);
      if (!opts.includeRemoved) query = query.where('removed_at', 'is', null);
      const rows = await query.orderBy('name').orderBy('id').offset(offset).limit(limit).execute();
      return rows.map(toMember);
    },

    /** A member of the council by email, for the command line's create-token. */
    async findByEmail(actor: Actor, councilId: string, email: string): Promise<Member | null> {
      if (!canAdminister(actor, councilId)) throw new ForbiddenError('only admins of the council may look up its members');
      const row = await db.selectFrom('members').selectAll()
        .where('council_id', '=', councilId).where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
      return row ? toMember(row) : null;
    },
  };

  async function lockCouncil(trx: Transaction<Database>, councilId: string): Promise<void> {
    const council = await trx.selectFrom('councils').select('id').where('id', '=', councilId).forUpdate().executeTakeFirst();
    if (!council) throw new NotFoundError('council', councilId);
  }

  /** Authorizes first, then locks the council and reads the member's current state. */
  async function loadForAdmin(trx: Transaction<Database>, who: SignedInActor, memberId: string): Promise<Member> {
    const first = await trx.selectFrom('members').select('council_id').where('id', '=', memberId).executeTakeFirst();
    if (!first) throw new NotFoundError('member', memberId);
    if (!canAdminister(who, first.council_id)) throw new ForbiddenError('only admins of the member\'s council may change its members');
    await lockCouncil(trx, first.council_id);
    return toMember(await trx.selectFrom('members').selectAll().where('id', '=', memberId).forUpdate().executeTakeFirstOrThrow());
  }

  async function ensureAnotherAdmin(trx: Transaction<Database>, member: Member): Promise<void> {
    const other = await trx.selectFrom('members').select('id')
      .where('council_id', '=', member.councilId).where('role', '=', 'admin').where('removed_at', 'is', null)
      .where('id', '!=', member.id).limit(1).executeTakeFirst();
    if (!other) throw new LastAdminError(member.id);
  }
}

/** Member events are drafts of their council: names and roles stay within it, emails never leave. */
function memberEvent(type: EventType, member: Member, who: SignedInActor, extra: Record<string, unknown>) {
  return {
    type,
    subjectType: 'member' as const,
    subjectId: member.id,
    councilId: member.councilId,
    visibility: 'draft' as const,
    payload: { name: member.name, role: member.role, byMemberId: actorMemberId(who), ...extra },
  };
}

export type MemberAdminService = ReturnType<typeof createMemberAdminService>;
