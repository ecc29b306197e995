import { FormError } from '../forms.js';
import type { Outcome, PageRequest, PageRoute } from '../page-request.js';
import { idInPath } from '../read-routes.js';
import { itemPath } from '../vocabulary.js';
import { postedForm } from './posted-form.js';

const SUPPORT = `mutation($input: SupportProblemInput!) { result: supportProblem(input: $input) { __typename ... on Error { message } } }`;
const MARK_SAME = `mutation($input: MarkProblemSameAsInput!) { result: markProblemSameAs(input: $input) { __typename ... on Error { message } } }`;
const WITHDRAW = `mutation($id: ID!) { result: withdrawSupport(input: { problemId: $id }) { __typename ... on Error { message } } }`;
const LINK = `mutation($input: LinkSolutionToProblemInput!) { result: linkSolutionToProblem(input: $input) { __typename ... on Error { message } } }`;
const ADOPT = `mutation($input: RecordAdoptionInput!) { result: recordAdoption(input: $input) { __typename ... on Error { message } } }`;
const STAGES = ['CONSIDERING', 'PILOTING', 'ADOPTED', 'REJECTED'];
const MAX_NOTE = 2_000;

/**
 * Where a council stands with another council's work: "we have this problem too" (with a
 * note) and withdrawing it, linking its own solution to a problem, and its adoption stage
 * with a solution.
 */
export function createStanceRoutes(): PageRoute {
  return async (request) => {
    if (request.req.method !== 'POST') return null;
    const path = request.url.pathname;
    if (path === '/problems/support') return support(request);
    const found = /^\/(problems|solutions)\/([^/]{1,300})\/(withdraw|link|adoption)$/.exec(path);
    if (!found) return null;
    const problem = found[1] === 'problems' ? idInPath(found[2]!, 'PROBLEM') : undefined;
    if (problem && found[3] === 'withdraw') return withdraw(request, problem);
    if (problem && found[3] === 'link') return link(request, problem);
    const solution = found[1] === 'solutions' && found[3] === 'adoption' ? idInPath(found[2]!, 'SOLUTION') : undefined;
    return solution ? adopt(request, solution) : null;
  };
}

async function support(request: PageRequest): Promise<Outcome> {
  const { form } = await postedForm(request);
  const problemId = form.get('problem') ?? '';
  // The check page has one note box per possible duplicate; the button says which it used.
  const noteField = form.get('noteField') ?? 'note';
  const note = (/^note(-\d{1,2})?$/.test(noteField) ? form.get(noteField) ?? '' : '').trim();
  const cleanNote = note.slice(0, MAX_NOTE) || null;
  // From a saved draft's check page: the draft is the same problem, so it is archived and
  // linked there, and the council supports the existing one (one mutation, one transaction).
  const draft = form.get('draft');
  if (draft) await mutate(request, MARK_SAME, { input: { id: draft, sameAsId: problemId, note: cleanNote } }, 'MarkProblemSameAsPayload');
  else await mutate(request, SUPPORT, { input: { problemId, note: cleanNote } }, 'SupportProblemPayload');
  return { redirect: itemPath('PROBLEM', problemId) };
}

async function withdraw(request: PageRequest, id: string): Promise<Outcome> {
  await postedForm(request);
  await mutate(request, WITHDRAW, { id }, 'WithdrawSupportPayload');
  return { redirect: itemPath('PROBLEM', id) };
}

async function link(request: PageRequest, problemId: string): Promise<Outcome> {
  const { form } = await postedForm(request);
  await mutate(request, LINK, { input: { problemId, solutionId: form.get('solution') ?? '' } }, 'LinkSolutionToProblemPayload');
  return { redirect: `${itemPath('PROBLEM', problemId)}#linked-items` };
}

async function adopt(request: PageRequest, id: string): Promise<Outcome> {
  const { form } = await postedForm(request);
  const stage = form.get('stage') ?? '';
  if (!STAGES.includes(stage)) throw new FormError(400, 'choose where your council is with this solution');
  const note = (form.get('note') ?? '').trim().slice(0, MAX_NOTE);
  await mutate(request, ADOPT, { input: { solutionId: id, stage, note: note || null } }, 'RecordAdoptionPayload');
  return { redirect: `${itemPath('SOLUTION', id)}#councils` };
}

async function mutate(request: PageRequest, document: string, variables: Record<string, unknown>, success: string): Promise<void> {
  const { result } = await request.data<{ result: { __typename: string; message?: string } }>(request.server, document, variables);
  if (result.__typename !== success) throw new FormError(400, result.message ?? 'the change was refused');
}
