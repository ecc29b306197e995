import { FormError } from './forms.js';
import type { Outcome, PageRequest, PageRoute } from './page-request.js';
import { INBOX_PAGE_SIZE, INBOX_QUERY, inboxPage, type InboxData } from './pages/inbox-page.js';
import { postedForm } from './write/posted-form.js';

const MARK = `mutation($ids: [ID!]!) { result: markNotificationsRead(input: { ids: $ids }) { __typename ... on Error { message } } }`;
const MARK_ALL = `mutation { result: markAllNotificationsRead(input: {}) { __typename ... on Error { message } } }`;
export const UNREAD_COUNT = `{ viewer { notifications(first: 1) { unreadCount } } }`;

/** The inbox page, and marking notifications read from it. */
export function createInboxRoutes(): PageRoute {
  return async (request) => {
    const key = `${request.req.method === 'HEAD' ? 'GET' : request.req.method} ${request.url.pathname}`;
    if (key === 'GET /inbox') return request.session ? show(request) : { redirect: '/sign-in' };
    if (key === 'POST /inbox/read') return mark(request, false);
    if (key === 'POST /inbox/read-all') return mark(request, true);
    return null;
  };
}

async function show(request: PageRequest): Promise<Outcome> {
  const params = request.url.searchParams;
  const unreadOnly = params.get('unread') === 'true';
  const after = params.get('after');
  const { viewer } = await request.data<InboxData>(request.server, INBOX_QUERY,
    { first: INBOX_PAGE_SIZE, after: after && after.length <= 200 ? after : null, unreadOnly });
  if (!viewer.notifications) return { redirect: '/sign-in' };
  return { view: inboxPage(request.session!, viewer.notifications, unreadOnly) };
}

async function mark(request: PageRequest, all: boolean): Promise<Outcome> {
  const { form } = await postedForm(request);
  const variables = all ? {} : { ids: [form.get('id') ?? ''] };
  const { result } = await request.data<{ result: { __typename: string; message?: string } }>(request.server, all ? MARK_ALL : MARK, variables);
  if (result.__typename !== (all ? 'MarkAllNotificationsReadPayload' : 'MarkNotificationsReadPayload')) throw new FormError(400, result.message ?? 'the notification could not be marked read');
  return { redirect: '/inbox' };
}

/** The header's unread count for a signed-in page; null for anonymous visitors. */
export async function unreadCount(request: PageRequest): Promise<number | null> {
  if (!request.session) return null;
  const { viewer } = await request.data<{ viewer: { notifications: { unreadCount: number } | null } }>(request.server, UNREAD_COUNT);
  return viewer.notifications?.unreadCount ?? null;
}
