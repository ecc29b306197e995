import { checkCsrfToken, checkSameOrigin, FormError, readForm } from '../forms.js';
import type { FieldError } from '../form-fields.js';
import type { Outcome, PageRequest, PageRoute } from '../page-request.js';
import { itemPath } from '../vocabulary.js';
import { LIMITS, problemCheckPage, problemFormPage, publishedPage, type PossibleDuplicate, type ProblemAnswers, type ServiceAreaOption } from './problem-pages.js';

const SERVICE_AREAS = `{ serviceAreas { code name } }`;
const SIMILAR = `query($text: String!) { similar(text: $text, kinds: [PROBLEM], first: 5) { item { id: contentId title summary council { name slug } } } }`;
const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) {
  __typename ... on CreateProblemPayload { problem { id title version } } ... on ValidationError { fields { field message } } ... on Error { message } } }`;
const PUBLISH = `mutation($id: ID!, $version: Int) { publishProblem(input: { id: $id, version: $version }) {
  __typename ... on PublishProblemPayload { problem { id title } } ... on Error { message } } }`;
const SUPPORT = `mutation($input: SupportProblemInput!) { supportProblem(input: $input) { __typename ... on Error { message } } }`;
const PUBLISHED = `query($id: ID!) { node(id: $id) { ... on Problem { id title visibility } } }`;

type Failure = { __typename: string; message: string };
type Created = { __typename: 'CreateProblemPayload'; problem: { id: string; version: number } }
  | { __typename: 'ValidationError'; message: string; fields: FieldError[] } | Failure;
type Published = { __typename: 'PublishProblemPayload'; problem: { id: string } } | Failure;

const EMPTY: ProblemAnswers = { title: '', summary: '', body: '', serviceArea: '' };

/**
 * Writing a problem: the form, "check your answers" with the problems other councils have
 * already shared that look like it, then publish, save as a draft, or support one of those
 * instead. Every change is a GraphQL mutation as the signed-in member.
 */
export function createProblemRoutes(): PageRoute {
  return async (request) => {
    const key = `${request.req.method === 'HEAD' ? 'GET' : request.req.method} ${request.url.pathname}`;
    if (key !== 'GET /problems/new' && key !== 'POST /problems/new' && key !== 'POST /problems/support' && key !== 'GET /problems/new/done') return null;
    const session = request.session;
    if (!session) {
      if (request.req.method === 'POST') throw new FormError(403, 'you are not signed in');
      return { redirect: '/sign-in' };
    }
    if (key === 'GET /problems/new') return { view: problemFormPage(session, EMPTY, await areas(request)) };
    if (key === 'GET /problems/new/done') return done(request);
    checkSameOrigin(request.req);
    const form = await readForm(request.req);
    checkCsrfToken(form, session.csrfToken);
    return key === 'POST /problems/support' ? support(request, form) : submit(request, form);
  };
}

async function submit(request: PageRequest, form: URLSearchParams): Promise<Outcome> {
  const session = request.session!;
  const answers: ProblemAnswers = {
    title: (form.get('title') ?? '').trim(), summary: (form.get('summary') ?? '').trim(),
    body: (form.get('body') ?? '').trim(), serviceArea: form.get('serviceArea') ?? '',
  };
  const options = await areas(request);
  const action = form.get('action');
  if (action === 'edit') return { view: problemFormPage(session, answers, options) };
  const errors = check(answers, options);
  if (errors.length) return { status: 400, view: problemFormPage(session, answers, options, errors) };
  if (action === 'check') {
    const { similar } = await request.data<{ similar: PossibleDuplicate[] }>(request.server, SIMILAR, { text: `${answers.title}\n${answers.summary}` });
    const areaName = options.find((a) => a.code === answers.serviceArea)!.name;
    return { view: problemCheckPage(session, answers, areaName, similar) };
  }
  if (action !== 'publish' && action !== 'draft') throw new FormError(400, 'the form did not say what to do');
  const { createProblem: created } = await request.data<{ createProblem: Created }>(request.server, CREATE, {
    input: { title: answers.title, summary: answers.summary, body: answers.body || null, serviceArea: answers.serviceArea },
  });
  if ('fields' in created) {
    return { status: 400, view: problemFormPage(session, answers, options, created.fields.map((f) => ({ field: f.field.split('.')[0]!, message: f.message }))) };
  }
  if (!('problem' in created)) throw new FormError(403, created.message);
  const { problem } = created;
  if (action === 'draft') return { redirect: itemPath('PROBLEM', problem.id) };
  const { publishProblem: published } = await request.data<{ publishProblem: Published }>(request.server, PUBLISH, { id: problem.id, version: problem.version });
  if (!('problem' in published)) throw new FormError(403, published.message);
  return { redirect: `/problems/new/done?id=${encodeURIComponent(problem.id)}` };
}

async function support(request: PageRequest, form: URLSearchParams): Promise<Outcome> {
  const problemId = form.get('problem') ?? '';
  const noteField = form.get('noteField') ?? '';
  const note = (/^note-\d{1,2}$/.test(noteField) ? form.get(noteField) ?? '' : '').trim();
  const { supportProblem } = await request.data<{ supportProblem: { __typename: string; message?: string } }>(request.server, SUPPORT, {
    input: { problemId, note: note || null },
  });
  if (supportProblem.__typename !== 'SupportProblemPayload') throw new FormError(400, supportProblem.message ?? 'the problem could not be supported');
  return { redirect: itemPath('PROBLEM', problemId) };
}

async function done(request: PageRequest): Promise<Outcome | null> {
  const id = request.url.searchParams.get('id') ?? '';
  const { node } = await request.data<{ node: { id: string; title: string; visibility: string } | null }>(request.server, PUBLISHED, { id });
  return node?.visibility === 'PUBLISHED' ? { view: publishedPage(node) } : null;
}

async function areas(request: PageRequest): Promise<ServiceAreaOption[]> {
  return (await request.data<{ serviceAreas: ServiceAreaOption[] }>(request.server, SERVICE_AREAS)).serviceAreas;
}

function check(answers: ProblemAnswers, areas: readonly ServiceAreaOption[]): FieldError[] {
  const errors: FieldError[] = [];
  if (!answers.title) errors.push({ field: 'title', message: 'Enter a title' });
  else if (answers.title.length > LIMITS.title) errors.push({ field: 'title', message: `Title must be ${LIMITS.title} characters or fewer` });
  if (!answers.summary) errors.push({ field: 'summary', message: 'Enter a summary' });
  else if (answers.summary.length > LIMITS.summary) errors.push({ field: 'summary', message: `Summary must be ${LIMITS.summary.toLocaleString('en-GB')} characters or fewer` });
  if (answers.body.length > LIMITS.body) errors.push({ field: 'body', message: 'More detail must be 100,000 characters or fewer' });
  if (!areas.some((a) => a.code === answers.serviceArea)) errors.push({ field: 'serviceArea', message: 'Choose a service area' });
  return errors;
}
