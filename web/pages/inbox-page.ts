import type { WebSession } from '../../server/auth/sessions.js';
import { tag } from '../components.js';
import { csrfField, hiddenFields } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { councilPath, formatDate, humanise, itemPath, kindOfTypename } from '../vocabulary.js';

export const INBOX_PAGE_SIZE = 20;

const SUBJECT = '__typename ... on Content { id title }';
export const INBOX_QUERY = `query Inbox($first: Int!, $after: String, $unreadOnly: Boolean) {
  viewer { notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    unreadCount
    pageInfo { hasNextPage endCursor }
    edges { node { id read createdAt follow { kind }
      event { type occurredAt payload council { name slug } subject { ${SUBJECT} ... on Comment { subject { ${SUBJECT} } } } } } }
  } }
}`;

interface Subject { __typename: string; id?: string; title?: string; subject?: Subject }
export interface InboxNotification {
  id: string; read: boolean; createdAt: string; follow: { kind: string } | null;
  event: { type: string; occurredAt: string; payload: { title?: unknown } | null; council: { name: string; slug: string }; subject: Subject | null };
}
export interface InboxData {
  viewer: { notifications: { unreadCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: InboxNotification }[] } | null };
}

const WHAT: Record<string, string> = {
  PROBLEM_PUBLISHED: 'published a problem', SOLUTION_PUBLISHED: 'published a solution', CASE_STUDY_PUBLISHED: 'published a case study',
  PROBLEM_UPDATED: 'changed a problem', SOLUTION_UPDATED: 'changed a solution', CASE_STUDY_UPDATED: 'changed a case study',
  PROBLEM_STATUS_CHANGED: 'changed the status of a problem', PROBLEM_SUPPORTED: 'has this problem too',
  PROBLEM_SUPPORT_WITHDRAWN: 'no longer has this problem', SOLUTION_ADOPTED: 'recorded its stage with a solution',
  SOLUTION_LINKED: 'linked a solution to a problem', SOLUTION_UNLINKED: 'unlinked a solution from a problem', COMMENT_ADDED: 'commented on',
  PROBLEM_ARCHIVED: 'archived a problem', SOLUTION_ARCHIVED: 'archived a solution', CASE_STUDY_ARCHIVED: 'archived a case study',
};

/** The signed-in member's inbox: what happened to what they follow, newest first. */
export function inboxPage(session: WebSession, data: NonNullable<InboxData['viewer']['notifications']>, unreadOnly: boolean) {
  const unread = data.edges.filter((e) => !e.node.read).length;
  return {
    title: 'Your inbox',
    section: 'inbox' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <h1 class="govuk-heading-l">Your inbox</h1>
  <p class="govuk-body">${data.unreadCount === 0 ? 'You have no unread notifications.' : `You have ${data.unreadCount} unread ${data.unreadCount === 1 ? 'notification' : 'notifications'}.`}
    ${unreadOnly ? html`<a class="govuk-link" href="/inbox">Show all</a>` : html`<a class="govuk-link" href="/inbox?unread=true">Show unread only</a>`}</p>
  ${data.unreadCount > 0 ? html`<form method="post" action="/inbox/read-all" novalidate>${csrfField(session)}
    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Mark all as read</button></form>` : ''}
  ${data.edges.length === 0
    ? html`<p class="govuk-body">Nothing here yet. Follow a <a class="govuk-link" href="/">problem, solution or case study</a>, a council or a service area, and what happens to it arrives here.</p>`
    : html`<ul class="govuk-list cc-inbox">${data.edges.map(({ node }) => notification(session, node))}</ul>`}
  ${data.pageInfo.hasNextPage && data.pageInfo.endCursor ? html`<p class="govuk-body"><a class="govuk-link" href="/inbox?after=${encodeURIComponent(data.pageInfo.endCursor)}${unreadOnly ? '&unread=true' : ''}">Older notifications</a></p>` : ''}
  ${unread === 0 ? '' : html`<p class="govuk-body govuk-visually-hidden">${unread} unread on this page.</p>`}
</div></div>`,
  };
}

function notification(session: WebSession, node: InboxNotification): SafeHtml {
  const subject = node.event.subject?.__typename === 'Comment' ? node.event.subject.subject : node.event.subject;
  const kind = subject ? kindOfTypename(subject.__typename) : undefined;
  const title = subject?.title ?? (typeof node.event.payload?.title === 'string' ? node.event.payload.title : undefined);
  const what = WHAT[node.event.type] ?? humanise(node.event.type).toLowerCase();
  return html`<li class="cc-notification${node.read ? '' : ' cc-notification--unread'}">
    <p class="govuk-body govuk-!-margin-bottom-1">${node.read ? '' : html`${tag('New', 'blue')} `}<a class="govuk-link" href="${councilPath(node.event.council.slug)}">${node.event.council.name}</a> ${what}${title ? ': ' : ''}${kind && subject?.id ? html`<a class="govuk-link" href="${itemPath(kind, subject.id)}">${title}</a>` : title ?? ''}</p>
    <p class="govuk-body-s govuk-!-margin-bottom-1">${formatDate(node.event.occurredAt)}${node.follow ? `, because you follow ${FOLLOWED[node.follow.kind] ?? 'it'}` : ''}</p>
    ${node.read ? '' : html`<form method="post" action="/inbox/read" novalidate>${csrfField(session)}${hiddenFields({ id: node.id })}
      <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button">Mark as read<span class="govuk-visually-hidden">: ${title ?? what}</span></button></form>`}
  </li>`;
}

const FOLLOWED: Record<string, string> = {
  ITEM: 'this item', COUNCIL: 'this council', SERVICE_AREA: 'this service area', SAVED_SEARCH: 'a saved search', SOLUTIONS_FOR: 'solutions to this problem',
};
