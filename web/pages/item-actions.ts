import type { WebSession } from '../../server/auth/sessions.js';
import { followButton, type FollowSummary } from '../follow-button.js';
import { csrfField, errorSummary, textarea } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { humanise, itemPath, kindOfTypename, KIND_LABELS } from '../vocabulary.js';
import type { ItemData } from './item-query.js';

const STAGES = ['CONSIDERING', 'PILOTING', 'ADOPTED', 'REJECTED'] as const;

/**
 * What a signed-in member can do on an item's page: change, publish or archive their own
 * council's item; say their council has a problem too (or withdraw it); record where their
 * council is with a solution; follow it. Every button is a plain form.
 */
export function itemActions(item: ItemData, session: WebSession, follows: readonly FollowSummary[], path: string, ownSolutions: readonly OwnSolution[] = [],
  ownContacts: readonly OwnContact[] = []): SafeHtml {
  const kind = kindOfTypename(item.__typename)!;
  const ours = item.council.slug === session.council.slug;
  const archived = [item.problemStatus, item.solutionStatus, item.caseStudyStatus].includes('ARCHIVED');
  const noun = KIND_LABELS[kind].toLowerCase();
  const own = item.viewerCanEdit ? html`<ul class="govuk-list cc-item-actions">
      <li><a class="govuk-link" href="${itemPath(kind, item.id)}/edit">Change this ${noun}</a></li>
      ${item.visibility === 'DRAFT' ? html`<li><a class="govuk-link" href="${itemPath(kind, item.id)}/publish">Check and publish this ${noun}</a></li>` : ''}
      ${archived ? '' : html`<li><a class="govuk-link" href="${itemPath(kind, item.id)}/archive">Archive this ${noun}</a></li>`}
    </ul>${contactForm(item, session, ownContacts)}` : '';
  const published = item.visibility === 'PUBLISHED' && !archived;
  return html`<div class="cc-actions">
    <h2 class="govuk-heading-m" id="your-council">${session.council.name} and this ${noun}</h2>
    ${own}
    ${published && kind === 'PROBLEM' && !ours ? supportForm(item, session) : ''}
    ${published && kind === 'PROBLEM' ? linkForm(item, session, ownSolutions) : ''}
    ${published && kind === 'SOLUTION' ? adoptionForm(item, session) : ''}
    ${item.visibility === 'PUBLISHED' ? followButton(session, follows, { field: 'item', value: item.id, name: item.title }, path) : ''}
  </div>`;
}

export interface OwnSolution { readonly id: string; readonly title: string }
export interface OwnContact { readonly name: string; readonly member: { readonly id: string } }

/** The member's council's contacts (members who opted in), for editors naming an item's contact. */
export const OWN_CONTACTS_QUERY = `query($slug: String!) { council(slug: $slug) { contacts { name member { id } } } }`;

function contactForm(item: ItemData, session: WebSession, contacts: readonly OwnContact[]): SafeHtml {
  const kind = kindOfTypename(item.__typename)!;
  const heading = html`<h3 class="govuk-heading-s" id="who-to-call">Who to call about this ${KIND_LABELS[kind].toLowerCase()}</h3>`;
  if (contacts.length === 0) {
    return html`${heading}<p class="govuk-body">Nobody at your council has agreed to be a contact yet. Each member can choose to on <a class="govuk-link" href="/account/contact">their account</a>.</p>`;
  }
  const current = item.contact?.member.id ?? '';
  return html`${heading}<form method="post" action="${itemPath(kind, item.id)}/contact" novalidate>${csrfField(session)}
    <div class="govuk-form-group"><label class="govuk-label" for="contact">Contact for other councils</label>
    <div id="contact-hint" class="govuk-hint">Only members who agreed to be a contact are listed. Signed-in staff of any council see their name and work email.</div>
    <select class="govuk-select" id="contact" name="contact" aria-describedby="contact-hint">
      <option value=""${current === '' ? html` selected` : ''}>No named contact</option>
      ${contacts.map((c) => html`<option value="${c.member.id}"${c.member.id === current ? html` selected` : ''}>${c.name}</option>`)}
    </select></div>
    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Save contact</button></form>`;
}

