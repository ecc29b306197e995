import type { FieldError } from '../form-fields.js';
import type { Kind } from '../vocabulary.js';

/** One question on an item's form; its name is the GraphQL input field it fills. */
export interface FormField {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly type: 'text' | 'textarea' | 'select' | 'pounds' | 'date';
  readonly required?: boolean;
  readonly maxLength?: number;
  readonly rows?: number;
  /** A select's choices; the service area's come from the API. */
  readonly options?: readonly { readonly value: string; readonly text: string }[];
  /** Asked when editing only (a problem's status: a new problem is always open). */
  readonly editOnly?: boolean;
}

/** What the form for one kind asks, and the GraphQL names it writes through. */
export interface ItemForm {
  readonly kind: Kind;
  /** "problem", "solution", "case study". */
  readonly noun: string;
  /** GraphQL type name: Problem, Solution, CaseStudy. */
  readonly type: string;
  readonly fields: readonly FormField[];
}

export type Answers = Readonly<Record<string, string>>;

const choices = (values: Record<string, string>) => Object.entries(values).map(([value, text]) => ({ value, text }));

const TITLE: FormField = { name: 'title', label: 'Title', type: 'text', required: true, maxLength: 200 };
const SUMMARY: FormField = { name: 'summary', label: 'Summary', type: 'textarea', required: true, maxLength: 1_000, rows: 4 };
const BODY: FormField = { name: 'body', label: 'More detail (optional)', hint: 'What you have tried, numbers, links. You can use Markdown.', type: 'textarea', maxLength: 100_000, rows: 8 };
const AREA: FormField = { name: 'serviceArea', label: 'Service area', type: 'select', required: true };
const PHASE_ENDS: FormField = { name: 'phaseEndsOn', label: 'Expected end of this phase (optional)', hint: 'As YYYY-MM-DD, for example 2027-03-31. After it, your council\'s admins are asked whether this is still current', type: 'date', maxLength: 10 };

export const ITEM_FORMS: Record<Kind, ItemForm> = {
  PROBLEM: { kind: 'PROBLEM', noun: 'problem', type: 'Problem', fields: [
    { ...TITLE, hint: 'Say what goes wrong, in a sentence. For example, "Missed bin reports reach crews a day late".' },
    { ...SUMMARY, hint: 'What happens, who it affects and what it costs your council.' },
    BODY, AREA,
    { name: 'status', label: 'Status', type: 'select', required: true, editOnly: true, options: choices({ OPEN: 'Open', EXPLORING: 'Exploring', SOLVED: 'Solved' }) },
    PHASE_ENDS,
  ] },
  SOLUTION: { kind: 'SOLUTION', noun: 'solution', type: 'Solution', fields: [
    { ...TITLE, hint: 'What it is, in a few words. For example, "Missed bin reports sent straight to crews\' tablets".' },
    { ...SUMMARY, hint: 'What it does, which problem it solves and who runs it.' },
    BODY, AREA,
    { name: 'kind', label: 'Kind of solution', type: 'select', required: true, options: choices({
      SOFTWARE: 'Software', SERVICE_PATTERN: 'Service pattern', PROCESS: 'Process', GUIDANCE: 'Guidance',
      DATA_STANDARD: 'Data standard', PROCUREMENT_ROUTE: 'Procurement route' }) },
    { name: 'phase', label: 'Phase', type: 'select', required: true, options: choices({ DISCOVERY: 'Discovery', ALPHA: 'Alpha', BETA: 'Beta', LIVE: 'Live', RETIRED: 'Retired' }) },
    { name: 'costBand', label: 'First-year cost (optional)', type: 'select', options: choices({
      FREE: 'Free', UNDER_10K: 'Under £10,000', FROM_10K_TO_50K: '£10,000 to £50,000', FROM_50K_TO_250K: '£50,000 to £250,000', OVER_250K: 'Over £250,000' }) },
    { name: 'url', label: 'Website or source code (optional)', hint: 'An address starting https://', type: 'text', maxLength: 2_000 },
    { name: 'licence', label: 'Licence (optional)', hint: 'For example, MIT, OGL-UK-3.0 or Proprietary', type: 'text', maxLength: 100 },
    PHASE_ENDS,
  ] },
  CASE_STUDY: { kind: 'CASE_STUDY', noun: 'case study', type: 'CaseStudy', fields: [
    { ...TITLE, hint: 'What you did and where. For example, "Moving missed bin reports to crew tablets in Leeds".' },
    { ...SUMMARY, hint: 'What you did, what happened and what it cost.' },
    BODY, AREA,
    { name: 'outcome', label: 'Outcome', type: 'select', required: true, options: choices({
      WORKED: 'Worked', PARTLY_WORKED: 'Partly worked', DID_NOT_WORK: 'Did not work', TOO_EARLY_TO_TELL: 'Too early to tell' }) },
    { name: 'lessons', label: 'Lessons learned (optional)', hint: 'What you would tell a council starting the same thing. You can use Markdown.', type: 'textarea', maxLength: 100_000, rows: 6 },
    { name: 'costPounds', label: 'What it cost, in pounds (optional)', hint: 'Whole pounds, for example 12000', type: 'pounds' },
    { name: 'savingsClaimedPounds', label: 'Savings claimed, in pounds (optional)', hint: 'Whole pounds a year', type: 'pounds' },
    { name: 'evidenceUrl', label: 'Evidence (optional)', hint: 'A link to a report or evaluation, starting https://', type: 'text', maxLength: 2_000 },
  ] },
};

