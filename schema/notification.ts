import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Notification } from '../server/notifications/inbox.js';
import { MAX_MARK_READ } from '../server/notifications/inbox.js';
import { requireMember } from '../server/domain/content.js';
import { listCap } from '../server/domain/list-caps.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { EventRef } from './events.js';
import { FollowRef } from './follow.js';
import { ViewerRef } from './viewer.js';

export const NotificationRef = builder.objectRef<Notification>('Notification');

builder.node(NotificationRef, {
  id: { resolve: (n) => n.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'seq' in value && 'event' in value,
  loadMany: (ids, ctx) => ctx.services.inbox.byIds(ctx.viewer, ids),
  description: 'An event you heard of through one of your follows; `node(id:)` loads it for you alone',
  fields: (t) => ({
    event: t.field({ type: EventRef, description: 'What happened', resolve: (n) => n.event }),
    follow: t.field({
      type: FollowRef, nullable: true,
      description: 'The follow it came through; null if you have unfollowed since',
      resolve: async (n, _, ctx) => n.followId ? (await ctx.services.follows.list(ctx.viewer))?.find((f) => f.id === n.followId) ?? null : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it reached your inbox' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true, description: 'When you marked it read; null while unread' }),
    read: t.boolean({ description: 'Whether you have marked it read', resolve: (n) => n.readAt !== null }),
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
  args: { unreadOnly: t.arg.boolean({ defaultValue: false, description: 'Unread notifications only. Default: false' }) },
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
  description: 'Notifications to mark read',
  fields: (t) => ({ ids: t.globalIDList({ required: true, description: `Ids of your notifications, at most ${MAX_MARK_READ}; ids that are not yours change nothing` }) }),
});

const MarkAllNotificationsReadInput = builder.inputType('MarkAllNotificationsReadInput', {
  description: 'Marks every unread notification of yours; there is nothing to choose yet',
  fields: (t) => ({ unreadOnly: t.boolean({ description: 'Reserved; every unread notification is marked' }) }),
});

const MarkReadResult = builder.objectRef<{ notifications: Notification[]; unreadCount: number }>('NotificationsRead').implement({
  description: 'What marking notifications read did',
  fields: (t) => ({
    notifications: t.field({ type: [NotificationRef], description: 'The notifications marked, newest first (yours among the ids given)', extensions: listCap(MAX_MARK_READ), resolve: (r) => r.notifications }),
    unreadCount: t.exposeInt('unreadCount', { description: 'Unread notifications left in your inbox' }),
  }),
});

const MarkAllResult = builder.objectRef<{ marked: number; unreadCount: number }>('AllNotificationsRead').implement({
  description: 'What marking every notification read did',
  fields: (t) => ({
    marked: t.exposeInt('marked', { description: 'Notifications that were unread and are now read' }),
    unreadCount: t.exposeInt('unreadCount', { description: 'Unread notifications left in your inbox (0 unless new ones arrived)' }),
  }),
});

builder.mutationFields((t) => ({
  markNotificationsRead: t.field({
    type: MarkReadResult,
    description: 'Marks some of your notifications read',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'result', description: 'What it did' } },
    args: { input: t.arg({ type: MarkNotificationsReadInput, required: true, description: INPUT_ARG }) },
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
    description: 'Marks every unread notification of yours read',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'result', description: 'What it did' } },
    args: { input: t.arg({ type: MarkAllNotificationsReadInput, description: INPUT_ARG }) },
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
