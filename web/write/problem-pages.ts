import type { WebSession } from '../../server/auth/sessions.js';
import { csrfField, errorSummary, hiddenFields, select, textarea, textInput, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { councilPath, itemPath } from '../vocabulary.js';

export interface ProblemAnswers { readonly title: string; readonly summary: string; readonly body: string; readonly serviceArea: string }
export interface ServiceAreaOption { readonly code: string; readonly name: string }
export interface PossibleDuplicate {
  readonly item: { readonly id: string; readonly title: string; readonly summary: string; readonly council: { readonly name: string; readonly slug: string } };
}

export const LIMITS = { title: 200, summary: 1_000, body: 100_000 } as const;

const column = (content: SafeHtml) => html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${content}</div></div>`;
const errorOf = (errors: readonly FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

export function problemFormPage(session: WebSession, answers: ProblemAnswers, areas: readonly ServiceAreaOption[], errors: readonly FieldError[] = []) {
  return {
    title: `${errors.length ? 'Error: ' : ''}Describe your council's problem`,
    section: 'write' as const,
    main: column(html`${errorSummary(errors)}
      <span class="govuk-caption-l">${session.council.name}</span>
      <h1 class="govuk-heading-l">Describe your council's problem</h1>
      <p class="govuk-body">Other councils will see it once you publish it. Before that, you will see problems other councils have already shared that look like it.</p>
      <form method="post" action="/problems/new" novalidate>
        ${csrfField(session)}
        ${textInput({ name: 'title', label: 'Title', hint: 'Say what goes wrong, in a sentence. For example, "Missed bin reports reach crews a day late".', value: answers.title, error: errorOf(errors, 'title') })}
        ${textarea({ name: 'summary', label: 'Summary', hint: 'What happens, who it affects and what it costs your council.', value: answers.summary, rows: 4, maxLength: LIMITS.summary, error: errorOf(errors, 'summary') })}
        ${textarea({ name: 'body', label: 'More detail (optional)', hint: 'What you have tried, numbers, links. You can use Markdown.', value: answers.body, rows: 8, error: errorOf(errors, 'body') })}
        ${select({ name: 'serviceArea', label: 'Service area', value: answers.serviceArea, options: areas.map((a) => ({ value: a.code, text: a.name })), error: errorOf(errors, 'serviceArea') })}
        <button type="submit" name="action" value="check" class="govuk-button" data-module="govuk-button">Continue</button>
      </form>`),
  };
}

/** "Check your answers", with what other councils have already shared that looks like it. */
export function problemCheckPage(session: WebSession, answers: ProblemAnswers, areaName: string, duplicates: readonly PossibleDuplicate[]) {
  const carried = hiddenFields({ title: answers.title, summary: answers.summary, body: answers.body, serviceArea: answers.serviceArea });
  return {
    title: 'Check your problem before publishing',
    section: 'write' as const,
    main: column(html`<span class="govuk-caption-l">${session.council.name}</span>
      <h1 class="govuk-heading-l">Check your problem before publishing</h1>
      <dl class="govuk-summary-list">
        ${[['Title', answers.title], ['Summary', answers.summary], ['More detail', answers.body || 'None'], ['Service area', areaName]].map(([key, value]) => html`<div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value cc-markdown">${value}</dd></div>`)}
      </dl>
      <form method="post" action="/problems/new" novalidate>${csrfField(session)}${carried}
        <button type="submit" name="action" value="edit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Change your answers</button>
      </form>
      ${duplicates.length ? duplicatesSection(session, duplicates) : html`<h2 class="govuk-heading-m">No other council has shared a problem like this yet</h2>`}
      <form method="post" action="/problems/new" novalidate>${csrfField(session)}${carried}
        <div class="govuk-button-group">
          <button type="submit" name="action" value="publish" class="govuk-button" data-module="govuk-button">${duplicates.length ? 'Ours is different: publish' : 'Publish'}</button>
          <button type="submit" name="action" value="draft" class="govuk-button govuk-button--secondary" data-module="govuk-button">Save as a draft</button>
        </div>
      </form>`),
  };
}

function duplicatesSection(session: WebSession, duplicates: readonly PossibleDuplicate[]): SafeHtml {
  return html`<h2 class="govuk-heading-m">Other councils have shared problems like this</h2>
    <p class="govuk-body">If one of these is your problem too, add your council as supporting it instead of publishing another: its council will hear from you, and solutions to it reach you.</p>
    <ul class="govuk-list cc-duplicates">${duplicates.map(({ item }, i) => html`<li>
      <h3 class="govuk-heading-s"><a class="govuk-link" href="${itemPath('PROBLEM', item.id)}">${item.title}</a></h3>
      <p class="govuk-body-s">Shared by <a class="govuk-link" href="${councilPath(item.council.slug)}">${item.council.name}</a></p>
      <p class="govuk-body">${item.summary}</p>
      <form method="post" action="/problems/support" novalidate>${csrfField(session)}
        <input type="hidden" name="problem" value="${item.id}">
        ${textarea({ name: `note-${i}`, label: 'How it shows up at your council (optional)', value: '', rows: 3, maxLength: 2_000 })}
        <button type="submit" name="noteField" value="note-${i}" class="govuk-button" data-module="govuk-button">This is our problem too: add us as supporting it<span class="govuk-visually-hidden"> (${item.title})</span></button>
      </form></li>`)}</ul>`;
}

export function publishedPage(item: { id: string; title: string }) {
  return {
    title: 'Problem published',
    main: column(html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">Problem published</h1>
      <div class="govuk-panel__body">${item.title}</div></div>
      <p class="govuk-body">Other councils can now find it in search, support it and link solutions to it.</p>
      <p class="govuk-body"><a class="govuk-link" href="${itemPath('PROBLEM', item.id)}">View your problem</a></p>
      <p class="govuk-body"><a class="govuk-link" href="/problems/new">Describe another problem</a></p>`),
  };
}
