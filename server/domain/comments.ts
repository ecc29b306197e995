import { sql, type Kysely, type Transaction } from 'kysely';
import { anyContentTable, TABLE_OF } from './content-rows.js';
import type { CommentRow, Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { canSee, eventVisibility, isPlatformAdmin, type Viewer, type Visibility } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import { requireMember } from './content.js';
import { loadCommentPages } from './comment-pages.js';
import { NotFoundError } from '../kernel/errors.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { isUuid } from './ids.js';
import { inIdOrder } from './in-id-order.js';
import { createCommentChanges } from './comment-changes.js';

export const COMMENT_SUBJECTS = ['problem', 'solution', 'case_study'] as const;
export type CommentSubjectType = (typeof COMMENT_SUBJECTS)[number];

export interface Comment {
  readonly id: string;
  readonly subjectType: CommentSubjectType;
  readonly subjectId: string;
  /** The commenter's council, which may differ from the subject's. */
  readonly councilId: string;
  readonly authorId: string;
  /** Markdown. */
  readonly body: string;
  readonly createdAt: Date;
  /** When its author last edited it; null if never. */
  readonly editedAt: Date | null;
  /** When a platform admin hid it; null while it shows. Hidden comments are left out of every list. */
  readonly hiddenAt: Date | null;
}

/** The parts of a problem, solution or case study that decide who may see its comments. */
export interface CommentSubject {
  readonly id: string;
  readonly councilId: string;
  readonly visibility: Visibility;
}

/** One page of a subject's comments, oldest first; DataLoader batches these. */
export interface CommentPageKey {
  readonly subject: CommentSubject;
  /** Cursor of the last comment already seen. */
  readonly after?: string | null | undefined;
  readonly limit: number;
}

const LABELS = { problem: 'problem', solution: 'solution', case_study: 'case study' } as const;

export function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    councilId: row.council_id,
    authorId: row.author_id,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    hiddenAt: row.hidden_at,
  };
}

/** Comments belong to their subject: whoever can see the subject sees its comments, nobody else. */
export function createCommentService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  return {
    ...createCommentChanges({ transact }),

    async add(viewer: Viewer, subjectType: CommentSubjectType, subjectId: string, body: string): Promise<Comment> {
      const member = requireMember(viewer);
      const check = new InputChecker();
      const cleanBody = check.text('body', body, LIMITS.comment, { required: true, multiline: true });
      check.check();
      return transact(async (trx) => {
        const subject = await findSubject(trx, subjectType, subjectId);
        if (!subject || !canSee(viewer, subject)) throw new NotFoundError(LABELS[subjectType] ?? 'subject', subjectId);
        const row = await trx
          .insertInto('comments')
          .values({ subject_type: subjectType, subject_id: subjectId, council_id: member.councilId, author_id: member.memberId, body: cleanBody! })
          .returningAll()
          .executeTakeFirstOrThrow();
        const comment = toComment(row);
        // The event takes the subject's owner and visibility, not the commenter's: a comment
        // on a draft must reach nobody outside the council that owns the draft.
        await appendEvent(trx, {
          type: 'comment.added',
          subjectType: 'comment',
          subjectId: comment.id,
          // commentAdded(subjectId) and `subjects` filters follow the commented item.
          target: { type: subjectType, id: subjectId },
          councilId: subject.councilId,
          visibility: eventVisibility(subject.visibility),
          payload: {
            subjectType, subjectId, subjectTitle: subject.title,
            commenterCouncilId: comment.councilId, authorId: comment.authorId, body: comment.body,
            actorMemberId: comment.authorId,
          },
        });
        return comment;
      });
    },

    /**
     * Comments by id in the order asked, null where missing, on a subject the viewer cannot
     * see, or hidden by moderators (platform admins still see those, to review them).
     */
    async findMany(viewer: Viewer, ids: readonly string[]): Promise<(Comment | null)[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('comments as c')
        .leftJoin('problems as p', (j) => j.onRef('p.id', '=', 'c.subject_id').on('c.subject_type', '=', 'problem'))
        .leftJoin('solutions as s', (j) => j.onRef('s.id', '=', 'c.subject_id').on('c.subject_type', '=', 'solution'))
        .leftJoin('case_studies as cs', (j) => j.onRef('cs.id', '=', 'c.subject_id').on('c.subject_type', '=', 'case_study'))
        .selectAll('c')
        .select([
          sql<string>`coalesce(p.council_id, s.council_id, cs.council_id)`.as('subject_council_id'),
          sql<Visibility>`coalesce(p.visibility, s.visibility, cs.visibility)`.as('subject_visibility'),
        ])
        .where('c.id', 'in', [...ids])
        .execute();
      return inIdOrder(ids, rows
        .filter((r) => r.subject_council_id !== null && canSee(viewer, { councilId: r.subject_council_id, visibility: r.subject_visibility })
          && (r.hidden_at === null || isPlatformAdmin(viewer)))
        .map(toComment));
    },

    /** A page of comments (oldest first) per subject, in one statement for the whole batch. */
    async pages(viewer: Viewer, requests: readonly CommentPageKey[]): Promise<Comment[][]> {
      const visible = requests.filter((r) => canSee(viewer, r.subject));
      const pages = await loadCommentPages(db, visible.map((r) => ({ subjectId: r.subject.id, after: r.after, limit: r.limit })));
      const bySubject = new Map(visible.map((r, i) => [r, pages[i]!.map(toComment)]));
      return requests.map((r) => bySubject.get(r) ?? []);
    },

    /** How many comments each subject shows (hidden ones are not counted); callers pass subjects the viewer can see. */
    async counts(subjectIds: readonly string[]): Promise<number[]> {
      if (subjectIds.length === 0) return [];
      const rows = await db
        .selectFrom('comments')
        .select(['subject_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('subject_id', 'in', [...subjectIds])
        .where('hidden_at', 'is', null)
        .groupBy('subject_id')
        .execute();
      const byId = new Map(rows.map((r) => [r.subject_id, Number(r.n)]));
      return subjectIds.map((id) => byId.get(id) ?? 0);
    },
  };
}

/** Reads the subject's table directly, so comments depend on no other aggregate's service. */
async function findSubject(trx: Transaction<Database>, type: CommentSubjectType, id: string) {
  const table = Object.hasOwn(TABLE_OF, type) ? TABLE_OF[type] : undefined;
  if (!table || !isUuid(id)) return undefined;
  const row = await trx.selectFrom(anyContentTable(trx, table, 'content')).select(['id', 'council_id', 'visibility', 'title'])
    .where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, councilId: row.council_id, visibility: row.visibility, title: row.title };
}

export type CommentService = ReturnType<typeof createCommentService>;
