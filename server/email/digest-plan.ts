import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { readCursor } from '../events/consumer-cursors.js';
import { effectiveEmailSql } from '../notifications/email-mode-sql.js';

export type DigestKind = 'daily' | 'weekly';

const NOTIFICATIONS_CONSUMER = 'notifications';

/**
 * The period a digest run belongs to: the date of the latest digest time at or before `now`
 * (each day at `hour` UTC; weekly, on `weekday`). A run is due once per period.
 */
export function digestPeriod(kind: DigestKind, now: Date, hour: number, weekday: number): string {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  if (at > now) at.setUTCDate(at.getUTCDate() - 1);
  if (kind === 'weekly') at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() - weekday + 7) % 7));
  return at.toISOString().slice(0, 10);
}

/**
 * Queues one digest per member with something to tell, for one period, in one transaction
 * with the period's marker, so a run is planned once however often a worker dies and
 * restarts. It covers inbox rows for events up to the notifications consumer's cursor (all
 * committed) after the previous run's; the next run starts where this one ends. Returns the
 * digests queued, or null when the period was planned already.
 */
export async function planDigests(db: Kysely<Database>, kind: DigestKind, period: string): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const to = (await readCursor(trx, NOTIFICATIONS_CONSUMER)).position;
    const marked = await trx.insertInto('email_digest_runs').values({ kind, period, to_position: to })
      .onConflict((oc) => oc.columns(['kind', 'period']).doNothing()).returning('period').executeTakeFirst();
    if (!marked) return null;
    const previous = await trx.selectFrom('email_digest_runs').select((eb) => eb.fn.max('to_position').as('to'))
      .where('kind', '=', kind).where('period', '<', period).executeTakeFirst();
    const from = Number(previous?.to ?? 0);
    if (to <= from) return 0;
    const result = await sql`
      insert into email_sends (key, member_id, kind, from_position, to_position)
      select ${kind} || ':' || n.member_id || ':' || ${period}, n.member_id, ${kind}, ${from}, ${to}
      from notifications n
      left join follows f on f.id = n.follow_id
      left join member_email_settings s on s.member_id = n.member_id
      where n.event_position > ${from} and n.event_position <= ${to} and ${effectiveEmailSql()} = ${kind}
      group by n.member_id
      on conflict (key) do nothing`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}
