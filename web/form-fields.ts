import { html, type SafeHtml } from './html.js';

// GOV.UK Frontend form components, as the Design System documents them.

/** The session's CSRF token, carried by every state-changing form. */
export function csrfField(session: { csrfToken: string }): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
}

export interface FieldError { readonly field: string; readonly message: string }

/** The error summary at the top of a page, each message linking to its field. */
export function errorSummary(errors: readonly FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
  <h2 class="govuk-error-summary__title">There is a problem</h2>
  <div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul></div>
  </div></div>`;
}

interface Field {
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly hint?: string;
  readonly error?: string | undefined;
}

function described(field: Field, extra: string[] = []): SafeHtml {
  const ids = [...(field.hint ? [`${field.name}-hint`] : []), ...(field.error ? [`${field.name}-error`] : []), ...extra];
  return ids.length ? html` aria-describedby="${ids.join(' ')}"` : html``;
}

function parts(field: Field): SafeHtml {
  return html`<label class="govuk-label govuk-label--s" for="${field.name}">${field.label}</label>
  ${field.hint ? html`<div id="${field.name}-hint" class="govuk-hint">${field.hint}</div>` : ''}
  ${field.error ? html`<p id="${field.name}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${field.error}</p>` : ''}`;
}

const group = (field: Field) => `govuk-form-group${field.error ? ' govuk-form-group--error' : ''}`;

export function textInput(field: Field): SafeHtml {
  return html`<div class="${group(field)}">${parts(field)}
  <input class="govuk-input${field.error ? ' govuk-input--error' : ''}" id="${field.name}" name="${field.name}" type="text" value="${field.value}" spellcheck="true"${described(field)}></div>`;
}

/** A textarea; with `maxLength`, GOV.UK's character count (its message works without JavaScript too). */
export function textarea(field: Field & { readonly rows?: number; readonly maxLength?: number }): SafeHtml {
  const box = (extra: string[]) => html`<textarea class="govuk-textarea${field.maxLength ? ' govuk-js-character-count' : ''}${field.error ? ' govuk-textarea--error' : ''}" id="${field.name}" name="${field.name}" rows="${field.rows ?? 5}"${described(field, extra)}>${field.value}</textarea>`;
  if (!field.maxLength) return html`<div class="${group(field)}">${parts(field)}${box([])}</div>`;
  return html`<div class="govuk-character-count" data-module="govuk-character-count" data-maxlength="${field.maxLength}">
  <div class="${group(field)}">${parts(field)}${box([`${field.name}-info`])}</div>
  <div id="${field.name}-info" class="govuk-hint govuk-character-count__message">You can enter up to ${field.maxLength.toLocaleString('en-GB')} characters</div></div>`;
}

export function select(field: Field & { readonly options: readonly { value: string; text: string }[]; readonly placeholder?: string }): SafeHtml {
  return html`<div class="${group(field)}">${parts(field)}
  <select class="govuk-select${field.error ? ' govuk-select--error' : ''}" id="${field.name}" name="${field.name}"${described(field)}>
    <option value=""${field.value === '' ? html` selected` : ''}>${field.placeholder ?? 'Choose a service area'}</option>
    ${field.options.map((o) => html`<option value="${o.value}"${o.value === field.value ? html` selected` : ''}>${o.text}</option>`)}
  </select></div>`;
}

export function hiddenFields(values: Record<string, string>): SafeHtml {
  return html`${Object.entries(values).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}
