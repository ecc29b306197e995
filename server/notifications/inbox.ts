import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Viewer } from '../auth/viewer.js';
import type { StoredEvent } from '../events/catalogue.js';
import { toStoredEvent } from '../events/outbox.js';
import { requireMember } from '../domain/content.js';
import { isUuid } from '../domain/ids.js';
import { ValidationError } from '../kernel/errors.js';

/** One inbox entry: an event a member heard of, through one of their follows. */
export interface Notification {
  readonly id: string;
  /** Inbox order; the cursor of the `notifications` connection. */
  readonly seq: number;
  readonly memberId: string;
  readonly followId: string | null;
  readonly createdAt: Date;
  readonly readAt: Date | null;
  readonly event: StoredEvent;
}

export interface InboxPageRequest {
  after?: number | undefined;
  before?: number | undefined;
  limit: number;
  /** Oldest first when paging backwards; the caller reverses. */
  inverted: boolean;
  unreadOnly?: boolean | null | undefined;
}

/** Ids one markNotificationsRead call may name. */
export const MAX_MARK_READ = 100;

/** Selects inbox rows with their events, newest first unless told otherwise. */
export function selectNotifications(db: Kysely<Database>) {
  return db.selectFrom('notifications as n').innerJoin('outbox_events as e', 'e.position', 'n.event_position')
    .select(['n.id', 'n.seq', 'n.member_id', 'n.follow_id', 'n.created_at as notified_at', 'n.read_at',
      'e.position', 'e.type', 'e.subject_type', 'e.subject_id', 'e.council_id', 'e.visibility', 'e.payload', 'e.created_at']);
}

type NotificationRow = Awaited<ReturnType<ReturnType<typeof selectNotifications>['execute']>>[number];

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id, seq: Number(row.seq), memberId: row.member_id, followId: row.follow_id, createdAt: row.notified_at, readAt: row.read_at,
    event: toStoredEvent(row),
  };
}

/** A member's inbox: only ever their own rows. */
export function createInbox({ db }: { db: Kysely<Database> }) {
  async function unreadCount(memberId: string): Promise<number> {
    const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('member_id', '=', memberId).where('read_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  return {
    async page(viewer: Viewer, page: InboxPageRequest): Promise<Notification[]> {
      const member = requireMember(viewer);
      let query = selectNotifications(db).where('n.member_id', '=', member.memberId);
      if (page.unreadOnly) query = query.where('n.read_at', 'is', null);
      if (page.after !== undefined) query = query.where('n.seq', '<', page.after);
      if (page.before !== undefined) query = query.where('n.seq', '>', page.before);
      const rows = await query.orderBy('n.seq', page.inverted ? 'asc' : 'desc').limit(page.limit).execute();
      return rows.map(toNotification);
    },

    /** `node(id:)`: the viewer's own notifications, in the order asked; anyone else's is null. */
    async byIds(viewer: Viewer, ids: readonly string[]): Promise<(Notification | null)[]> {
      const valid = ids.filter(isUuid);
      if (viewer.kind !== 'member' || valid.length === 0) return ids.map(() => null);
      const rows = await selectNotifications(db).where('n.member_id', '=', viewer.memberId).where('n.id', 'in', valid).execute();
      const found = new Map(rows.map((row) => [row.id, toNotification(row)]));
      return ids.map((id) => found.get(id) ?? null);
    },

    async unreadCount(viewer: Viewer): Promise<number | null> {
      return viewer.kind === 'member' ? unreadCount(viewer.memberId) : null;
    },

    /** Marks the viewer's own notifications read; ids that are not theirs change nothing. */
    async markRead(viewer: Viewer, ids: readonly string[]): Promise<{ notifications: Notification[]; unreadCount: number }> {
      const member = requireMember(viewer);
      if (ids.length > MAX_MARK_READ) throw new ValidationError([{ field: 'ids', message: `may hold at most ${MAX_MARK_READ} ids` }]);
      const valid = ids.filter(isUuid);
      if (valid.length > 0) {
        await db.updateTable('notifications').set({ read_at: sql`coalesce(read_at, now())` })
          .where('member_id', '=', member.memberId).where('id', 'in', valid).execute();
      }
      const rows = valid.length
        ? await selectNotifications(db).where('n.member_id', '=', member.memberId).where('n.id', 'in', valid).orderBy('n.seq', 'desc').execute()
        : [];
      return { notifications: rows.map(toNotification), unreadCount: await unreadCount(member.memberId) };
    },

    async markAllRead(viewer: Viewer): Promise<{ marked: number; unreadCount: number }> {
      const member = requireMember(viewer);
      const result = await db.updateTable('notifications').set({ read_at: new Date() })
        .where('member_id', '=', member.memberId).where('read_at', 'is', null).executeTakeFirst();
      return { marked: Number(result.numUpdatedRows), unreadCount: await unreadCount(member.memberId) };
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
