import type { WebSession } from '../../server/auth/sessions.js';
import { SYSTEM_CATEGORIES } from '../../server/domain/systems/system-model.js';
import { csrfField, errorSummary, hiddenFields, select, textInput, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { councilPath, formatDate, humanise } from '../vocabulary.js';

export const SYSTEMS_QUERY = `query CouncilSystems { viewer { council { id name slug systems { id category supplier product contractEndsOn } } } }`;

export interface SystemRow { id: string; category: string; supplier: string; product: string; contractEndsOn: string | null }
export interface SystemsData { viewer: { council: { id: string; name: string; slug: string; systems: SystemRow[] } | null } }

/** What the add and edit forms carry: the date as GOV.UK's three boxes. */
export interface SystemAnswers {
  readonly category: string; readonly supplier: string; readonly product: string;
  readonly day: string; readonly month: string; readonly year: string;
}

export const EMPTY_SYSTEM: SystemAnswers = { category: '', supplier: '', product: '', day: '', month: '', year: '' };
const CATEGORIES = SYSTEM_CATEGORIES.map((c) => ({ value: c.toUpperCase(), text: humanise(c) }));

export function answersOf(system: SystemRow): SystemAnswers {
  const [year = '', month = '', day = ''] = system.contractEndsOn?.split('-') ?? [];
  return { category: system.category, supplier: system.supplier, product: system.product, day, month, year };
}

const errorOf = (errors: readonly FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

/** GOV.UK's date input: day, month and year boxes in one fieldset. */
function dateInput(answers: SystemAnswers, error: string | undefined): SafeHtml {
  const box = (name: 'day' | 'month' | 'year', label: string, width: number) => html`<div class="govuk-date-input__item"><div class="govuk-form-group">
    <label class="govuk-label govuk-date-input__label" for="contractEndsOn${name === 'day' ? '' : `-${name}`}">${label}</label>
    <input class="govuk-input govuk-date-input__input govuk-input--width-${width}${error ? ' govuk-input--error' : ''}" id="contractEndsOn${name === 'day' ? '' : `-${name}`}" name="${name}" type="text" inputmode="numeric" value="${answers[name]}"></div></div>`;
  return html`<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}"><fieldset class="govuk-fieldset" role="group" aria-describedby="contractEndsOn-hint${error ? ' contractEndsOn-error' : ''}">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">When does the contract end? (optional)</legend>
  <div id="contractEndsOn-hint" class="govuk-hint">For example, 31 3 2027</div>
  ${error ? html`<p id="contractEndsOn-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : ''}
  <div class="govuk-date-input">${box('day', 'Day', 2)}${box('month', 'Month', 2)}${box('year', 'Year', 4)}</div></fieldset></div>`;
}

function systemFields(answers: SystemAnswers, errors: readonly FieldError[]): SafeHtml {
  return html`${select({ name: 'category', label: 'Category', value: answers.category, options: CATEGORIES, placeholder: 'Choose a category', error: errorOf(errors, 'category') })}
    ${textInput({ name: 'supplier', label: 'Supplier', hint: 'For example, Capita', value: answers.supplier, error: errorOf(errors, 'supplier') })}
    ${textInput({ name: 'product', label: 'Product', hint: 'For example, Open Revenues', value: answers.product, error: errorOf(errors, 'product') })}
    ${dateInput(answers, errorOf(errors, 'contractEndsOn'))}`;
}

/** A council admin's list of its systems, each with change and remove, and the form to add one. */
export function systemsPage(session: WebSession, council: NonNullable<SystemsData['viewer']['council']>, answers = EMPTY_SYSTEM, errors: readonly FieldError[] = []) {
  return {
    title: `${errors.length ? 'Error: ' : ''}Systems ${council.name} uses`,
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors)}
  <span class="govuk-caption-l">${council.name}</span>
  <h1 class="govuk-heading-l">Systems in use</h1>
  <p class="govuk-body">Your council's major systems appear on <a class="govuk-link" href="${councilPath(council.slug)}">its page</a>, so councils on the same system can find each other and buy together.</p>
  ${council.systems.length === 0 ? html`<p class="govuk-body">None recorded yet.</p>` : html`<dl class="govuk-summary-list">${council.systems.map((s) => html`<div class="govuk-summary-list__row">
    <dt class="govuk-summary-list__key">${s.supplier} ${s.product}</dt>
    <dd class="govuk-summary-list__value">${humanise(s.category)}<br>${s.contractEndsOn ? `Contract ends ${formatDate(`${s.contractEndsOn}T12:00:00Z`)}` : 'Contract end not given'}</dd>
    <dd class="govuk-summary-list__actions"><ul class="govuk-summary-list__actions-list">
      <li class="govuk-summary-list__actions-list-item"><a class="govuk-link" href="/council/systems/edit?id=${encodeURIComponent(s.id)}">Change<span class="govuk-visually-hidden"> ${s.supplier} ${s.product}</span></a></li>
      <li class="govuk-summary-list__actions-list-item"><form method="post" action="/council/systems/remove" novalidate>${csrfField(session)}${hiddenFields({ system: s.id })}
        <button type="submit" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button">Remove<span class="govuk-visually-hidden"> ${s.supplier} ${s.product}</span></button></form></li>
    </ul></dd></div>`)}</dl>`}
  <h2 class="govuk-heading-m" id="add">Add a system</h2>
  <form method="post" action="/council/systems/add" novalidate>${csrfField(session)}
    ${systemFields(answers, errors)}
    <button type="submit" class="govuk-button" data-module="govuk-button">Add system</button>
  </form>
</div></div>`,
  };
}

export function editSystemPage(session: WebSession, council: { name: string }, id: string, answers: SystemAnswers, errors: readonly FieldError[] = []) {
  return {
    title: `${errors.length ? 'Error: ' : ''}Change a system`,
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors)}
  <span class="govuk-caption-l">${council.name}</span>
  <h1 class="govuk-heading-l">Change a system</h1>
  <form method="post" action="/council/systems/edit" novalidate>${csrfField(session)}${hiddenFields({ system: id })}
    ${systemFields(answers, errors)}
    <div class="govuk-button-group"><button type="submit" class="govuk-button" data-module="govuk-button">Save changes</button>
    <a class="govuk-link" href="/council/systems">Cancel</a></div>
  </form>
</div></div>`,
  };
}

export function notCouncilAdminPage(council: string) {
  return {
    title: 'Only admins can change your council\'s systems',
    section: 'account' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><h1 class="govuk-heading-l">Only admins can change your council's systems</h1>
  <p class="govuk-body">Ask an admin of ${council} to record the systems it uses.</p></div></div>`,
  };
}
