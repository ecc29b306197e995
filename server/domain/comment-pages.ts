import { sql, type Kysely } from 'kysely';
import type { CommentRow, Database } from '../db/database.js';
import { ValidationError } from '../kernel/errors.js';
import { isUuid } from './ids.js';

export interface CommentPageRequest {
  readonly subjectId: string;
  /** Cursor of the last comment already seen; comments come oldest first. */
  readonly after?: string | null | undefined;
  readonly limit: number;
}

interface Position { createdAt: Date; id: string }

// Keys compare at millisecond precision, the precision a JavaScript Date (and so a cursor)
// keeps: comments written with the column's microsecond default still page without repeats.
const SORT_KEY = sql`date_trunc('milliseconds', c.created_at), c.id`;

/**
 * One page of comments for each request (comments hidden by moderators left out), in one statement however many subjects a listing
 * shows: a lateral join runs the keyset query per subject.
 */
export async function loadCommentPages(db: Kysely<Database>, requests: readonly CommentPageRequest[]): Promise<CommentRow[][]> {
  if (requests.length === 0) return [];
  const keys = requests.map((r, i) => {
    const after = decodeCommentCursor(r.after);
    return sql`(${i}::int, ${r.subjectId}::uuid, ${after?.createdAt ?? null}::timestamptz, ${after?.id ?? null}::uuid, ${r.limit}::int)`;
  });
  const { rows } = await sql<CommentRow & { idx: number }>`
    select k.idx, c.* from (values ${sql.join(keys)}) as k(idx, subject_id, after_at, after_id, lim)
    cross join lateral (
      select * from comments c
      where c.subject_id = k.subject_id
        and c.hidden_at is null
        and (k.after_at is null or (${SORT_KEY}) > (k.after_at, k.after_id))
      order by ${SORT_KEY}
      limit k.lim
    ) c
    order by k.idx, ${SORT_KEY}`.execute(db);
  const pages = requests.map((): CommentRow[] => []);
  for (const { idx, ...row } of rows) pages[idx]!.push(row);
  return pages;
}

export function encodeCommentCursor(comment: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([comment.createdAt.toISOString(), comment.id])).toString('base64url');
}

function decodeCommentCursor(cursor: string | null | undefined): Position | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(values) || values.length !== 2) throw new Error('not a pair');
    const [createdAt, id] = values as unknown[];
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string' || !isUuid(id)) {
      throw new Error('bad values');
    }
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw new ValidationError([{ field: 'after', message: 'is not a cursor from this list of comments' }]);
  }
}
