import type { WebSession } from '../../server/auth/sessions.js';
import { notificationBanner, tag } from '../components.js';
import { csrfField, errorSummary, hiddenFields, textarea, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { formatDate, itemPath, kindOfTypename, KIND_LABELS } from '../vocabulary.js';

export const MAX_REASON = 1_000;

const SUBJECT = `__typename id ... on Content { title visibility } ... on Comment { body hidden author { name } subject { __typename id title } }`;

export const REPORT_SUBJECT_QUERY = `query ReportSubject($id: ID!) { node(id: $id) { ${SUBJECT} } }`;

export const MODERATION_QUERY = `query Moderation { moderationQueue(first: 50) { edges { node {
    subjectId openReports firstReportedAt subject { ${SUBJECT} }
    reports { reason createdAt reporter { name council { name } } } } } }
  moderationLog(first: 30) { edges { node { decision reason createdAt moderator { name } subjectId subject { ${SUBJECT} } } } } }`;

/** An item or a comment, as report and moderation pages show it. */
export type Subject =
  | { __typename: 'Problem' | 'Solution' | 'CaseStudy'; id: string; title: string; visibility: string }
  | { __typename: 'Comment'; id: string; body: string; hidden: boolean; author: { name: string }; subject: { __typename: string; id: string; title: string } };

export interface QueueEntry {
  subjectId: string; openReports: number; firstReportedAt: string; subject: Subject | null;
  reports: { reason: string; createdAt: string; reporter: { name: string; council: { name: string } } | null }[];
}
export interface LogEntry { decision: 'HIDDEN' | 'RESTORED' | 'DISMISSED'; reason: string; createdAt: string; moderator: { name: string } | null; subjectId: string; subject: Subject | null }
export interface ModerationData {
  moderationQueue: { edges: { node: QueueEntry }[] } | null;
  moderationLog: { edges: { node: LogEntry }[] } | null;
}

const column = (main: SafeHtml) => html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${main}</div></div>`;

export function isSubject(node: { __typename: string } | null): node is Subject {
  return node !== null && ['Problem', 'Solution', 'CaseStudy', 'Comment'].includes(node.__typename);
}

/** "the problem ‘…’" or "a comment by … on ‘…’", with a link to where it shows. */
function describe(subject: Subject): { text: string; href: string } {
  if (subject.__typename === 'Comment') {
    const item = subject.subject;
    return { text: `a comment by ${subject.author.name} on “${item.title}”`, href: `${itemPath(kindOfTypename(item.__typename)!, item.id)}#comment-${subject.id}` };
  }
  const kind = kindOfTypename(subject.__typename)!;
  return { text: `the ${KIND_LABELS[kind].toLowerCase()} “${subject.title}”`, href: itemPath(kind, subject.id) };
}

const excerpt = (body: string) => (body.length > 300 ? `${body.slice(0, 300)}…` : body);

function subjectBlock(subject: Subject): SafeHtml {
  const { text, href } = describe(subject);
  return html`<p class="govuk-body"><a class="govuk-link" href="${href}">${text.charAt(0).toUpperCase()}${text.slice(1)}</a></p>
  ${subject.__typename === 'Comment' ? html`<div class="govuk-inset-text cc-break">${excerpt(subject.body)}</div>` : ''}`;
}

/** The report form: what is reported, and why. */
export function reportPage(session: WebSession, subject: Subject, reason = '', error?: string) {
  const { text } = describe(subject);
  return {
    title: `${error ? 'Error: ' : ''}Report ${text}`,
    main: column(html`${error ? errorSummary([{ field: 'reason', message: error }]) : ''}
  <h1 class="govuk-heading-l">Report this to the moderators</h1>
  ${subjectBlock(subject)}
  <p class="govuk-body">The hub's platform admins read every report. They can hide what breaks the hub's rules, for example personal data about residents, abuse, or advertising. Only they and you see your report.</p>
  <form method="post" action="/report" novalidate>${csrfField(session)}${hiddenFields({ subject: subject.id })}
    ${textarea({ name: 'reason', label: 'Why are you reporting it?', hint: 'Say what is wrong, so a moderator can check it quickly.', value: reason, rows: 5, maxLength: MAX_REASON, error })}
    <button type="submit" class="govuk-button" data-module="govuk-button">Send report</button>
  </form>`),
  };
}

