import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/database.js';
import type { StoredEvent } from '../server/events/catalogue.js';
import { readCursor } from '../server/events/consumer-cursors.js';
import { effectiveEmailSql } from '../server/notifications/email-mode-sql.js';
import { createRecipientFinder } from '../server/notifications/recipients.js';
import { SEARCH_INDEXER, type SearchEngine } from '../server/search/engine.js';
import type { Consumer } from './runtime.js';

export const NOTIFICATIONS_CONSUMER = 'notifications';

/** Rows per insert, well inside PostgreSQL's 65,535 parameters per statement. */
const INSERT_CHUNK = 5_000;

export interface NotificationsDeps {
  readonly db: Kysely<Database>;
  readonly engine: SearchEngine;
  /** After inbox rows commit: rings live inboxes and the email sender. */
  readonly onAdded: () => void;
  /** Queue immediate emails (false when the hub has no way to send email). */
  readonly queueEmail: boolean;
}

/**
 * Turns events into inbox rows for the members who follow what they are about, and queues
 * immediate emails. Rows and emails commit together and are keyed by member and event
 * (emails by member and event too), so a replayed batch adds nothing (invariant 3).
 *
 * Saved searches ask the search engine, so this consumer never runs ahead of the search
 * indexer: its horizon is the indexer's cursor, and the indexer wakes it when it moves.
 */
export function createNotificationsConsumer({ db, engine, onAdded, queueEmail }: NotificationsDeps): Consumer {
  const findRecipients = createRecipientFinder({ db, engine });
  return {
    name: NOTIFICATIONS_CONSUMER,
    horizon: async () => (await readCursor(db, SEARCH_INDEXER)).position,
    async handle(events: readonly StoredEvent[]) {
      const recipients = await findRecipients(events);
      if (recipients.length === 0) return;
      const first = events[0]!.position;
      const last = events[events.length - 1]!.position;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < recipients.length; i += INSERT_CHUNK) {
          await trx.insertInto('notifications')
            .values(recipients.slice(i, i + INSERT_CHUNK).map((r) => ({ member_id: r.memberId, event_position: r.position, follow_id: r.followId })))
            .onConflict((oc) => oc.columns(['member_id', 'event_position']).doNothing())
            .execute();
        }
        if (!queueEmail) return;
        await sql`
          insert into email_sends (key, member_id, kind, from_position, to_position)
          select 'immediate:' || n.member_id || ':' || n.event_position, n.member_id, 'immediate', n.event_position, n.event_position
          from notifications n
          left join follows f on f.id = n.follow_id
          left join member_email_settings s on s.member_id = n.member_id
          where n.event_position between ${first} and ${last} and ${effectiveEmailSql()} = 'immediate'
          on conflict (key) do nothing`.execute(trx);
      });
      onAdded();
    },
  };
}
