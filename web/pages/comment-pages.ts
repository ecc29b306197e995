import type { WebSession } from '../../server/auth/sessions.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { csrfField, errorSummary, textarea } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import type { Markdown } from '../markdown.js';
import { itemPath, kindOfTypename } from '../vocabulary.js';

export const COMMENT_QUERY = `query Comment($id: ID!) { node(id: $id) { __typename ... on Comment {
  id body createdAt editedAt author { id name } council { name slug } subject { __typename id title } } } }`;

export interface CommentData {
  id: string; body: string; createdAt: string; editedAt: string | null;
  author: { id: string; name: string }; council: { name: string; slug: string };
  subject: { __typename: string; id: string; title: string };
}

/** What the signed-in member may do with a comment; the API decides again on every change. */
export function commentPermissions(session: WebSession, comment: { author: { id: string }; council: { slug: string } }): { edit: boolean; delete: boolean } {
  const own = comment.author.id === encodeGlobalId('Member', session.viewer.memberId);
  return { edit: own, delete: own || (session.viewer.role === 'admin' && comment.council.slug === session.council.slug) };
}

export function commentSubjectPath(comment: CommentData): string {
  return itemPath(kindOfTypename(comment.subject.__typename)!, comment.subject.id);
}

const column = (main: SafeHtml) => html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${main}</div></div>`;

/** Editing your own comment: the words you wrote, with GOV.UK's character count. */
export function editCommentPage(session: WebSession, comment: CommentData, body: string, error?: string) {
  return {
    title: `${error ? 'Error: ' : ''}Edit your comment on ${comment.subject.title}`,
    main: column(html`${error ? errorSummary([{ field: 'comment', message: error }]) : ''}
  <span class="govuk-caption-l">${comment.subject.title}</span>
  <h1 class="govuk-heading-l">Edit your comment</h1>
  <form method="post" action="/comments/${comment.id}/edit" novalidate>${csrfField(session)}
    ${textarea({ name: 'comment', label: 'Your comment', hint: 'You can use Markdown. The page will say it was edited.', value: body, rows: 6, maxLength: 10_000, error })}
    <div class="govuk-button-group">
      <button type="submit" class="govuk-button" data-module="govuk-button">Save comment</button>
      <a class="govuk-link" href="${commentSubjectPath(comment)}#comment-${comment.id}">Cancel</a>
    </div>
  </form>`),
  };
}

/** GOV.UK's "are you sure" before a delete that cannot be undone. */
export function deleteCommentPage(session: WebSession, comment: CommentData, markdown: Markdown) {
  const own = comment.author.id === encodeGlobalId('Member', session.viewer.memberId);
  return {
    title: `Delete ${own ? 'your' : 'this'} comment on ${comment.subject.title}`,
    main: column(html`<span class="govuk-caption-l">${comment.subject.title}</span>
  <h1 class="govuk-heading-l">Are you sure you want to delete ${own ? 'your' : 'this'} comment?</h1>
  <div class="govuk-inset-text"><p class="govuk-body-s"><strong>${comment.author.name}</strong>, ${comment.council.name}</p>
    <div class="cc-markdown">${markdown.render(comment.body)}</div></div>
  <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
    <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> You cannot undo this.</strong></div>
  <form method="post" action="/comments/${comment.id}/delete" novalidate>${csrfField(session)}
    <div class="govuk-button-group">
      <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Delete comment</button>
      <a class="govuk-link" href="${commentSubjectPath(comment)}#comment-${comment.id}">Cancel</a>
    </div>
  </form>`),
  };
}

export function notYourCommentPage() {
  return {
    title: 'You cannot change this comment',
    main: column(html`<h1 class="govuk-heading-l">You cannot change this comment</h1>
  <p class="govuk-body">Only the person who wrote a comment can edit it. They, or an admin of their council, can delete it.</p>`),
  };
}
