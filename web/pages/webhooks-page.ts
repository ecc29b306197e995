import type { WebSession } from '../../server/auth/sessions.js';
import { EVENT_TYPES } from '../../server/events/catalogue.js';
import { tag } from '../components.js';
import { csrfField, errorSummary, hiddenFields, textInput, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { formatDate, humanise } from '../vocabulary.js';

export const WEBHOOKS_QUERY = `query Webhooks { viewer { council { id name viewerCanAdminister webhookEndpoints {
  id url description eventTypes active disabledReason createdAt
  deliveries(first: 5) { edges { node { id status createdAt attemptCount attempts { statusCode error } } } } } } } }`;

export interface Delivery { id: string; status: 'PENDING' | 'SUCCEEDED' | 'FAILED'; createdAt: string; attemptCount: number; attempts: { statusCode: number | null; error: string | null }[] }
export interface Endpoint {
  id: string; url: string; description: string; eventTypes: string[]; active: boolean; disabledReason: string | null; createdAt: string;
  deliveries: { edges: { node: Delivery }[] };
}
export interface WebhooksData {
  viewer: { council: { id: string; name: string; viewerCanAdminister: boolean; webhookEndpoints: Endpoint[] | null } | null };
}
export interface EndpointAnswers { readonly url: string; readonly description: string; readonly eventTypes: readonly string[] }
export const NO_ANSWERS: EndpointAnswers = { url: '', description: '', eventTypes: [] };

/** What a council system can hear about: what happens to published work and its comments. */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter((t) => /^(problem|solution|case_study|comment)\./.test(t))
  .map((t) => ({ value: t.replace('.', '_').toUpperCase(), text: humanise(t.replace('.', '_').toUpperCase()) }));

const STATUS_TAGS = { PENDING: tag('Pending', 'blue'), SUCCEEDED: tag('Delivered', 'green'), FAILED: tag('Failed', 'red') };

/** A council admin's webhook endpoints: each with its state, actions and recent deliveries, and the form to add one. */
export function webhooksPage(session: WebSession, council: { name: string }, endpoints: readonly Endpoint[], answers = NO_ANSWERS,
  errors: readonly FieldError[] = [], created?: { url: string; secret: string }) {
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return {
    title: `${errors.length ? 'Error: ' : ''}Webhooks for ${council.name}`,
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors)}
  ${created ? secretPanel(created) : ''}
  <span class="govuk-caption-l">${council.name}</span>
  <h1 class="govuk-heading-l">Webhooks</h1>
  <p class="govuk-body">Your council's systems can hear about published work as it happens: the hub sends each event, signed, to the addresses below. Drafts are never sent.</p>
  ${endpoints.length === 0 ? html`<p class="govuk-body">Your council has no webhook endpoints yet.</p>` : endpoints.map((e) => endpointSection(session, e))}
  <h2 class="govuk-heading-m" id="add">Add an endpoint</h2>
  <form method="post" action="/council/webhooks/add" novalidate>${csrfField(session)}
    ${textInput({ name: 'url', label: 'Address', hint: 'The https address where your system receives events', value: answers.url, error: errorOf('url') })}
    ${textInput({ name: 'description', label: 'What it is (optional)', hint: 'For your council\'s admins, like "Case management"', value: answers.description, error: errorOf('description') })}
    ${eventTypeBoxes(answers.eventTypes, errorOf('eventTypes'))}
    <button type="submit" class="govuk-button" data-module="govuk-button">Add endpoint</button>
  </form>
</div></div>`,
  };
}

function secretPanel(created: { url: string; secret: string }): SafeHtml {
  return html`<div class="govuk-panel govuk-panel--confirmation"><h2 class="govuk-panel__title">Endpoint added</h2>
    <div class="govuk-panel__body">Its signing secret is below</div></div>
  <p class="govuk-body">Put this signing secret into the system at <span class="cc-break">${created.url}</span>, which checks each delivery with it (Standard Webhooks).</p>
  <div class="govuk-inset-text"><code class="cc-break" id="secret">${created.secret}</code></div>
  <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
    <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> Copy it now: the hub will not show it again.</strong></div>`;
}

function eventTypeBoxes(chosen: readonly string[], error: string | undefined): SafeHtml {
  return html`<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
    <fieldset class="govuk-fieldset" aria-describedby="eventTypes-hint${error ? ' eventTypes-error' : ''}">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Events to send</legend>
      <div id="eventTypes-hint" class="govuk-hint">Select all that apply.</div>
      ${error ? html`<p id="eventTypes-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : ''}
      <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${WEBHOOK_EVENT_TYPES.map((t, i) => html`<div class="govuk-checkboxes__item">
        <input class="govuk-checkboxes__input" id="${i === 0 ? 'eventTypes' : `eventTypes-${t.value}`}" name="eventTypes" type="checkbox" value="${t.value}"${chosen.includes(t.value) ? html` checked` : ''}>
        <label class="govuk-label govuk-checkboxes__label" for="${i === 0 ? 'eventTypes' : `eventTypes-${t.value}`}">${t.text}</label></div>`)}</div>
    </fieldset></div>`;
}

function endpointSection(session: WebSession, endpoint: Endpoint): SafeHtml {
  const name = endpoint.description || endpoint.url;
  const state = endpoint.disabledReason ? tag('Turned off by the hub', 'red') : endpoint.active ? tag('On', 'green') : tag('Paused', 'grey');
  const button = (action: string, text: string, style = 'govuk-button--secondary') => html`<form method="post" action="/council/webhooks/${action}" novalidate>${csrfField(session)}${hiddenFields({ endpoint: endpoint.id })}
    <button type="submit" class="govuk-button ${style}" data-module="govuk-button">${text}<span class="govuk-visually-hidden"> for ${name}</span></button></form>`;
  const deliveries = endpoint.deliveries.edges.map((e) => e.node);
  return html`<section class="cc-endpoint" aria-labelledby="endpoint-${endpoint.id}">
    <h2 class="govuk-heading-m cc-break" id="endpoint-${endpoint.id}">${name}</h2>
    <dl class="govuk-summary-list">
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Address</dt><dd class="govuk-summary-list__value cc-break">${endpoint.url}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">State</dt><dd class="govuk-summary-list__value">${state}${endpoint.disabledReason ? html` ${endpoint.disabledReason}` : ''}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Events</dt><dd class="govuk-summary-list__value">${endpoint.eventTypes.map(humanise).join(', ')}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Added</dt><dd class="govuk-summary-list__value">${formatDate(endpoint.createdAt)}</dd></div>
    </dl>
    <div class="govuk-button-group">
      ${endpoint.active ? button('pause', 'Pause') : button('resume', 'Turn back on')}
      ${button('test', 'Send a test event')}
      <a class="govuk-link" href="/council/webhooks/delete?endpoint=${encodeURIComponent(endpoint.id)}">Delete<span class="govuk-visually-hidden"> ${name}</span></a>
    </div>
    <h3 class="govuk-heading-s">Recent deliveries</h3>
    ${deliveries.length === 0 ? html`<p class="govuk-body">Nothing has been sent yet.</p>` : html`<ul class="govuk-list cc-deliveries">${deliveries.map((d) => html`<li>
      ${STATUS_TAGS[d.status]} <span class="cc-break">${formatDate(d.createdAt)}: ${d.attemptCount} ${d.attemptCount === 1 ? 'attempt' : 'attempts'}, last answer ${lastAnswer(d)}</span></li>`)}</ul>`}
  </section>`;
}

function lastAnswer(delivery: Delivery): string {
  const last = delivery.attempts.at(-1);
  if (!last) return 'Not tried yet';
  return last.statusCode ? `HTTP ${last.statusCode}` : last.error ?? 'No answer';
}

/** GOV.UK's "are you sure" before deleting an endpoint with its delivery log. */
export function deleteEndpointPage(session: WebSession, endpoint: Endpoint) {
  const name = endpoint.description || endpoint.url;
  return {
    title: `Delete the webhook endpoint ${name}`,
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <h1 class="govuk-heading-l cc-break">Are you sure you want to delete ${name}?</h1>
  <p class="govuk-body">Nothing more will be sent to <span class="cc-break">${endpoint.url}</span>, and its delivery log is deleted with it.</p>
  <form method="post" action="/council/webhooks/delete" novalidate>${csrfField(session)}${hiddenFields({ endpoint: endpoint.id })}
    <div class="govuk-button-group">
      <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Delete endpoint</button>
      <a class="govuk-link" href="/council/webhooks">Cancel</a>
    </div>
  </form>
</div></div>`,
  };
}

export function notWebhookAdminPage(council: string) {
  return {
    title: 'Only admins can manage webhooks',
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><h1 class="govuk-heading-l">Only admins can manage webhooks</h1>
  <p class="govuk-body">Ask an admin of ${council} to add or change your council's webhook endpoints.</p></div></div>`,
  };
}
