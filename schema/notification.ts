import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Notification } from '../server/notifications/inbox.js';
import { MAX_MARK_READ } from '../server/notifications/inbox.js';
import { requireMember } from '../server/domain/content.js';
import { listCap } from '../server/domain/list-caps.js';
import { builder } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { EventRef } from './events.js';
import { FollowRef } from './follow.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { ViewerRef } from './viewer.js';

export const NotificationRef = builder.objectRef<Notification>('Notification').implement({
  description: 'An event you heard of through one of your follows',
  fields: (t) => ({
    id: t.id({ resolve: (n) => encodeGlobalId('Notification', n.id) }),
    event: t.field({ type: EventRef, resolve: (n) => n.event }),
    follow: t.field({
      type: FollowRef, nullable: true,
      description: 'The follow it came through; null if you have unfollowed since',
      resolve: async (n, _, ctx) => n.followId ? (await ctx.services.follows.list(ctx.viewer))?.find((f) => f.id === n.followId) ?? null : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
    read: t.boolean({ resolve: (n) => n.readAt !== null }),
  }),
});

const parseSeq = (cursor: string | undefined, field: string) => {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,16}$/.test(cursor)) throw new GraphQLError(`${field} is not a cursor of this connection`, { extensions: { code: 'BAD_USER_INPUT' } });
  return Number(cursor);
};

builder.objectField(ViewerRef, 'notifications', (t) => t.connection({
  type: NotificationRef,
  nullable: true,
  description: 'Your inbox, newest first; null without a token',
  args: { unreadOnly: t.arg.boolean({ defaultValue: false }) },
  resolve: (_, args, ctx) => {
    if (ctx.viewer.kind !== 'member') return null;
    return resolveCursorConnection<Promise<Notification[]>>({ args, toCursor: (n) => String(n.seq) }, ({ after, before, limit, inverted }) =>
      ctx.services.inbox.page(ctx.viewer, { after: parseSeq(after, 'after'), before: parseSeq(before, 'before'), limit, inverted, unreadOnly: args.unreadOnly }));
  },
}, {
  fields: (c) => ({
    unreadCount: c.int({ description: 'Unread notifications in your whole inbox', resolve: async (_, __, ctx) => (await ctx.services.inbox.unreadCount(ctx.viewer)) ?? 0 }),
  }),
}));

const MarkNotificationsReadInput = builder.inputType('MarkNotificationsReadInput', {
  fields: (t) => ({ ids: t.globalIDList({ required: true, description: `At most ${MAX_MARK_READ}` }) }),
});

const MarkAllNotificationsReadInput = builder.inputType('MarkAllNotificationsReadInput', {
  fields: (t) => ({ unreadOnly: t.boolean({ description: 'Reserved; every unread notification is marked' }) }),
});

const MarkReadResult = builder.objectRef<{ notifications: Notification[]; unreadCount: number }>('NotificationsRead').implement({
  fields: (t) => ({
    notifications: t.field({ type: [NotificationRef], extensions: listCap(MAX_MARK_READ), resolve: (r) => r.notifications }),
    unreadCount: t.exposeInt('unreadCount'),
  }),
});

const MarkAllResult = builder.objectRef<{ marked: number; unreadCount: number }>('AllNotificationsRead').implement({
  fields: (t) => ({ marked: t.exposeInt('marked'), unreadCount: t.exposeInt('unreadCount') }),
});

builder.mutationFields((t) => ({
  markNotificationsRead: t.field({
    type: MarkReadResult,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'result' } },
    args: { input: t.arg({ type: MarkNotificationsReadInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      const ids = input.ids.map((id) => {
        if (id.typename !== 'Notification') throw new GraphQLError('ids must be IDs of notifications', { extensions: { code: 'INVALID_ID' } });
        return id.id;
      });
      return ctx.services.inbox.markRead(ctx.viewer, ids);
    },
  }),
  markAllNotificationsRead: t.field({
    type: MarkAllResult,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'result' } },
    args: { input: t.arg({ type: MarkAllNotificationsReadInput }) },
    resolve: (_, __, ctx) => ctx.services.inbox.markAllRead(ctx.viewer),
  }),
}));

builder.subscriptionField('notificationAdded', (t) => t.field({
  type: NotificationRef,
  description: 'Your notifications as they reach your inbox',
  subscribe: (_, __, ctx) => {
    requireMember(ctx.viewer);
    return ctx.services.liveInbox!.subscribe(ctx.viewer);
  },
  resolve: (n) => n,
}));
