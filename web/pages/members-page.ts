import type { WebSession } from '../../server/auth/sessions.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { csrfField, errorSummary, hiddenFields, select, textInput, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { humanise } from '../vocabulary.js';

export const MEMBERS_PAGE_SIZE = 100;
export const MEMBERS_QUERY = `query Members($first: Int!) { viewer { council { id name viewerCanAdminister
  members(first: $first) { edges { node { id name email role } } pageInfo { hasNextPage } } } } }`;

export interface CouncilMember { id: string; name: string; email: string | null; role: 'ADMIN' | 'EDITOR' | 'MEMBER' }
export interface MembersData {
  viewer: { council: { id: string; name: string; viewerCanAdminister: boolean;
    members: { edges: { node: CouncilMember }[]; pageInfo: { hasNextPage: boolean } } | null } | null };
}
export interface NewMember { readonly name: string; readonly email: string; readonly role: string }

const ROLES = [
  { value: 'MEMBER', text: 'Member: creates drafts' },
  { value: 'EDITOR', text: 'Editor: also edits, publishes and archives' },
  { value: 'ADMIN', text: 'Admin: also manages members' },
];

/** A council admin's members page: add a member, change a role, remove a member. */
export function membersPage(session: WebSession, council: { name: string }, members: readonly CouncilMember[], more: boolean,
  answers: NewMember = { name: '', email: '', role: '' }, errors: readonly FieldError[] = []) {
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return {
    title: `${errors.length ? 'Error: ' : ''}Members of ${council.name}`,
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors)}
  <span class="govuk-caption-l">${council.name}</span>
  <h1 class="govuk-heading-l">Members</h1>
  <table class="govuk-table cc-members"><caption class="govuk-table__caption govuk-visually-hidden">Members of ${council.name}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Name</th><th scope="col" class="govuk-table__header">Role</th></tr></thead>
    <tbody class="govuk-table__body">${members.map((m) => memberRow(session, m))}</tbody></table>
  ${more ? html`<p class="govuk-body">Showing the first ${MEMBERS_PAGE_SIZE} members.</p>` : ''}
  <h2 class="govuk-heading-m" id="add">Add a member</h2>
  <p class="govuk-body">They sign in with their work email; nobody else needs to set anything up.</p>
  <form method="post" action="/council/members/add" novalidate>${csrfField(session)}
    ${textInput({ name: 'name', label: 'Full name', value: answers.name, error: errorOf('name') })}
    ${textInput({ name: 'email', label: 'Work email', value: answers.email, error: errorOf('email') })}
    ${select({ name: 'role', label: 'Role', value: answers.role, options: ROLES, placeholder: 'Choose a role', error: errorOf('role') })}
    <button type="submit" class="govuk-button" data-module="govuk-button">Add member</button>
  </form>
</div></div>`,
  };
}

function memberRow(session: WebSession, member: CouncilMember): SafeHtml {
  const self = member.id === encodeGlobalId('Member', session.viewer.memberId);
  return html`<tr class="govuk-table__row"><td class="govuk-table__cell"><span class="govuk-!-font-weight-bold">${member.name}</span><br><span class="govuk-body-s cc-break">${member.email ?? ''}</span></td>
    <td class="govuk-table__cell">
      <form method="post" action="/council/members/role" novalidate>${csrfField(session)}${hiddenFields({ member: member.id })}
        <div class="govuk-form-group govuk-!-margin-bottom-2"><label class="govuk-label govuk-visually-hidden" for="role-${member.id}">Role of ${member.name}</label>
        <select class="govuk-select" id="role-${member.id}" name="role">${ROLES.map((r) => html`<option value="${r.value}"${r.value === member.role ? html` selected` : ''}>${humanise(r.value)}</option>`)}</select></div>
        <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" data-module="govuk-button">Change role<span class="govuk-visually-hidden"> of ${member.name}</span></button>
      </form>
      ${self ? '' : html`<form method="post" action="/council/members/remove" novalidate>${csrfField(session)}${hiddenFields({ member: member.id })}
        <button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button">Remove<span class="govuk-visually-hidden"> ${member.name}</span></button></form>`}
    </td></tr>`;
}

export function notAdminPage(council: string) {
  return {
    title: 'Only admins can manage members',
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><h1 class="govuk-heading-l">Only admins can manage members</h1>
  <p class="govuk-body">Ask an admin of ${council} to add, change or remove members.</p></div></div>`,
  };
}