const MAX_POUNDS = 1_000_000_000;

export function fieldsFor(form: ItemForm, editing: boolean): FormField[] {
  return form.fields.filter((f) => editing || !f.editOnly);
}

/** The answers a submitted form carries, trimmed; unknown names are ignored. */
export function readAnswers(form: ItemForm, posted: URLSearchParams, editing: boolean): Answers {
  return Object.fromEntries(fieldsFor(form, editing).map((f) => [f.name, (posted.get(f.name) ?? '').trim()]));
}

/** The answers an existing item gives, for its edit form. */
export function answersOf(form: ItemForm, item: Readonly<Record<string, unknown>>): Answers {
  return Object.fromEntries(form.fields.map((f) => {
    const value = item[f.name];
    return [f.name, value === null || value === undefined ? '' : String(value)];
  }));
}

/** Errors in GOV.UK's words, checked here so a mistake keeps what was typed; the API checks again. */
export function checkAnswers(form: ItemForm, answers: Answers, areaCodes: readonly string[], editing: boolean): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fieldsFor(form, editing)) {
    const value = answers[field.name] ?? '';
    const name = field.label.replace(/ \(optional\)$/, '');
    const options = field.name === 'serviceArea' ? areaCodes : field.options?.map((o) => o.value);
    if (value === '') {
      if (field.required) errors.push({ field: field.name, message: field.type === 'select' ? `Choose ${article(name)}` : `Enter ${article(name)}` });
    } else if (field.type === 'select' && !options?.includes(value)) {
      errors.push({ field: field.name, message: `Choose ${article(name)}` });
    } else if (field.type === 'date' && !isDate(value)) {
      errors.push({ field: field.name, message: `${name} must be a real date written like 2027-03-31` });
    } else if (field.type === 'pounds' && !isPounds(value)) {
      errors.push({ field: field.name, message: `${name} must be a whole number of pounds, like 12000` });
    } else if (field.maxLength && value.length > field.maxLength) {
      errors.push({ field: field.name, message: `${name} must be ${field.maxLength.toLocaleString('en-GB')} characters or fewer` });
    }
  }
  return errors;
}

function article(name: string): string {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return /^[aeiou]/i.test(lower) ? `an ${lower}` : `a ${lower}`;
}

function isDate(value: string): boolean {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  return !!date && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function isPounds(value: string): boolean {
  const pounds = Number(value.replace(/^£/, '').replaceAll(',', ''));
  return Number.isInteger(pounds) && pounds >= 0 && pounds <= MAX_POUNDS;
}

/** The GraphQL input for checked answers: empty optional answers clear their field. */
export function toInput(form: ItemForm, answers: Answers, editing: boolean): Record<string, string | number | null> {
  return Object.fromEntries(fieldsFor(form, editing).map((f) => {
    const value = answers[f.name] ?? '';
    if (f.type === 'pounds') return [f.name, value === '' ? null : Number(value.replace(/^£/, '').replaceAll(',', ''))];
    if (f.type === 'textarea') return [f.name, value];
    return [f.name, value === '' ? null : value];
  }));
}

/** An API validation error's fields (`title`, `partners.2`) as the form's own. */
export function fieldErrors(fields: readonly { field: string; message: string }[]): FieldError[] {
  return fields.map((f) => ({ field: f.field.split('.')[0]!, message: `${f.field.split('.')[0]} ${f.message}` }));
}
