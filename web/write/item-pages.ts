import type { WebSession } from '../../server/auth/sessions.js';
import { summaryList } from '../components.js';
import { csrfField, errorSummary, hiddenFields, select, textarea, textInput, type FieldError } from '../form-fields.js';
import { html, type SafeHtml } from '../html.js';
import { councilPath, itemPath, kindOfTypename, type Kind } from '../vocabulary.js';
import type { PossibleDuplicate } from './item-documents.js';
import { fieldsFor, type Answers, type FormField, type ItemForm } from './item-forms.js';

export interface ServiceAreaOption { readonly code: string; readonly name: string }

export const column = (content: SafeHtml) => html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${content}</div></div>`;
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const PATHS: Record<Kind, string> = { PROBLEM: 'problems', SOLUTION: 'solutions', CASE_STUDY: 'case-studies' };

/** Where a kind's forms post: `/solutions/new`, or `/solutions/<id>/edit`. */
export function formAction(form: ItemForm, id?: string): string {
  return id ? `${itemPath(form.kind, id)}/edit` : `/${PATHS[form.kind]}/new`;
}

export function newPath(kind: Kind): string {
  return `/${PATHS[kind]}/new`;
}

function fieldHtml(field: FormField, answers: Answers, areas: readonly ServiceAreaOption[], errors: readonly FieldError[]): SafeHtml {
  const common = { name: field.name, label: field.label, value: answers[field.name] ?? '', error: errors.find((e) => e.field === field.name)?.message, ...(field.hint ? { hint: field.hint } : {}) };
  if (field.type === 'textarea') return textarea({ ...common, rows: field.rows ?? 5, ...(field.maxLength ? { maxLength: field.maxLength } : {}) });
  if (field.type === 'select') {
    const options = field.name === 'serviceArea' ? areas.map((a) => ({ value: a.code, text: a.name })) : field.options ?? [];
    return select({ ...common, options, placeholder: field.name === 'serviceArea' ? 'Choose a service area' : `Choose ${field.label.replace(/ \(optional\)$/, '').toLowerCase()}` });
  }
  return textInput(common);
}

function fieldsHtml(form: ItemForm, answers: Answers, areas: readonly ServiceAreaOption[], errors: readonly FieldError[], editing: boolean): SafeHtml {
  return html`${fieldsFor(form, editing).map((f) => fieldHtml(f, answers, areas, errors))}`;
}

/** The form for a new item: "Continue" leads to "check before publishing". */
export function newItemPage(session: WebSession, form: ItemForm, answers: Answers, areas: readonly ServiceAreaOption[], errors: readonly FieldError[] = []) {
  const heading = form.kind === 'PROBLEM' ? "Describe your council's problem" : `Share your council's ${form.noun}`;
  return {
    title: `${errors.length ? 'Error: ' : ''}${heading}`,
    section: 'write' as const,
    main: column(html`${errorSummary(errors)}
      <span class="govuk-caption-l">${session.council.name}</span>
      <h1 class="govuk-heading-l">${heading}</h1>
      <p class="govuk-body">Other councils will see it once you publish it. Before that, you will see what other councils have already shared that looks like it.</p>
      <form method="post" action="${formAction(form)}" novalidate>
        ${csrfField(session)}
        ${fieldsHtml(form, answers, areas, errors, false)}
        <button type="submit" name="action" value="check" class="govuk-button" data-module="govuk-button">Continue</button>
      </form>`),
  };
}

