import { builder } from './builder.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef, MemberRef } from './refs.js';

export const RoleEnum = builder.enumType('Role', {
  description: "What a member may do for their council; each role may do everything the one before it may",
  values: {
    MEMBER: { value: 'member', description: 'Creates content for their council' },
    EDITOR: { value: 'editor', description: 'Also edits, publishes and archives their council\'s content' },
    ADMIN: { value: 'admin', description: 'Also manages members and API tokens' },
  } as const,
});

builder.node(MemberRef, {
  id: { resolve: (member) => member.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'email' in value && 'role' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.member.load(id)),
  description: 'A member of council staff',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Their name as their council gave it' }),
    role: t.field({ type: RoleEnum, description: 'What they may do for their council', resolve: (m) => m.role }),
    council: t.field({ type: CouncilRef, description: 'The council they work for', resolve: (m, _, ctx) => ctx.loaders.council.load(m.councilId).then(must) }),
  }),
});
