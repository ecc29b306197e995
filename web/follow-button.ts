import type { WebSession } from '../server/auth/sessions.js';
import { csrfField, hiddenFields } from './form-fields.js';
import { html, type SafeHtml } from './html.js';
import type { PageRequest } from './page-request.js';

export const VIEWER_FOLLOWS = `{ viewer { follows { id kind item { id } council { id } serviceArea } } }`;

export interface FollowSummary {
  readonly id: string;
  readonly kind: 'SERVICE_AREA' | 'COUNCIL' | 'ITEM' | 'SAVED_SEARCH' | 'SOLUTIONS_FOR';
  readonly item: { readonly id: string } | null;
  readonly council: { readonly id: string } | null;
  readonly serviceArea: string | null;
}

/** What a page's follow button follows: a `FollowInput` field and its value. */
export interface FollowTarget {
  readonly field: 'item' | 'council' | 'serviceArea';
  readonly value: string;
  /** Named in the button for screen readers: "Follow <name>". */
  readonly name: string;
}

/** The signed-in member's follows (at most 100, as the API gives them). */
export async function viewerFollows(request: PageRequest): Promise<FollowSummary[]> {
  if (!request.session) return [];
  const { viewer } = await request.data<{ viewer: { follows: FollowSummary[] | null } }>(request.server, VIEWER_FOLLOWS);
  return viewer.follows ?? [];
}

export function findFollow(follows: readonly FollowSummary[], target: FollowTarget): FollowSummary | undefined {
  return follows.find((f) => (target.field === 'item' && f.kind === 'ITEM' && f.item?.id === target.value)
    || (target.field === 'council' && f.kind === 'COUNCIL' && f.council?.id === target.value)
    || (target.field === 'serviceArea' && f.kind === 'SERVICE_AREA' && f.serviceArea === target.value));
}

/** One button: Follow, or Stop following when the member already does. Back to `returnTo` after. */
export function followButton(session: WebSession, follows: readonly FollowSummary[], target: FollowTarget, returnTo: string): SafeHtml {
  const existing = findFollow(follows, target);
  if (existing) {
    return html`<form method="post" action="/unfollow" class="cc-follow" novalidate>${csrfField(session)}${hiddenFields({ followId: existing.id, returnTo })}
      <p class="govuk-body">You follow this: new activity reaches <a class="govuk-link" href="/inbox">your inbox</a>.</p>
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Stop following<span class="govuk-visually-hidden"> ${target.name}</span></button></form>`;
  }
  return html`<form method="post" action="/follow" class="cc-follow" novalidate>${csrfField(session)}${hiddenFields({ [target.field]: target.value, returnTo })}
    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Follow<span class="govuk-visually-hidden"> ${target.name}</span></button></form>`;
}
