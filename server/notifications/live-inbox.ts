import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Viewer } from '../auth/viewer.js';
import { requireMember } from '../domain/content.js';
import { createPushIterator, type PushIterator } from '../events/push-iterator.js';
import type { EventSignal } from '../events/signal.js';
import type { Logger } from '../logger.js';
import { selectNotifications, toNotification, type Notification } from './inbox.js';

export interface LiveInboxOptions {
  readonly db: Kysely<Database>;
  /** Rung after inbox rows commit, by whichever process runs the notifications consumer. */
  readonly signal: EventSignal;
  readonly logger: Logger;
  /** A lost ring delays a notification by at most this long. @default 1500 */
  readonly pollIntervalMs?: number;
  /** Notifications one subscriber may have waiting before it is cut off. @default 1000 */
  readonly maxQueued?: number;
}

const READ_BATCH = 1_000;

/**
 * `notificationAdded` for this process: one reader of new inbox rows (by `seq`) for every
 * member listening here, woken by the outbox doorbell, so N listeners cost one query per
 * ring, not N. It reads only while someone listens, and only the listeners' rows.
 */
export function createLiveInbox({ db, signal, logger, pollIntervalMs = 1_500, maxQueued = 1_000 }: LiveInboxOptions) {
  const listeners = new Map<string, Set<PushIterator<Notification>>>();
  let seq: number | undefined;
  let reading: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  async function readNew(): Promise<void> {
    if (seq === undefined) {
      const row = await db.selectFrom('notifications').select(sql<number>`coalesce(max(seq), 0)`.as('seq')).executeTakeFirstOrThrow();
      seq = Number(row.seq);
      return;
    }
    for (;;) {
      const members = [...listeners.keys()];
      if (members.length === 0) return;
      const rows = await selectNotifications(db).where('n.seq', '>', seq).where('n.member_id', 'in', members)
        .orderBy('n.seq').limit(READ_BATCH).execute();
      for (const row of rows) {
        const notification = toNotification(row);
        seq = notification.seq;
        for (const out of listeners.get(notification.memberId) ?? []) {
          out.push(notification);
          if (out.size > maxQueued) out.end();
        }
      }
      if (rows.length < READ_BATCH) return;
    }
  }

  /** One read at a time; a ring during a read makes one more read after it. */
  function ring(): void {
    if (reading) { again = true; return; }
    reading = readNew()
      .catch((error) => logger.warn('could not read new notifications; will try again', { error }))
      .finally(() => {
        reading = undefined;
        if (again) { again = false; ring(); }
      });
  }

  const unsubscribe = signal.subscribe(ring);
  timer = setInterval(ring, pollIntervalMs);
  timer.unref();

  return {
    /** The viewer's new notifications as they are added, from now on. */
    async subscribe(viewer: Viewer): Promise<PushIterator<Notification>> {
      const member = requireMember(viewer);
      // Learn where the inbox is before listening, so nothing added from now on is missed.
      if (seq === undefined) { ring(); await reading; }
      const out = createPushIterator<Notification>({
        onClose: () => {
          const set = listeners.get(member.memberId);
          set?.delete(out);
          if (set?.size === 0) listeners.delete(member.memberId);
        },
      });
      const set = listeners.get(member.memberId) ?? new Set();
      set.add(out);
      listeners.set(member.memberId, set);
      return out;
    },
    async stop(): Promise<void> {
      unsubscribe();
      if (timer) clearInterval(timer);
      timer = undefined;
      await reading;
      for (const set of listeners.values()) for (const out of set) out.end();
      listeners.clear();
    },
  };
}

export type LiveInbox = ReturnType<typeof createLiveInbox>;
