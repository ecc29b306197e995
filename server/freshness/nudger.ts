import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import { nudgeRecipients } from './nudge-recipients.js';

export type NudgedSubject = 'problem' | 'solution';
const TABLES = { problem: 'problems', solution: 'solutions' } as const;

export interface NudgeConfig {
  /** Months an item may go unchanged before its council is asked about it. @default 6 */
  readonly unchangedMonths: number;
  /** Days a nudge waits for an answer before the item shows "may be out of date". @default 14 */
  readonly answerDays: number;
  /** Longest wait between two looks for due items. @default 3600000 */
  readonly pollIntervalMs: number;
}

export const DEFAULT_NUDGE_CONFIG: NudgeConfig = { unchangedMonths: 6, answerDays: 14, pollIntervalMs: 3_600_000 };

/** Items looked at per table and run: a backlog clears over a few runs, each short. */
const BATCH = 100;

interface ItemRow {
  id: string;
  council_id: string;
  title: string;
  summary: string;
  service_area: string;
  tags: string[];
  status: string;
  version: number;
  visibility: 'draft' | 'published';
  phase_ends_on: string | null;
  updated_at: Date;
}

export interface NudgerDeps {
  readonly db: Kysely<Database>;
  readonly config: Pick<NudgeConfig, 'unchangedMonths' | 'answerDays'>;
  /** Queue an email per nudge (false when the hub has no way to send email). */
  readonly queueEmail: boolean;
}

/**
 * Freshness nudges. A published problem or solution is due when its phase's expected end
 * date has passed (the day after it), or it has not changed for `unchangedMonths`; its named
 * contact, or else its council's admins (nudge-recipients.ts), then get an inbox row and an
 * email asking "still current?".
 * The nudge row's key names the item and what it is about (that end date, or that
 * version), and it commits in one transaction with the item's `nudged_at`, the event, the
 * inbox rows and the queued emails: a nudge goes once per item and reason however often a
 * worker dies (the sent-log then sends its email at most once, as for digests). A nudge
 * unanswered for `answerDays` marks the item "may be out of date", with its own event, so
 * the search index learns it. Answering (any edit, or "still current") clears both.
 */
