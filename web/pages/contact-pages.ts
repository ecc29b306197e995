import type { WebSession } from '../../server/auth/sessions.js';
import { notificationBanner } from '../components.js';
import { csrfField, errorSummary, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';

export const CONTACT_SETTINGS_QUERY = `query ContactSettings { viewer { contactSettings { showAsContact serviceAreas } } serviceAreas { code name } }`;

export interface ContactSettingsData {
  viewer: { contactSettings: { showAsContact: boolean; serviceAreas: string[] } | null };
  serviceAreas: { code: string; name: string }[];
}

/** What the form sent back, so an error keeps every answer. */
export interface ContactAnswers { readonly show: string; readonly serviceAreas: readonly string[] }

/** A member's own choice to be named as a contact, and for which service areas. */
export function contactSettingsPage(session: WebSession, data: ContactSettingsData, answers: ContactAnswers, errors: readonly FieldError[] = [], saved = false) {
  const error = errors.find((e) => e.field === 'show')?.message;
  // The first radio has the field's id, so the error summary's link lands on it.
  const radio = (value: string, label: string, hint: string | SafeHtml) => html`<div class="govuk-radios__item">
    <input class="govuk-radios__input" id="${value === 'yes' ? 'show' : `show-${value}`}" name="show" type="radio" value="${value}" aria-describedby="show-${value}-hint"${answers.show === value ? html` checked` : ''}>
    <label class="govuk-label govuk-radios__label" for="${value === 'yes' ? 'show' : `show-${value}`}">${label}</label>
    <div id="show-${value}-hint" class="govuk-hint govuk-radios__hint">${hint}</div></div>`;
  return {
    title: `${errors.length ? 'Error: ' : ''}Be a contact for ${session.council.name}`,
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors)}
  ${saved ? notificationBanner('Success', html`<p class="govuk-notification-banner__heading">Your contact setting has been saved.</p>`, { id: 'saved' }) : ''}
  <span class="govuk-caption-l">${session.council.name}</span>
  <h1 class="govuk-heading-l">Be a contact for your council</h1>
  <p class="govuk-body">Staff at other councils who are signed in can see a contact's name and work email on your council's page and on the items editors name you for. Visitors who are not signed in never see them, and they are never in the open data, search or webhooks.</p>
  <form method="post" action="/account/contact" novalidate>${csrfField(session)}
    <div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
      <fieldset class="govuk-fieldset"${error ? html` aria-describedby="show-error"` : ''}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Can other councils contact you about your council's work?</legend>
        ${error ? html`<p id="show-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : ''}
        <div class="govuk-radios" data-module="govuk-radios">
          ${radio('yes', 'Yes, show me as a contact', html`Your name and <span class="cc-break">${session.member.email}</span>`)}
          ${radio('no', 'No', 'You are removed from any item that names you as its contact')}
        </div>
      </fieldset>
    </div>
    <div class="govuk-form-group">
      <fieldset class="govuk-fieldset" aria-describedby="areas-hint">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Which service areas can you talk about?</legend>
        <div id="areas-hint" class="govuk-hint">Leave them all unticked if you can help with any. Select all that apply.</div>
        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${data.serviceAreas.map((a) => html`<div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id="area-${a.code}" name="serviceArea" type="checkbox" value="${a.code}"${answers.serviceAreas.includes(a.code) ? html` checked` : ''}>
          <label class="govuk-label govuk-checkboxes__label" for="area-${a.code}">${a.name}</label></div>`)}</div>
      </fieldset>
    </div>
    <button type="submit" class="govuk-button" data-module="govuk-button">Save contact setting</button>
  </form>
  <p class="govuk-body"><a class="govuk-link" href="/councils/${encodeURIComponent(session.council.slug)}#contacts">See your council's contacts</a></p>
</div></div>`,
  };
}

export interface CouncilContact { name: string; email: string; serviceAreas: string[]; member: { id: string } }

/** A council's contacts under each service area they cover; those who cover any come last. */
export function contactsSection(contacts: readonly CouncilContact[] | null, serviceAreas: readonly { code: string; name: string }[]): SafeHtml {
  if (contacts === null) return html``;
  const groups = serviceAreas.map((a) => ({ heading: a.name, people: contacts.filter((c) => c.serviceAreas.includes(a.code)) }))
    .filter((g) => g.people.length > 0);
  const any = contacts.filter((c) => c.serviceAreas.length === 0);
  if (any.length) groups.push({ heading: 'Any service area', people: any });
  return html`<h2 class="govuk-heading-m" id="contacts">Who to call</h2>
  <p class="govuk-body">Staff who agreed to be contacted about the council's work. Only signed-in members see them.</p>
  ${groups.length === 0 ? html`<p class="govuk-body">Nobody at this council has agreed to be a contact yet.</p>` : groups.map((g) => html`
    <h3 class="govuk-heading-s">${g.heading}</h3>
    <ul class="govuk-list">${g.people.map((c) => html`<li>${c.name}, <a class="govuk-link cc-break" href="mailto:${c.email}">${c.email}</a></li>`)}</ul>`)}`;
}
