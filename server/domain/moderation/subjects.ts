import type { Transaction } from 'kysely';
import type { Database, ModeratedSubject } from '../../db/database.js';
import type { Visibility } from '../../auth/viewer.js';
import { TABLE_OF, anyContentTable } from '../content-rows.js';
import { isUuid } from '../ids.js';

export type { ModeratedSubject };
export const MODERATED_SUBJECTS = ['problem', 'solution', 'case_study', 'comment'] as const satisfies readonly ModeratedSubject[];
export const SUBJECT_LABELS = { problem: 'problem', solution: 'solution', case_study: 'case study', comment: 'comment' } as const;

/**
 * What moderation needs of an item or a comment, locked until the transaction ends. For a
 * comment, `councilId` and `visibility` are its item's (a comment is seen by whoever sees
 * its item), and `hidden` is its own.
 */
export interface LockedSubject {
  readonly type: ModeratedSubject;
  readonly id: string;
  readonly councilId: string;
  readonly visibility: Visibility;
  readonly hidden: boolean;
  readonly comment?: {
    readonly subjectType: 'problem' | 'solution' | 'case_study';
    readonly subjectId: string;
    readonly commenterCouncilId: string;
    readonly authorId: string;
    readonly body: string;
  };
}

export async function lockSubject(trx: Transaction<Database>, type: ModeratedSubject, id: string): Promise<LockedSubject | undefined> {
  if (!isUuid(id)) return undefined;
  if (type !== 'comment') {
    const row = await trx.selectFrom(anyContentTable(trx, TABLE_OF[type], 'content')).select(['council_id', 'visibility'])
      .where('id', '=', id).forUpdate().executeTakeFirst();
    return row && { type, id, councilId: row.council_id, visibility: row.visibility, hidden: row.visibility === 'hidden' };
  }
  const comment = await trx.selectFrom('comments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  const item = comment && await trx.selectFrom(anyContentTable(trx, TABLE_OF[comment.subject_type], 'content'))
    .select(['council_id', 'visibility']).where('id', '=', comment.subject_id).executeTakeFirst();
  return comment && item && {
    type, id, councilId: item.council_id, visibility: item.visibility, hidden: comment.hidden_at !== null,
    comment: {
      subjectType: comment.subject_type, subjectId: comment.subject_id, commenterCouncilId: comment.council_id,
      authorId: comment.author_id, body: comment.body,
    },
  };
}
