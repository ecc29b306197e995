import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { StoredEvent } from './catalogue.js';

/**
 * Events never change, but some of the words they recorded are no longer shown anywhere
 * else: an item or comment hidden by moderators (say, for a resident's phone number), or a
 * comment since deleted. Wherever the log is read back, those words are left out of the
 * payloads of the events that carry them; the events themselves, their types and ids stay.
 * Restoring an item or comment shows its words again.
 */
export interface EventMention {
  /** `comment` for a comment, `item` for a problem, solution or case study. */
  readonly kind: 'comment' | 'item';
  readonly id: string;
}

/** The items and comments an event's words belong to. */
export function mentionsOf(event: Pick<StoredEvent, 'subjectType' | 'subjectId' | 'payload'>): EventMention[] {
  const payload = event.payload as Readonly<Record<string, unknown>>;
  const mentions: EventMention[] = [];
  if (event.subjectType === 'comment') mentions.push({ kind: 'comment', id: event.subjectId });
  else if (CONTENT.has(event.subjectType)) mentions.push({ kind: 'item', id: event.subjectId });
  if (event.subjectType === 'comment' && typeof payload.subjectId === 'string') mentions.push({ kind: 'item', id: payload.subjectId });
  if (typeof payload.problemId === 'string') mentions.push({ kind: 'item', id: payload.problemId });
  return mentions;
}

const CONTENT = new Set(['problem', 'solution', 'case_study']);

/** Of these mentions, the ids of those no longer shown: hidden items; hidden or deleted comments. */
export async function withdrawnIds(db: Kysely<Database>, mentions: readonly EventMention[]): Promise<Set<string>> {
  const items = [...new Set(mentions.filter((m) => m.kind === 'item').map((m) => m.id))];
  const comments = [...new Set(mentions.filter((m) => m.kind === 'comment').map((m) => m.id))];
  const withdrawn = new Set<string>();
  if (items.length > 0) {
    const ids = sql`${sql.val(items)}::uuid[]`;
    const { rows } = await sql<{ id: string }>`
      select id from problems where id = any(${ids}) and visibility = 'hidden'
      union all select id from solutions where id = any(${ids}) and visibility = 'hidden'
      union all select id from case_studies where id = any(${ids}) and visibility = 'hidden'`.execute(db);
    for (const row of rows) withdrawn.add(row.id);
  }
  if (comments.length > 0) {
    const shown = await db.selectFrom('comments').select('id').where('id', 'in', comments).where('hidden_at', 'is', null).execute();
    const present = new Set(shown.map((row) => row.id));
    for (const id of comments) if (!present.has(id)) withdrawn.add(id);
  }
  return withdrawn;
}

/** The event's payload without the words of withdrawn items and comments. */
export function withoutWithdrawn(event: StoredEvent, withdrawn: ReadonlySet<string>): Pick<StoredEvent, 'payload'> {
  const payload = { ...(event.payload as Record<string, unknown>) };
  const drop = (keys: readonly string[]) => keys.forEach((key) => delete payload[key]);
  if (withdrawn.has(event.subjectId)) drop(event.subjectType === 'comment' ? ['body'] : ['title', 'summary', 'tags']);
  if (event.subjectType === 'comment' && typeof payload.subjectId === 'string' && withdrawn.has(payload.subjectId)) drop(['subjectTitle']);
  if (typeof payload.problemId === 'string' && withdrawn.has(payload.problemId)) drop(['problemTitle']);
  return { payload: payload as StoredEvent['payload'] };
}
