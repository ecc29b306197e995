import { FormError } from '../forms.js';
import type { PageRoute } from '../page-request.js';
import { idInPath } from '../read-routes.js';
import { kindOfPath, itemPath } from '../vocabulary.js';
import { postedForm } from './posted-form.js';

const ADD = `mutation($input: AddCommentInput!) { result: addComment(input: $input) { __typename ... on Error { message } } }`;
const MAX_COMMENT = 10_000;

/** Adding a comment from an item's page, then back to the comments. */
export function createCommentRoutes(): PageRoute {
  return async (request) => {
    const found = /^\/([a-z-]+)\/([^/]{1,300})\/comment$/.exec(request.url.pathname);
    const kind = found ? kindOfPath(found[1]!) : undefined;
    const id = kind ? idInPath(found![2]!, kind) : undefined;
    if (!kind || !id || request.req.method !== 'POST') return null;
    const { form } = await postedForm(request);
    const body = (form.get('comment') ?? '').trim();
    // An empty comment goes back to the page with its error; the page keeps nothing else to lose.
    if (!body || body.length > MAX_COMMENT) return { redirect: `${itemPath(kind, id)}?comment=${body ? 'long' : 'empty'}#comment` };
    const { result } = await request.data<{ result: { __typename: string; message?: string } }>(request.server, ADD, { input: { subjectId: id, body } });
    if (result.__typename !== 'AddCommentPayload') throw new FormError(400, result.message ?? 'the comment was refused');
    return { redirect: `${itemPath(kind, id)}#comments` };
  };
}
