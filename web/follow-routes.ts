import { FormError } from './forms.js';
import type { PageRoute } from './page-request.js';
import { postedForm } from './write/posted-form.js';

const FOLLOW = `mutation($input: FollowInput!) { result: follow(input: $input) { __typename ... on Error { message } } }`;
const UNFOLLOW = `mutation($id: ID!) { result: unfollow(input: { id: $id }) { __typename ... on Error { message } } }`;

/** Follow and stop following from a page's button, then back to that page. */
export function createFollowRoutes(): PageRoute {
  return async (request) => {
    const path = request.url.pathname;
    if (request.req.method !== 'POST' || (path !== '/follow' && path !== '/unfollow')) return null;
    const { form } = await postedForm(request);
    const returnTo = localPath(form.get('returnTo'));
    const [document, variables] = path === '/unfollow'
      ? [UNFOLLOW, { id: form.get('followId') ?? '' }]
      : [FOLLOW, { input: followInput(form) }];
    const { result } = await request.data<{ result: { __typename: string; message?: string } }>(request.server, document, variables);
    if (result.__typename !== 'FollowPayload' && result.__typename !== 'UnfollowPayload') throw new FormError(400, result.message ?? 'the follow was refused');
    return { redirect: returnTo };
  };
}

function followInput(form: URLSearchParams): Record<string, string> {
  // The form's field names, and the FollowInput field each one fills.
  for (const [field, input] of [['item', 'itemId'], ['council', 'councilId'], ['serviceArea', 'serviceArea']] as const) {
    const value = form.get(field);
    if (value) return { [input]: value };
  }
  throw new FormError(400, 'the form did not say what to follow');
}

/** Only an address on this site: a form cannot send the member elsewhere after following. */
function localPath(value: string | null): string {
  return value && /^\/(?![/\\])/.test(value) && value.length <= 2_000 ? value : '/inbox';
}
