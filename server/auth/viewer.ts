export type Role = 'member' | 'editor' | 'admin';

/** Who is making a request: resolved once per request from the API token. */
export type Viewer =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'member';
      readonly memberId: string;
      readonly councilId: string;
      readonly role: Role;
      readonly isPlatformAdmin: boolean;
      readonly tokenId: string;
    };

export type MemberViewer = Extract<Viewer, { kind: 'member' }>;

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });

export function isMember(viewer: Viewer): viewer is MemberViewer {
  return viewer.kind === 'member';
}

export function isMemberOf(viewer: Viewer, councilId: string): viewer is MemberViewer {
  return viewer.kind === 'member' && viewer.councilId === councilId;
}

/** Editors and admins may change their council's content; members may only create it. */
export function canEdit(viewer: Viewer, councilId: string): boolean {
  return isMemberOf(viewer, councilId) && (viewer.role === 'editor' || viewer.role === 'admin');
}

export function canAdminister(viewer: Viewer, councilId: string): boolean {
  return (isMemberOf(viewer, councilId) && viewer.role === 'admin') || (isMember(viewer) && viewer.isPlatformAdmin);
}

/** Drafts are visible to members of the owning council only. */
export function canSee(viewer: Viewer, item: { councilId: string; visibility: 'draft' | 'published' }): boolean {
  return item.visibility === 'published' || isMemberOf(viewer, item.councilId);
}