/** The edit form; `conflict` shows the version someone else saved beside what you typed. */
export function editItemPage(session: WebSession, form: ItemForm, item: { id: string; version: number; title: string }, answers: Answers,
  areas: readonly ServiceAreaOption[], errors: readonly FieldError[] = [], conflict?: { current: Answers; areaName: string }) {
  const allErrors = conflict ? [{ field: 'conflict', message: `Someone else changed this ${form.noun} while you were editing it` }, ...errors] : errors;
  return {
    title: `${allErrors.length ? 'Error: ' : ''}Change ${form.noun}: ${item.title}`,
    section: 'write' as const,
    main: column(html`${errorSummary(allErrors)}
      <span class="govuk-caption-l">${session.council.name}</span>
      <h1 class="govuk-heading-l">Change your ${form.noun}</h1>
      ${conflict ? html`<div id="conflict" class="govuk-inset-text">
        <h2 class="govuk-heading-m">The version saved now</h2>
        <p class="govuk-body">Someone else saved a change to this ${form.noun} after you opened it. Nothing has been lost: their version is below, and your changes are still in the form. Compare them, then save yours (it replaces theirs) or <a class="govuk-link" href="${itemPath(form.kind, item.id)}">keep their version</a>.</p>
        ${answersList(form, conflict.current, conflict.areaName, true)}</div>
        <h2 class="govuk-heading-m">Your version</h2>` : ''}
      <form method="post" action="${formAction(form, item.id)}" novalidate>
        ${csrfField(session)}${hiddenFields({ version: String(item.version) })}
        ${fieldsHtml(form, answers, areas, errors, true)}
        <button type="submit" class="govuk-button" data-module="govuk-button">${conflict ? 'Save your version' : 'Save changes'}</button>
      </form>
      <p class="govuk-body"><a class="govuk-link" href="${itemPath(form.kind, item.id)}">Cancel</a></p>`),
  };
}

function answersList(form: ItemForm, answers: Answers, areaName: string, editing: boolean): SafeHtml {
  return summaryList(fieldsFor(form, editing).map((f) => {
    const value = answers[f.name] ?? '';
    const shown = f.name === 'serviceArea' ? areaName : f.type === 'select' ? f.options?.find((o) => o.value === value)?.text ?? value : value;
    return { key: f.label.replace(/ \(optional\)$/, ''), value: shown === '' ? 'None' : shown };
  }));
}

/**
 * "Check before publishing": the answers, then what other councils have already shared
 * that looks like it, then the choices. `actions` are the forms that carry the answers on.
 */
export function checkItemPage(session: WebSession, form: ItemForm, answers: Answers, areaName: string, duplicates: readonly PossibleDuplicate[], actions: SafeHtml, draftId?: string) {
  return {
    title: `Check your ${form.noun} before publishing`,
    section: 'write' as const,
    main: column(html`<span class="govuk-caption-l">${session.council.name}</span>
      <h1 class="govuk-heading-l">Check your ${form.noun} before publishing</h1>
      ${answersList(form, answers, areaName, false)}
      ${duplicates.length ? duplicatesSection(session, form, duplicates, draftId) : html`<h2 class="govuk-heading-m">No other council has shared a ${form.noun} like this yet</h2>`}
      ${actions}`),
  };
}

/**
 * For a saved draft, "this is our problem too" marks the draft as the same problem
 * (markProblemSameAs: the draft is archived and points there); for answers not yet saved it
 * only adds the council's support, since there is no draft to archive.
 */
function duplicatesSection(session: WebSession, form: ItemForm, duplicates: readonly PossibleDuplicate[], draftId?: string): SafeHtml {
  const intro = form.kind === 'PROBLEM'
    ? `If one of these is your problem too, add your council as supporting it instead of publishing another${draftId ? ' (your draft is then archived and linked to it)' : ''}: its council will hear from you, and solutions to it reach you.`
    : form.kind === 'SOLUTION'
      ? 'If one of these is the same as yours, record on its page that your council uses it, rather than publishing another.'
      : 'Your case study may be about one of these: say so in its text, or link to it.';
  return html`<h2 class="govuk-heading-m">Other councils have shared ${form.kind === 'CASE_STUDY' ? 'work' : `${form.noun}s`} like this</h2>
    <p class="govuk-body">${intro}</p>
    <ul class="govuk-list cc-duplicates">${duplicates.map(({ item, addressedBy, reasons }, i) => {
      const kind = kindOfTypename(item.kind === 'CASE_STUDY' ? 'CaseStudy' : capital(item.kind.toLowerCase())) ?? 'PROBLEM';
      const ours = item.council.slug === session.council.slug;
      return html`<li>
      <h3 class="govuk-heading-s"><a class="govuk-link" href="${itemPath(kind, item.id)}">${item.title}</a></h3>
      <p class="govuk-body-s">Shared by <a class="govuk-link" href="${councilPath(item.council.slug)}">${item.council.name}</a>${reasons.length ? html`: ${reasons.join('; ')}` : ''}</p>
      <p class="govuk-body">${item.summary}</p>
      ${addressedBy.length ? html`<p class="govuk-body-s">Solutions to it: ${addressedBy.map((s, j) => html`${j ? ', ' : ''}<a class="govuk-link" href="${itemPath('SOLUTION', s.id)}">${s.title}</a> (${s.council.name})`)}</p>` : ''}
      ${form.kind === 'PROBLEM' && kind === 'PROBLEM' && !ours ? html`<form method="post" action="/problems/support" novalidate>${csrfField(session)}
        <input type="hidden" name="problem" value="${item.id}">${draftId ? html`<input type="hidden" name="draft" value="${draftId}">` : ''}
        ${textarea({ name: `note-${i}`, label: 'How it shows up at your council (optional)', value: '', rows: 3, maxLength: 2_000 })}
        <button type="submit" name="noteField" value="note-${i}" class="govuk-button" data-module="govuk-button">This is our problem too: add us as supporting it<span class="govuk-visually-hidden"> (${item.title})</span></button>
      </form>` : ''}</li>`;
    })}</ul>`;
}

