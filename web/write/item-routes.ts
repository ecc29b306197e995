import type { WebSession } from '../../server/auth/sessions.js';
import { FormError } from '../forms.js';
import type { Outcome, PageRequest, PageRoute } from '../page-request.js';
import { idInPath, isIdOf } from '../read-routes.js';
import { itemPath, kindOfPath } from '../vocabulary.js';
import {
  createMutation, DUPLICATE_CHECK, editableQuery, readWriteResult, SERVICE_AREAS, updateMutation, versionMutation,
  type Editable, type PossibleDuplicate, type WriteResult,
} from './item-documents.js';
import { answersOf, checkAnswers, fieldErrors, ITEM_FORMS, readAnswers, toInput, type Answers, type ItemForm } from './item-forms.js';
import {
  archiveItemPage, checkItemPage, draftActions, editItemPage, newItemActions, newItemPage, newPath, publishedItemPage, type ServiceAreaOption,
} from './item-pages.js';
import { postedForm, postedVersion } from './posted-form.js';

type Step = 'new' | 'done' | 'edit' | 'publish' | 'archive';

/**
 * Writing problems, solutions and case studies: new (form, "check before publishing" with
 * the duplicate warning, publish or save a draft), edit with the version the member saw,
 * publish a draft, archive. Every change is a GraphQL mutation as the signed-in member.
 */
export function createItemRoutes(): PageRoute {
  return async (request) => {
    const found = /^\/([a-z-]+)\/(?:(new)(?:\/(done))?|([^/]{1,300})\/(edit|publish|archive))$/.exec(request.url.pathname);
    const kind = found ? kindOfPath(found[1]!) : undefined;
    if (!found || !kind) return null;
    const form = ITEM_FORMS[kind];
    const step = (found[3] ?? found[2] ?? found[5]) as Step;
    const id = found[4] ? idInPath(found[4], kind) : undefined;
    if (found[4] && !id) return null;
    const post = request.req.method === 'POST';
    if (!post && !request.session) return { redirect: '/sign-in' };
    if (step === 'new') return post ? submitNew(request, form) : { view: newItemPage(request.session!, form, {}, await areas(request)) };
    if (step === 'done') return post ? null : done(request, form);
    if (!post) return show(request, form, step, id!);
    const { session, form: posted } = await postedForm(request);
    if (step === 'edit') return submitEdit(request, session, form, id!, posted);
    return submitVersioned(request, session, form, step, id!, postedVersion(posted));
  };
}

async function submitNew(request: PageRequest, form: ItemForm): Promise<Outcome> {
  const { session, form: posted } = await postedForm(request);
  const answers = readAnswers(form, posted, false);
  const options = await areas(request);
  const action = posted.get('action');
  if (action === 'edit') return { view: newItemPage(session, form, answers, options) };
  const errors = checkAnswers(form, answers, options.map((a) => a.code), false);
  if (errors.length) return { status: 400, view: newItemPage(session, form, answers, options, errors) };
  if (action === 'check') {
    const duplicates = await duplicatesOf(request, form, answers);
    return { view: checkItemPage(session, form, answers, areaName(options, answers), duplicates, newItemActions(session, form, answers, duplicates.length > 0)) };
  }
  if (action !== 'publish' && action !== 'draft') throw new FormError(400, 'the form did not say what to do');
  const created = await write(request, createMutation(form), { input: toInput(form, answers, false) });
  if (created.__typename === 'ValidationError') return { status: 400, view: newItemPage(session, form, answers, options, fieldErrors(created.fields)) };
  if (created.__typename !== 'Written') throw new FormError(403, created.message);
  if (action === 'draft') return { redirect: itemPath(form.kind, created.item.id) };
  const published = await write(request, versionMutation(form, 'publish'), { id: created.item.id, version: created.item.version });
  if (published.__typename !== 'Written') throw new FormError(403, published.message);
  return { redirect: doneUrl(form, created.item.id) };
}

async function show(request: PageRequest, form: ItemForm, step: Step, id: string): Promise<Outcome | null> {
  const session = request.session!;
  const item = await editable(request, form, id);
  if (!item?.viewerCanEdit) return null;
  const answers = answersOf(form, item);
  const title = answers.title ?? '';
  if (step === 'edit') return { view: editItemPage(session, form, { id, version: item.version, title }, answers, await areas(request)) };
  if (step === 'archive') return { view: archiveItemPage(session, form, { id, version: item.version, title }) };
  if (item.visibility !== 'DRAFT') return { redirect: itemPath(form.kind, id) };
  return { view: await publishCheck(request, session, form, item, answers) };
}

