export type Role = 'member' | 'editor' | 'admin';

/** Who is making a request: resolved once per request from the API token or web session. */
export type Viewer =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'member';
      readonly memberId: string;
      readonly councilId: string;
      readonly role: Role;
      readonly isPlatformAdmin: boolean;
      /** The API token the request came with; null for a signed-in web session. */
      readonly tokenId: string | null;
    };

export type MemberViewer = Extract<Viewer, { kind: 'member' }>;

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });

/**
 * The platform operator at the command line (`npm run admin`): whoever can reach the
 * database already holds every power, so the CLI acts with a platform admin's rights
 * through the same domain services. Never built from a request.
 */
export type Operator = { readonly kind: 'operator' };

export const OPERATOR: Operator = Object.freeze({ kind: 'operator' });

/** Who performs an administrative action: a request's viewer or the operator. */
export type Actor = Viewer | Operator;

export function isMember(viewer: Actor): viewer is MemberViewer {
  return viewer.kind === 'member';
}

export function isMemberOf(viewer: Actor, councilId: string): viewer is MemberViewer {
  return viewer.kind === 'member' && viewer.councilId === councilId;
}

export function isPlatformAdmin(actor: Actor): boolean {
  return actor.kind === 'operator' || (actor.kind === 'member' && actor.isPlatformAdmin);
}

/** Editors and admins may change their council's content; members may only create it. */
export function canEdit(viewer: Viewer, councilId: string): boolean {
  return isMemberOf(viewer, councilId) && (viewer.role === 'editor' || viewer.role === 'admin');
}

/** Council admins manage their own council's members and tokens; platform admins any council's. */
export function canAdminister(actor: Actor, councilId: string): boolean {
  return (isMemberOf(actor, councilId) && actor.role === 'admin') || isPlatformAdmin(actor);
}

/** An item's visibility: `hidden` is published, then hidden by a platform admin (moderation). */
export type Visibility = 'draft' | 'published' | 'hidden';

/**
 * Drafts are visible to members of the owning council only; hidden items to the owning
 * council (marked hidden) and to platform admins, who moderate them.
 */
export function canSee(viewer: Viewer, item: { councilId: string; visibility: Visibility }): boolean {
  return item.visibility === 'published' || isMemberOf(viewer, item.councilId)
    || (item.visibility === 'hidden' && isPlatformAdmin(viewer));
}

/**
 * The visibility an event about an item gets: events about a hidden item stay within its
 * council, like a draft's, so subscriptions, webhooks and notifications carry nothing of it.
 */
export function eventVisibility(visibility: Visibility): 'draft' | 'published' {
  return visibility === 'published' ? 'published' : 'draft';
}
