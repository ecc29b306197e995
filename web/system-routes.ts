import type { FieldError } from './form-fields.js';
import { FormError } from './forms.js';
import type { Outcome, PageRequest, PageRoute } from './page-request.js';
import {
  answersOf, editSystemPage, EMPTY_SYSTEM, notCouncilAdminPage, SYSTEMS_QUERY, systemsPage, type SystemAnswers, type SystemsData,
} from './pages/systems-page.js';
import { postedForm } from './write/posted-form.js';

const ERRORS = `... on ValidationError { message fields { field message } } ... on Error { message }`;
const ADD = `mutation($input: AddCouncilSystemInput!) { result: addCouncilSystem(input: $input) { __typename ${ERRORS} } }`;
const UPDATE = `mutation($input: UpdateCouncilSystemInput!) { result: updateCouncilSystem(input: $input) { __typename ${ERRORS} } }`;
const REMOVE = `mutation($input: RemoveCouncilSystemInput!) { result: removeCouncilSystem(input: $input) { __typename ${ERRORS} } }`;
const SUCCESS = { add: 'AddCouncilSystemPayload', edit: 'UpdateCouncilSystemPayload', remove: 'RemoveCouncilSystemPayload' } as const;

type Result = { __typename: string; message?: string; fields?: { field: string; message: string }[] };
type Action = keyof typeof SUCCESS;

/**
 * A council admin's systems: /council/systems lists them with a form to add one, and each
 * has a change page and a remove button. Every change is a GraphQL mutation as the member,
 * which decides who may (the council's own admins): the pages show its refusals.
 */
export function createSystemRoutes(): PageRoute {
  return async (request) => {
    const path = request.url.pathname;
    const get = request.req.method !== 'POST';
    if (get && (path === '/council/systems' || path === '/council/systems/edit')) {
      if (!request.session) return { redirect: '/sign-in' };
      return path === '/council/systems' ? show(request) : showEdit(request, request.url.searchParams.get('id') ?? '');
    }
    const action = /^\/council\/systems\/(add|edit|remove)$/.exec(path)?.[1] as Action | undefined;
    if (!action || get) return null;
    const { form } = await postedForm(request);
    const id = form.get('system') ?? '';
    const answers = readAnswers(form);
    if (action !== 'remove') {
      const errors = check(answers);
      if (errors.length) return action === 'add' ? show(request, answers, errors) : showEdit(request, id, answers, errors);
    }
    const fields = { category: answers.category, supplier: answers.supplier, product: answers.product, contractEndsOn: dateOf(answers) };
    const [document, input] = action === 'add' ? [ADD, fields] : action === 'edit' ? [UPDATE, { id, ...fields }] : [REMOVE, { id }];
    const { result } = await request.data<{ result: Result }>(request.server, document, { input });
    if (result.__typename === SUCCESS[action]) return { redirect: '/council/systems' };
    if (result.__typename === 'ForbiddenError') return { status: 403, view: notCouncilAdminPage(request.session!.council.name) };
    if (result.__typename === 'NotFoundError') throw new FormError(400, 'that system is not one of your council\'s');
    const errors: FieldError[] = result.fields?.length
      ? result.fields.map((f) => ({ field: f.field === 'input' || f.field === 'id' ? 'category' : f.field, message: `${label(f.field)} ${f.message}` }))
      : [{ field: 'category', message: result.message ?? 'The change was refused' }];
    return action === 'edit' ? showEdit(request, id, answers, errors) : show(request, action === 'add' ? answers : undefined, errors);
  };
}

async function councilOf(request: PageRequest) {
  // Only admins see the page: the mutations refuse anyone else anyway.
  if (request.session!.viewer.role !== 'admin') return null;
  return (await request.data<SystemsData>(request.server, SYSTEMS_QUERY)).viewer.council;
}

async function show(request: PageRequest, answers?: SystemAnswers, errors: FieldError[] = []): Promise<Outcome> {
  const council = await councilOf(request);
  if (!council) return { status: 403, view: notCouncilAdminPage(request.session!.council.name) };
  return { status: errors.length ? 400 : 200, view: systemsPage(request.session!, council, answers ?? EMPTY_SYSTEM, errors) };
}

async function showEdit(request: PageRequest, id: string, answers?: SystemAnswers, errors: FieldError[] = []): Promise<Outcome | null> {
  const council = await councilOf(request);
  if (!council) return { status: 403, view: notCouncilAdminPage(request.session!.council.name) };
  const system = council.systems.find((s) => s.id === id);
  if (!system) return null;
  return { status: errors.length ? 400 : 200, view: editSystemPage(request.session!, council, id, answers ?? answersOf(system), errors) };
}

function readAnswers(form: URLSearchParams): SystemAnswers {
  const text = (name: string) => (form.get(name) ?? '').trim();
  return { category: text('category'), supplier: text('supplier'), product: text('product'), day: text('day'), month: text('month'), year: text('year') };
}

/** The three boxes as YYYY-MM-DD, or null when all are empty; the API checks the day exists. */
function dateOf(answers: SystemAnswers): string | null {
  if (!answers.day && !answers.month && !answers.year) return null;
  return `${answers.year.padStart(4, '0')}-${answers.month.padStart(2, '0')}-${answers.day.padStart(2, '0')}`;
}

function check(answers: SystemAnswers): FieldError[] {
  const errors: FieldError[] = [];
  if (!answers.category) errors.push({ field: 'category', message: 'Choose a category' });
  if (!answers.supplier) errors.push({ field: 'supplier', message: 'Enter the supplier' });
  if (!answers.product) errors.push({ field: 'product', message: 'Enter the product' });
  const date = [answers.day, answers.month, answers.year];
  if (date.some(Boolean) && !(/^\d{1,2}$/.test(answers.day) && /^\d{1,2}$/.test(answers.month) && /^\d{4}$/.test(answers.year))) {
    errors.push({ field: 'contractEndsOn', message: 'Contract end must be a real date, like 31 3 2027' });
  }
  return errors;
}

function label(field: string): string {
  return ({ contractEndsOn: 'Contract end', supplier: 'Supplier', product: 'Product', category: 'Category' } as Record<string, string>)[field] ?? 'The system';
}
