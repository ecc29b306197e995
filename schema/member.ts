import { builder } from './builder.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef, MemberRef } from './refs.js';

export const RoleEnum = builder.enumType('Role', {
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
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
    council: t.field({ type: CouncilRef, resolve: (m, _, ctx) => ctx.loaders.council.load(m.councilId).then(must) }),
  }),
});
