import { isMember } from '../server/auth/viewer.js';
import { builder } from './builder.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef, MemberRef } from './refs.js';

export interface ViewerShape { memberId: string | null; councilId: string | null }

export const ViewerRef = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'Who the API token belongs to; every field is null without a token',
  fields: (t) => ({
    member: t.field({ type: MemberRef, nullable: true, description: 'The member the token was issued to', resolve: (v, _, ctx) => v.memberId ? ctx.loaders.member.load(v.memberId) : null }),
    council: t.field({ type: CouncilRef, nullable: true, description: "That member's council", resolve: (v, _, ctx) => v.councilId ? ctx.loaders.council.load(v.councilId).then(must) : null }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    description: 'Who is asking: the member and council of the API token sent, if any',
    resolve: (_, __, ctx) => isMember(ctx.viewer)
      ? { memberId: ctx.viewer.memberId, councilId: ctx.viewer.councilId }
      : { memberId: null, councilId: null },
  }),
);
