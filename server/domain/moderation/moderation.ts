import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Transact } from '../../db/transact.js';
import { canSee, eventVisibility, isMember, isPlatformAdmin, type Viewer } from '../../auth/viewer.js';
import { appendEvent } from '../../events/outbox.js';
import type { EventType } from '../../events/catalogue.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../kernel/errors.js';
import { hubNow } from '../../db/hub-now.js';
import { InputChecker, LIMITS } from '../input-checker.js';
import { requireMember } from '../content.js';
import { TABLE_OF, anyContentTable } from '../content-rows.js';
import { lockSubject, SUBJECT_LABELS, type LockedSubject, type ModeratedSubject } from './subjects.js';
import { toAction, toReport, type ModerationAction, type Report } from './model.js';
import { createModerationReads } from './reads.js';

/**
 * Members report what they think breaks the hub's rules; platform admins hide it, restore it
 * or dismiss the reports. Reports are seen by their reporter and platform admins only, so
 * they are rows, not events; hiding and restoring are events (hide is a notice with no
 * content) and every decision is kept in `moderation_actions` with its reason.
 */
export function createModerationService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  return {
    ...createModerationReads({ db }),

    /** One open report per member and subject: the same reason again answers the open report. */
    async report(viewer: Viewer, type: ModeratedSubject, id: string, reason: string): Promise<Report> {
      const member = requireMember(viewer);
      const why = checkReason(reason);
      return transact(async (trx) => {
        const subject = await lockSubject(trx, type, id);
        if (!subject || !canSee(member, subject) || (subject.hidden && !isPlatformAdmin(member))) throw new NotFoundError(SUBJECT_LABELS[type], id);
        if (subject.visibility === 'draft') throw new ConflictError(`a draft is not public, so there is nothing to report; talk to its council`);
        if (subject.hidden) throw new ConflictError(`this ${SUBJECT_LABELS[type]} is already hidden by moderators`);
        const inserted = await trx.insertInto('content_reports')
          .values({ subject_type: type, subject_id: id, reporter_id: member.memberId, reason: why })
          .onConflict((oc) => oc.columns(['subject_id', 'reporter_id']).where('resolved_at', 'is', null).doNothing())
          .returningAll().executeTakeFirst();
        if (inserted) return toReport(inserted);
        const open = await trx.selectFrom('content_reports').selectAll()
          .where('subject_id', '=', id).where('reporter_id', '=', member.memberId).where('resolved_at', 'is', null).executeTakeFirstOrThrow();
        if (open.reason !== why) throw new ConflictError(`you have already reported this ${SUBJECT_LABELS[type]}; a platform admin will review your report`);
        return toReport(open);
      });
    },

    /** Hides a published item or comment everywhere but its council's own view; resolves its open reports. */
    async hide(viewer: Viewer, type: ModeratedSubject, id: string, reason: string): Promise<ModerationAction> {
      requirePlatformAdmin(viewer);
      const why = checkReason(reason);
      return transact(async (trx) => {
        const subject = await lockModeratable(trx, viewer, type, id);
        if (subject.hidden) throw new ConflictError(`this ${SUBJECT_LABELS[type]} is already hidden`);
        if (subject.visibility === 'draft') throw new ConflictError('a draft is not public, so it cannot be hidden');
        if (type === 'comment') await trx.updateTable('comments').set({ hidden_at: hubNow() }).where('id', '=', id).execute();
        else await setVisibility(trx, type, id, 'hidden');
        await trx.updateTable('content_reports').set({ resolved_at: hubNow(), resolution: 'hidden' })
          .where('subject_id', '=', id).where('resolved_at', 'is', null).execute();
        const action = await record(trx, viewer, subject, 'hidden', why);
        await appendEvent(trx, await moderationEvent(trx, subject, `${type}.hidden`));
        return action;
      });
    },

    /** Shows a hidden item or comment again, as it was; its later events are public again. */
    async restore(viewer: Viewer, type: ModeratedSubject, id: string, reason: string): Promise<ModerationAction> {
      requirePlatformAdmin(viewer);
      const why = checkReason(reason);
      return transact(async (trx) => {
        const subject = await lockModeratable(trx, viewer, type, id);
        if (!subject.hidden) throw new ConflictError(`this ${SUBJECT_LABELS[type]} is not hidden`);
        if (type === 'comment') await trx.updateTable('comments').set({ hidden_at: null }).where('id', '=', id).execute();
        else await setVisibility(trx, type, id, 'published');
        const action = await record(trx, viewer, subject, 'restored', why);
        const shown: LockedSubject = { ...subject, visibility: type === 'comment' ? subject.visibility : 'published', hidden: false };
        await appendEvent(trx, await moderationEvent(trx, shown, `${type}.restored`));
        return action;
      });
    },

    /** Closes the open reports on something without hiding it (it may since have been deleted). */
    async dismissReports(viewer: Viewer, type: ModeratedSubject, id: string, reason: string): Promise<ModerationAction> {
      requirePlatformAdmin(viewer);
      const why = checkReason(reason);
      return transact(async (trx) => {
        const closed = await trx.updateTable('content_reports').set({ resolved_at: hubNow(), resolution: 'dismissed' })
          .where('subject_id', '=', id).where('subject_type', '=', type).where('resolved_at', 'is', null).returning('id').execute();
        if (closed.length === 0) throw new ConflictError(`this ${SUBJECT_LABELS[type]} has no open reports`);
        return record(trx, viewer, { type, id }, 'dismissed', why);
      });
    },
  };
}

