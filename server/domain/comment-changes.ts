import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { canSee, eventVisibility, type MemberViewer, type Viewer, type Visibility } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import { ForbiddenError, NotFoundError } from '../kernel/errors.js';
import { requireMember } from './content.js';
import { isUuid } from './ids.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { toComment, type Comment } from './comments.js';

/** Authors edit and delete their own comments. */
export function canChangeComment(viewer: MemberViewer, comment: { authorId: string }): boolean {
  return comment.authorId === viewer.memberId;
}

/**
 * A council's admins moderate what their own members wrote: "their council" is the
 * commenter's council, never the subject's, so no admin reaches another council's words.
 */
export function canDeleteComment(viewer: MemberViewer, comment: { authorId: string; councilId: string }): boolean {
  return canChangeComment(viewer, comment) || (viewer.role === 'admin' && viewer.councilId === comment.councilId);
}

/** Editing and deleting comments; each change appends its event in the same transaction. */
export function createCommentChanges({ transact }: { transact: Transact }) {
  return {
    async edit(viewer: Viewer, id: string, body: string): Promise<Comment> {
      const member = requireMember(viewer);
      const check = new InputChecker();
      const cleanBody = check.text('body', body, LIMITS.comment, { required: true, multiline: true });
      check.check();
      return transact(async (trx) => {
        const found = await lockVisible(trx, viewer, id);
        if (!canChangeComment(member, found.comment)) throw new ForbiddenError('only its author can edit a comment');
        const row = await trx.updateTable('comments').set({ body: cleanBody!, edited_at: sql<Date>`hub_now()` })
          .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        const comment = toComment(row);
        await appendEvent(trx, commentEvent('comment.edited', comment, found.subject, member.memberId, { body: comment.body }));
        return comment;
      });
    },

    /** Deletes the comment for good; answers it as it was. */
    async delete(viewer: Viewer, id: string): Promise<Comment> {
      const member = requireMember(viewer);
      return transact(async (trx) => {
        const found = await lockVisible(trx, viewer, id);
        if (!canDeleteComment(member, found.comment)) {
          throw new ForbiddenError('only its author or an admin of the author\'s council can delete a comment');
        }
        await trx.deleteFrom('comments').where('id', '=', id).execute();
        // No body: a deleted comment's words are not sent on to subscribers or webhooks again.
        await appendEvent(trx, commentEvent('comment.deleted', found.comment, found.subject, member.memberId, {}));
        return found.comment;
      });
    },
  };
}

interface Subject { readonly councilId: string; readonly visibility: Visibility; readonly title: string }

/** The comment, locked, with its subject; a hidden comment, or one on something the viewer cannot see, is not found. */
async function lockVisible(trx: Transaction<Database>, viewer: Viewer, id: string): Promise<{ comment: Comment; subject: Subject }> {
  const row = isUuid(id) ? await trx.selectFrom('comments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
  const table = row?.subject_type === 'problem' ? 'problems' : row?.subject_type === 'solution' ? 'solutions' : 'case_studies';
  const subject = row && await trx.selectFrom(table).select(['council_id', 'visibility', 'title'])
    .where('id', '=', row.subject_id).executeTakeFirst();
  if (!row || row.hidden_at !== null || !subject || !canSee(viewer, { councilId: subject.council_id, visibility: subject.visibility })) {
    throw new NotFoundError('comment', id);
  }
  return { comment: toComment(row), subject: { councilId: subject.council_id, visibility: subject.visibility, title: subject.title } };
}

/** Like `comment.added`: the subject's owner and visibility, so a comment on a draft stays in its council. */
function commentEvent(type: 'comment.edited' | 'comment.deleted', comment: Comment, subject: Subject, actor: string, extra: { body?: string }) {
  return {
    type, subjectType: 'comment' as const, subjectId: comment.id,
    target: { type: comment.subjectType, id: comment.subjectId },
    councilId: subject.councilId,
    visibility: eventVisibility(subject.visibility),
    payload: {
      subjectType: comment.subjectType, subjectId: comment.subjectId, subjectTitle: subject.title,
      commenterCouncilId: comment.councilId, authorId: comment.authorId, ...extra,
      byMemberId: actor, actorMemberId: actor,
    },
  };
}