export function reportSentPage(subject: Subject) {
  const { text, href } = describe(subject);
  return {
    title: 'Your report was sent',
    main: column(html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Your report was sent</h1>
    <div class="govuk-panel__body">A platform admin will review it</div></div>
  <p class="govuk-body">You reported ${text}. If it breaks the hub's rules, a platform admin will hide it.</p>
  <p class="govuk-body"><a class="govuk-link" href="${href}">Go back</a></p>`),
  };
}

export function notModeratorPage() {
  return {
    title: 'Only platform admins can moderate',
    section: 'account' as const,
    main: column(html`<h1 class="govuk-heading-l">Only platform admins can moderate</h1>
  <p class="govuk-body">To report something, use the “Report” link on its page.</p>`),
  };
}

const DONE: Record<string, string> = { hidden: 'It is hidden.', dismissed: 'The reports are dismissed.', restored: 'It is shown again.' };
const DECISIONS = { HIDDEN: ['Hidden', 'red'], RESTORED: ['Restored', 'green'], DISMISSED: ['Reports dismissed', 'grey'] } as const;

/** The review queue, then the latest decisions with a restore form for what is still hidden. */
export function moderationPage(session: WebSession, data: ModerationData, options: { done?: string | null; errors?: FieldError[]; answers?: Record<string, string> } = {}) {
  const queue = data.moderationQueue?.edges.map((e) => e.node) ?? [];
  const log = data.moderationLog?.edges.map((e) => e.node) ?? [];
  const errors = options.errors ?? [];
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  const reasonField = (field: string, label: string) => textarea({ name: field, label, value: options.answers?.[field] ?? '', rows: 3, maxLength: MAX_REASON, error: errorFor(field), hint: 'Kept in the audit trail. The council that owns it can ask you about it.' });
  const stillHidden = (s: Subject | null) => s !== null && (s.__typename === 'Comment' ? s.hidden : s.visibility === 'HIDDEN');
  const restorable = log.filter((l, i) => l.decision === 'HIDDEN' && stillHidden(l.subject) && log.findIndex((o) => o.subjectId === l.subjectId) === i);
  return {
    title: `${errors.length ? 'Error: ' : ''}Moderation`,
    section: 'account' as const,
    main: html`${errors.length ? errorSummary(errors) : ''}
  ${options.done && DONE[options.done] ? notificationBanner('Done', html`<p class="govuk-notification-banner__heading">${DONE[options.done]}</p>`) : ''}
  <h1 class="govuk-heading-l">Moderation</h1>
  <h2 class="govuk-heading-m">Reports to review (${queue.length})</h2>
  ${queue.length === 0 ? html`<p class="govuk-body">There are no open reports.</p>` : queue.map((entry, i) => html`<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper">
    <h3 class="govuk-summary-card__title">${entry.openReports} ${entry.openReports === 1 ? 'report' : 'reports'} since ${formatDate(entry.firstReportedAt)}</h3></div>
    <div class="govuk-summary-card__content">
      ${entry.subject ? subjectBlock(entry.subject) : html`<p class="govuk-body">It has been deleted since it was reported.</p>`}
      <ul class="govuk-list govuk-list--bullet">${entry.reports.map((r) => html`<li>“${r.reason}” (${r.reporter ? `${r.reporter.name}, ${r.reporter.council.name}` : 'a former member'}, ${formatDate(r.createdAt)})</li>`)}</ul>
      <form method="post" action="/moderation" novalidate>${csrfField(session)}${hiddenFields({ subject: entry.subjectId, field: `reason-${i}` })}
        ${reasonField(`reason-${i}`, 'Reason for your decision')}
        <div class="govuk-button-group">
          ${entry.subject ? html`<button type="submit" name="decision" value="hide" class="govuk-button govuk-button--warning" data-module="govuk-button">Hide it</button>` : ''}
          <button type="submit" name="decision" value="dismiss" class="govuk-button govuk-button--secondary" data-module="govuk-button">Dismiss the reports</button>
        </div>
      </form></div></div>`)}
  <h2 class="govuk-heading-m">Hidden now</h2>
  ${restorable.length === 0 ? html`<p class="govuk-body">Nothing among the latest decisions is hidden.</p>` : restorable.map((entry, i) => html`<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper">
    <h3 class="govuk-summary-card__title">Hidden on ${formatDate(entry.createdAt)}</h3></div>
    <div class="govuk-summary-card__content">${subjectBlock(entry.subject!)}
      <p class="govuk-body">Reason: “${entry.reason}”</p>
      <form method="post" action="/moderation" novalidate>${csrfField(session)}${hiddenFields({ subject: entry.subjectId, field: `restore-${i}`, decision: 'restore' })}
        ${reasonField(`restore-${i}`, 'Reason for restoring it')}
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Restore it</button>
      </form></div></div>`)}
  <h2 class="govuk-heading-m">Audit trail</h2>
  ${log.length === 0 ? html`<p class="govuk-body">No decisions yet.</p>` : html`<div class="cc-table-scroll" role="region" aria-label="Audit trail: table" tabindex="0"><table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">The latest moderation decisions</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">Decision</th><th scope="col" class="govuk-table__header">About</th><th scope="col" class="govuk-table__header">Why</th></tr></thead>
    <tbody class="govuk-table__body">${log.map((l) => html`<tr class="govuk-table__row">
      <td class="govuk-table__cell">${formatDate(l.createdAt)}</td>
      <td class="govuk-table__cell">${tag(DECISIONS[l.decision][0], DECISIONS[l.decision][1])} by ${l.moderator?.name ?? 'the operator'}</td>
      <td class="govuk-table__cell cc-break">${l.subject ? describe(l.subject).text : 'something since deleted'}</td>
      <td class="govuk-table__cell cc-break">${l.reason}</td></tr>`)}</tbody></table></div>`}`,
  };
}