function checkReason(reason: string): string {
  const check = new InputChecker();
  const why = check.text('reason', reason, LIMITS.reason, { required: true, multiline: true });
  check.check();
  return why!;
}

function requirePlatformAdmin(viewer: Viewer): void {
  if (!isMember(viewer)) throw new UnauthenticatedError();
  if (!isPlatformAdmin(viewer)) throw new ForbiddenError('only platform admins may moderate');
}

async function lockModeratable(trx: Transaction<Database>, viewer: Viewer, type: ModeratedSubject, id: string): Promise<LockedSubject> {
  const subject = await lockSubject(trx, type, id);
  if (!subject || !canSee(viewer, subject)) throw new NotFoundError(SUBJECT_LABELS[type], id);
  return subject;
}

async function setVisibility(trx: Transaction<Database>, type: Exclude<ModeratedSubject, 'comment'>, id: string, visibility: 'hidden' | 'published') {
  await trx.updateTable(anyContentTable(trx, TABLE_OF[type], 'content')).set({ visibility }).where('id', '=', id).execute();
}

async function record(trx: Transaction<Database>, viewer: Viewer, subject: { type: ModeratedSubject; id: string }, action: ModerationAction['action'], reason: string) {
  const row = await trx.insertInto('moderation_actions')
    .values({ subject_type: subject.type, subject_id: subject.id, action, reason, actor_id: isMember(viewer) ? viewer.memberId : null })
    .returningAll().executeTakeFirstOrThrow();
  return toAction(row);
}

/**
 * A hidden item's event is a public notice with no content, so a copy kept elsewhere (a
 * council system fed by webhooks) can be removed; a restored one carries what publishing
 * does. A comment's events take its item's owner and visibility, as `comment.added` does.
 */
async function moderationEvent(trx: Transaction<Database>, subject: LockedSubject, type: EventType) {
  const restored = type.endsWith('.restored');
  if (subject.comment) {
    const { subjectType, subjectId, commenterCouncilId, authorId, body } = subject.comment;
    return {
      type, subjectType: 'comment' as const, subjectId: subject.id, target: { type: subjectType, id: subjectId },
      councilId: subject.councilId, visibility: eventVisibility(subject.visibility),
      payload: { subjectType, subjectId, commenterCouncilId, authorId, ...(restored ? { body } : {}) },
    };
  }
  const type_ = subject.type as Exclude<ModeratedSubject, 'comment'>;
  const content = restored
    ? await trx.selectFrom(anyContentTable(trx, TABLE_OF[type_], 'content'))
      .select(['title', 'summary', 'service_area', 'tags', 'status', 'version']).where('id', '=', subject.id).executeTakeFirstOrThrow()
    : undefined;
  return {
    type, subjectType: type_, subjectId: subject.id, councilId: subject.councilId, visibility: 'published' as const,
    payload: content
      ? { title: content.title, summary: content.summary, serviceArea: content.service_area, tags: content.tags, status: content.status, version: content.version }
      : {},
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