/** The choices under "check": change, publish, or keep it as a draft. */
export function newItemActions(session: WebSession, form: ItemForm, answers: Answers, anyDuplicates: boolean): SafeHtml {
  const carried = hiddenFields(Object.fromEntries(fieldsFor(form, false).map((f) => [f.name, answers[f.name] ?? ''])));
  return html`<form method="post" action="${formAction(form)}" novalidate>${csrfField(session)}${carried}
      <button type="submit" name="action" value="edit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Change your answers</button>
    </form>
    <form method="post" action="${formAction(form)}" novalidate>${csrfField(session)}${carried}
      <div class="govuk-button-group">
        <button type="submit" name="action" value="publish" class="govuk-button" data-module="govuk-button">${anyDuplicates ? 'Ours is different: publish' : 'Publish'}</button>
        <button type="submit" name="action" value="draft" class="govuk-button govuk-button--secondary" data-module="govuk-button">Save as a draft</button>
      </div>
    </form>`;
}

/** The one choice under "check" for a saved draft: publish it as it is. */
export function draftActions(session: WebSession, form: ItemForm, item: { id: string; version: number }, anyDuplicates: boolean): SafeHtml {
  return html`<form method="post" action="${itemPath(form.kind, item.id)}/publish" novalidate>${csrfField(session)}${hiddenFields({ version: String(item.version) })}
      <div class="govuk-button-group">
        <button type="submit" class="govuk-button" data-module="govuk-button">${anyDuplicates ? 'Ours is different: publish' : 'Publish'}</button>
        <a class="govuk-link" href="${itemPath(form.kind, item.id)}/edit">Change it first</a>
      </div>
    </form>`;
}

export function archiveItemPage(session: WebSession, form: ItemForm, item: { id: string; version: number; title: string }, message?: string) {
  return {
    title: `${message ? 'Error: ' : ''}Archive ${form.noun}: ${item.title}`,
    section: 'write' as const,
    main: column(html`${message ? errorSummary([{ field: 'archive', message }]) : ''}
      <span class="govuk-caption-l">${session.council.name}</span>
      <h1 class="govuk-heading-l">Are you sure you want to archive ‘${item.title}’?</h1>
      <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
        <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> It leaves search and listings. Its page and links to it keep working, marked as archived.</strong></div>
      <form method="post" action="${itemPath(form.kind, item.id)}/archive" novalidate>${csrfField(session)}${hiddenFields({ version: String(item.version) })}
        <div class="govuk-button-group">
          <button id="archive" type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Archive ${form.noun}</button>
          <a class="govuk-link" href="${itemPath(form.kind, item.id)}">Cancel</a>
        </div>
      </form>`),
  };
}

export function publishedItemPage(form: ItemForm, item: { id: string; title: string }) {
  return {
    title: `${capital(form.noun)} published`,
    main: column(html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${capital(form.noun)} published</h1>
      <div class="govuk-panel__body">${item.title}</div></div>
      <p class="govuk-body">Other councils can now find it in search${form.kind === 'PROBLEM' ? ', support it and link solutions to it' : ''}.</p>
      <p class="govuk-body"><a class="govuk-link" href="${itemPath(form.kind, item.id)}">View your ${form.noun}</a></p>
      <p class="govuk-body"><a class="govuk-link" href="${newPath(form.kind)}">${form.kind === 'PROBLEM' ? 'Describe another problem' : `Share another ${form.noun}`}</a></p>`),
  };
}