/** The member's council's published solutions, for "link one to this problem". */
export const OWN_SOLUTIONS_QUERY = `query($council: ID!) { solutions(first: 50, filter: { councilIds: [$council] }) { edges { node { id title } } } }`;

function linkForm(item: ItemData, session: WebSession, ownSolutions: readonly OwnSolution[]): SafeHtml {
  const linked = new Set((item.solutions ?? []).map((s) => s.id));
  const choices = ownSolutions.filter((s) => !linked.has(s.id));
  if (choices.length === 0) return html`<p class="govuk-body">Has your council solved this? <a class="govuk-link" href="/solutions/new">Share your solution</a>, then link it here.</p>`;
  return html`<form method="post" action="${itemPath('PROBLEM', item.id)}/link" novalidate>${csrfField(session)}
    <div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="solution">Link one of your council's solutions to this problem</label>
    <select class="govuk-select" id="solution" name="solution">${choices.map((s) => html`<option value="${s.id}">${s.title}</option>`)}</select></div>
    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Link it to this problem</button></form>`;
}

function supportForm(item: ItemData, session: WebSession): SafeHtml {
  const mine = item.supporters?.find((s) => s.council.slug === session.council.slug);
  if (mine) {
    return html`<p class="govuk-body">Your council has said it has this problem too${mine.note ? html`: ${mine.note}` : ''}.</p>
      <form method="post" action="${itemPath('PROBLEM', item.id)}/withdraw" novalidate>${csrfField(session)}
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">We no longer have this problem</button></form>`;
  }
  return html`<form method="post" action="/problems/support" novalidate>${csrfField(session)}
    <input type="hidden" name="problem" value="${item.id}">
    ${textarea({ name: 'note', label: 'How it shows up at your council (optional)', value: '', rows: 3, maxLength: 2_000 })}
    <button type="submit" class="govuk-button" data-module="govuk-button">We have this problem too</button></form>`;
}

function adoptionForm(item: ItemData, session: WebSession): SafeHtml {
  const mine = item.adoptions?.find((a) => a.council.slug === session.council.slug);
  return html`<form method="post" action="${itemPath('SOLUTION', item.id)}/adoption" novalidate>${csrfField(session)}
    <div class="govuk-form-group"><fieldset class="govuk-fieldset" aria-describedby="stage-hint">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Where is your council with this solution?</legend>
      <div id="stage-hint" class="govuk-hint">${mine ? html`You said: ${humanise(mine.stage)}. Change it when that changes.` : 'Other councils considering it will see this.'}</div>
      <div class="govuk-radios govuk-radios--small" data-module="govuk-radios">${STAGES.map((stage) => html`<div class="govuk-radios__item">
        <input class="govuk-radios__input" id="stage-${stage}" name="stage" type="radio" value="${stage}"${mine?.stage === stage ? html` checked` : ''}>
        <label class="govuk-label govuk-radios__label" for="stage-${stage}">${stage === 'REJECTED' ? 'Dropped it' : humanise(stage)}</label></div>`)}</div>
    </fieldset></div>
    ${textarea({ name: 'note', label: 'What your council found (optional)', value: mine?.note ?? '', rows: 3, maxLength: 2_000 })}
    <button type="submit" class="govuk-button" data-module="govuk-button">${mine ? 'Update your council’s stage' : 'Record your council’s stage'}</button></form>`;
}

/** Any signed-in member may comment on an item they can see; an empty comment comes back with its error. */
export function commentForm(item: ItemData, session: WebSession, error?: string): SafeHtml {
  const kind = kindOfTypename(item.__typename)!;
  return html`<form method="post" action="${itemPath(kind, item.id)}/comment" novalidate>${csrfField(session)}
    ${error ? errorSummary([{ field: 'comment', message: error }]) : ''}
    ${textarea({ name: 'comment', label: 'Add a comment', hint: `Shown with your name and ${session.council.name}. You can use Markdown.`, value: '', rows: 4, maxLength: 10_000, error })}
    <button type="submit" class="govuk-button" data-module="govuk-button">Add comment</button></form>`;
}