export function createNudger({ db, config, queueEmail }: NudgerDeps) {
  const key = (subject: NudgedSubject, row: { id: string; phase_ends_on: string | null; version: number }, reason: 'phase_ended' | 'unchanged') =>
    reason === 'phase_ended' ? `${subject}:${row.id}:phase:${row.phase_ends_on}` : `${subject}:${row.id}:unchanged:${row.version}`;

  function limits(now: Date) {
    const unchangedSince = new Date(now);
    unchangedSince.setUTCMonth(unchangedSince.getUTCMonth() - config.unchangedMonths);
    return { today: now.toISOString().slice(0, 10), unchangedSince, answerBy: new Date(now.getTime() - config.answerDays * 86_400_000) };
  }

  async function dueIds(subject: NudgedSubject, now: Date): Promise<string[]> {
    const { today, unchangedSince } = limits(now);
    const table = sql.table(TABLES[subject]);
    const { rows } = await sql<{ id: string }>`
      select t.id from ${table} t
      where t.visibility = 'published' and t.status <> 'archived' and t.nudged_at is null
        and ((t.phase_ends_on < ${today}
              and not exists (select 1 from nudges n where n.key = ${subject} || ':' || t.id || ':phase:' || t.phase_ends_on))
          or (t.updated_at <= ${unchangedSince}
              and not exists (select 1 from nudges n where n.key = ${subject} || ':' || t.id || ':unchanged:' || t.version)))
      order by t.updated_at, t.id
      limit ${BATCH}`.execute(db);
    return rows.map((r) => r.id);
  }

  /** Nudges one item if it is still due, under its row lock; true when it did. */
  async function nudge(subject: NudgedSubject, id: string, now: Date): Promise<boolean> {
    const { today, unchangedSince } = limits(now);
    return db.transaction().execute(async (trx) => {
      await stampTime(trx, now);
      const { rows: [row] } = await sql<ItemRow>`
        select id, council_id, title, summary, service_area, tags, status, version, visibility, phase_ends_on, updated_at
        from ${sql.table(TABLES[subject])} where id = ${id} and visibility = 'published' and status <> 'archived' and nudged_at is null
        for update`.execute(trx);
      if (!row) return false;
      const reasons = [
        ...(row.phase_ends_on !== null && row.phase_ends_on < today ? ['phase_ended' as const] : []),
        ...(new Date(row.updated_at) <= unchangedSince ? ['unchanged' as const] : []),
      ];
      const sent = new Set((await trx.selectFrom('nudges').select('key').where('key', 'in', reasons.length ? reasons.map((r) => key(subject, row, r)) : ['']).execute()).map((r) => r.key));
      const reason = reasons.find((r) => !sent.has(key(subject, row, r)));
      if (!reason) return false;
      const position = await appendEvent(trx, {
        ...eventOf(subject, row, `${subject}.nudged`, { reason, phaseEndsOn: row.phase_ends_on }),
        // Only its own council hears of a nudge (as of a draft's events), in every channel.
        visibility: 'draft',
      });
      const nudgeKey = key(subject, row, reason);
      await trx.insertInto('nudges').values({ key: nudgeKey, subject_type: subject, subject_id: row.id, council_id: row.council_id, reason, event_position: position }).execute();
      await sql`update ${sql.table(TABLES[subject])} set nudged_at = ${now} where id = ${row.id}`.execute(trx);
      const asked = await nudgeRecipients(trx, { id: row.id, councilId: row.council_id });
      if (asked.length === 0) return true;
      await trx.insertInto('notifications').values(asked.map((a) => ({ member_id: a.id, event_position: position, follow_id: null })))
        .onConflict((oc) => oc.columns(['member_id', 'event_position']).doNothing()).execute();
      const emailed = queueEmail ? asked.filter((a) => a.email !== 'off') : [];
      if (emailed.length > 0) {
        await trx.insertInto('email_sends')
          .values(emailed.map((a) => ({ key: `nudge:${a.id}:${nudgeKey}`, member_id: a.id, kind: 'nudge' as const, from_position: position, to_position: position })))
          .onConflict((oc) => oc.column('key').doNothing()).execute();
      }
      return true;
    });
  }

  /** Marks one item whose nudge went unanswered; true when it did. */
  async function mark(subject: NudgedSubject, id: string, now: Date): Promise<boolean> {
    const { answerBy } = limits(now);
    return db.transaction().execute(async (trx) => {
      await stampTime(trx, now);
      const { rows: [row] } = await sql<ItemRow>`
        update ${sql.table(TABLES[subject])} set out_of_date = true
        where id = ${id} and nudged_at <= ${answerBy} and not out_of_date and visibility = 'published' and status <> 'archived'
        returning id, council_id, title, summary, service_area, tags, status, version, visibility, phase_ends_on, updated_at`.execute(trx);
      if (!row) return false;
      await appendEvent(trx, eventOf(subject, row, `${subject}.marked_out_of_date`, {}));
      return true;
    });
  }

  async function unansweredIds(subject: NudgedSubject, now: Date): Promise<string[]> {
    const { answerBy } = limits(now);
    const { rows } = await sql<{ id: string }>`
      select id from ${sql.table(TABLES[subject])}
      where nudged_at <= ${answerBy} and not out_of_date and visibility = 'published' and status <> 'archived'
      order by nudged_at, id limit ${BATCH}`.execute(db);
    return rows.map((r) => r.id);
  }

  return {
    /** One pass at `now`: nudges due items and marks unanswered ones. Returns how many of each. */
    async run(now: Date): Promise<{ nudged: number; marked: number }> {
      let nudged = 0;
      let marked = 0;
      for (const subject of ['problem', 'solution'] as const) {
        for (const id of await dueIds(subject, now)) if (await nudge(subject, id, now)) nudged++;
        for (const id of await unansweredIds(subject, now)) if (await mark(subject, id, now)) marked++;
      }
      return { nudged, marked };
    },
  };
}

/** The transaction's hub time (hub_now(), migration 0010) is the nudger's clock, so tests can move it. */
async function stampTime(trx: Transaction<Database>, now: Date): Promise<void> {
  await sql`select set_config('council_commons.now', ${now.toISOString()}, true)`.execute(trx);
}

function eventOf(subject: NudgedSubject, row: ItemRow, type: EventType, extra: Record<string, unknown>) {
  return {
    type, subjectType: subject, subjectId: row.id, councilId: row.council_id, visibility: row.visibility,
    payload: { title: row.title, summary: row.summary, serviceArea: row.service_area, tags: row.tags, status: row.status, version: row.version, ...extra },
  };
}

export type Nudger = ReturnType<typeof createNudger>;
