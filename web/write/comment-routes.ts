import { decodeGlobalId } from '../../server/kernel/global-id.js';
import { FormError } from '../forms.js';
import type { Markdown } from '../markdown.js';
import type { Outcome, PageRequest, PageRoute } from '../page-request.js';
import { COMMENT_QUERY, commentPermissions, commentSubjectPath, deleteCommentPage, editCommentPage, notYourCommentPage, type CommentData } from '../pages/comment-pages.js';
import { idInPath } from '../read-routes.js';
import { kindOfPath, itemPath } from '../vocabulary.js';
import { postedForm } from './posted-form.js';

const ADD = `mutation($input: AddCommentInput!) { result: addComment(input: $input) { __typename ... on Error { message } } }`;
const EDIT = `mutation($input: EditCommentInput!) { result: editComment(input: $input) { __typename ... on Error { message } } }`;
const DELETE = `mutation($input: DeleteCommentInput!) { result: deleteComment(input: $input) { __typename ... on Error { message } } }`;
const MAX_COMMENT = 10_000;

type Result = { result: { __typename: string; message?: string } };

/** Adding a comment from an item's page; editing and deleting one at /comments/{id}/edit|delete. */
export function createCommentRoutes(markdown: Markdown): PageRoute {
  return async (request) => {
    const change = /^\/comments\/([^/]{1,300})\/(edit|delete)$/.exec(request.url.pathname);
    if (change) {
      const id = commentIdIn(change[1]!);
      return id ? changeComment(request, id, change[2] as 'edit' | 'delete', markdown) : null;
    }
    const found = /^\/([a-z-]+)\/([^/]{1,300})\/comment$/.exec(request.url.pathname);
    const kind = found ? kindOfPath(found[1]!) : undefined;
    const id = kind ? idInPath(found![2]!, kind) : undefined;
    if (!kind || !id || request.req.method !== 'POST') return null;
    const { form } = await postedForm(request);
    const body = (form.get('comment') ?? '').trim();
    // An empty comment goes back to the page with its error; the page keeps nothing else to lose.
    if (!body || body.length > MAX_COMMENT) return { redirect: `${itemPath(kind, id)}?comment=${body ? 'long' : 'empty'}#comment` };
    const { result } = await request.data<Result>(request.server, ADD, { input: { subjectId: id, body } });
    if (result.__typename !== 'AddCommentPayload') throw new FormError(400, result.message ?? 'the comment was refused');
    return { redirect: `${itemPath(kind, id)}#comments` };
  };
}

async function changeComment(request: PageRequest, id: string, action: 'edit' | 'delete', markdown: Markdown): Promise<Outcome | null> {
  const post = request.req.method === 'POST';
  if (!request.session && !post) return { redirect: '/sign-in' };
  // The form is checked (session, origin, CSRF) before anything else is read or asked.
  const form = post ? (await postedForm(request)).form : undefined;
  const session = request.session!;
  const { node } = await request.data<{ node: (CommentData & { __typename: string }) | null }>(request.server, COMMENT_QUERY, { id });
  if (!node || node.__typename !== 'Comment') return null;
  if (!commentPermissions(session, node)[action]) return { status: 403, view: notYourCommentPage() };
  if (action === 'delete') {
    if (!form) return { view: deleteCommentPage(session, node, markdown) };
    await mutate(request, DELETE, { input: { id } }, 'DeleteCommentPayload');
    return { redirect: `${commentSubjectPath(node)}#comments` };
  }
  if (!form) return { view: editCommentPage(session, node, node.body) };
  const body = (form.get('comment') ?? '').trim();
  const error = !body ? 'Enter your comment' : body.length > MAX_COMMENT ? 'Comment must be 10,000 characters or fewer' : undefined;
  if (error) return { status: 400, view: editCommentPage(session, node, body, error) };
  await mutate(request, EDIT, { input: { id, body } }, 'EditCommentPayload');
  return { redirect: `${commentSubjectPath(node)}#comment-${id}` };
}

async function mutate(request: PageRequest, document: string, variables: Record<string, unknown>, success: string): Promise<void> {
  const { result } = await request.data<Result>(request.server, document, variables);
  if (result.__typename !== success) throw new FormError(400, result.message ?? 'the change was refused');
}

function commentIdIn(segment: string): string | undefined {
  try {
    const id = decodeURIComponent(segment);
    return decodeGlobalId(id).typename === 'Comment' ? id : undefined;
  } catch {
    return undefined;
  }
}