async function publishCheck(request: PageRequest, session: WebSession, form: ItemForm, item: Editable, answers: Answers) {
  const duplicates = await duplicatesOf(request, form, answers);
  return checkItemPage(session, form, answers, areaName(await areas(request), answers), duplicates, draftActions(session, form, item, duplicates.length > 0), item.id);
}

async function submitEdit(request: PageRequest, session: WebSession, form: ItemForm, id: string, posted: URLSearchParams): Promise<Outcome> {
  const version = postedVersion(posted);
  const answers = readAnswers(form, posted, true);
  const options = await areas(request);
  const item = { id, version, title: answers.title ?? '' };
  const errors = checkAnswers(form, answers, options.map((a) => a.code), true);
  if (errors.length) return { status: 400, view: editItemPage(session, form, item, answers, options, errors) };
  const updated = await write(request, updateMutation(form), { input: { id, version, ...toInput(form, answers, true) } });
  if (updated.__typename === 'Written') return { redirect: itemPath(form.kind, id) };
  if (updated.__typename === 'ValidationError') return { status: 400, view: editItemPage(session, form, item, answers, options, fieldErrors(updated.fields)) };
  if (updated.__typename === 'Refused') throw new FormError(403, updated.message);
  // Another edit landed first: show the saved version beside the member's own, and carry the
  // new version so saving again is a deliberate choice to replace it.
  const current = await editable(request, form, id);
  if (!current) throw new FormError(403, updated.message);
  const saved = answersOf(form, current);
  return { status: 409, view: editItemPage(session, form, { ...item, version: current.version }, answers, options, [], { current: saved, areaName: areaName(options, saved) }) };
}

async function submitVersioned(request: PageRequest, session: WebSession, form: ItemForm, step: 'publish' | 'archive', id: string, version: number): Promise<Outcome> {
  const result = await write(request, versionMutation(form, step), { id, version });
  if (result.__typename === 'Written') return { redirect: step === 'publish' ? doneUrl(form, id) : itemPath(form.kind, id) };
  if (result.__typename !== 'ConflictError') throw new FormError(403, result.message);
  const current = await editable(request, form, id);
  if (!current) throw new FormError(403, result.message);
  const answers = answersOf(form, current);
  const changed = `Someone changed this ${form.noun} after you opened this page. Check it again`;
  if (step === 'archive') return { status: 409, view: archiveItemPage(session, form, { id, version: current.version, title: answers.title ?? '' }, changed) };
  return { status: 409, view: await publishCheck(request, session, form, current, answers) };
}

async function done(request: PageRequest, form: ItemForm): Promise<Outcome | null> {
  const id = request.url.searchParams.get('id') ?? '';
  if (!isIdOf(id, form.kind)) return null;
  const item = await editable(request, form, id);
  return item?.visibility === 'PUBLISHED' ? { view: publishedItemPage(form, { id, title: String(item.title) }) } : null;
}

const doneUrl = (form: ItemForm, id: string) => `${newPath(form.kind)}/done?id=${encodeURIComponent(id)}`;

async function write(request: PageRequest, document: string, variables: Record<string, unknown>): Promise<WriteResult> {
  const { result } = await request.data<{ result: { __typename: string; item?: unknown; message?: string } }>(request.server, document, variables);
  return readWriteResult(result);
}

async function editable(request: PageRequest, form: ItemForm, id: string): Promise<Editable | null> {
  const { node } = await request.data<{ node: Editable | null }>(request.server, editableQuery(form), { id });
  return node && node.__typename === form.type ? node : null;
}

async function duplicatesOf(request: PageRequest, form: ItemForm, answers: Answers): Promise<PossibleDuplicate[]> {
  const { duplicateCheck } = await request.data<{ duplicateCheck: PossibleDuplicate[] }>(request.server, DUPLICATE_CHECK,
    { kind: form.kind, title: answers.title ?? '', summary: answers.summary ?? '' });
  return duplicateCheck;
}

async function areas(request: PageRequest): Promise<ServiceAreaOption[]> {
  return (await request.data<{ serviceAreas: ServiceAreaOption[] }>(request.server, SERVICE_AREAS)).serviceAreas;
}

function areaName(options: readonly ServiceAreaOption[], answers: Answers): string {
  return options.find((a) => a.code === answers.serviceArea)?.name ?? '';
}
