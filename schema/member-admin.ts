import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { canAdminister, isMemberOf } from '../server/auth/viewer.js';
import { LastAdminError } from '../server/kernel/errors.js';
import type { Member } from '../server/domain/members.js';
import { builder } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { RoleEnum } from './member.js';
import { CouncilRef, MemberRef } from './refs.js';

builder.objectFields(MemberRef, (t) => ({
  email: t.string({
    nullable: true,
    description: 'Shown to members of the same council only; null for everyone else',
    resolve: (member, _, ctx) => isMemberOf(ctx.viewer, member.councilId) ? member.email : null,
  }),
  removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true, description: 'When the member left; their tokens stopped working then' }),
}));

builder.objectFields(CouncilRef, (t) => ({
  members: t.connection({
    type: MemberRef,
    nullable: true,
    description: 'The council\'s members by name, for its own members and platform admins; null for anyone else',
    args: { includeRemoved: t.arg.boolean({ defaultValue: false }) },
    resolve: async (council, args, ctx) => {
      let hidden = false;
      // A council has tens of members, not thousands: offset paging by name is enough.
      const connection = await resolveOffsetConnection({ args }, async ({ offset, limit }) => {
        const page = await ctx.services.memberAdmin.list(ctx.viewer, council.id, args, offset, limit);
        hidden = page === null;
        return page ?? [];
      });
      return hidden ? null : connection;
    },
  }),
  viewerCanAdminister: t.boolean({
    description: 'Whether you may manage this council\'s members and tokens',
    resolve: (council, _, ctx) => canAdminister(ctx.viewer, council.id),
  }),
}));

const AddMemberInput = builder.inputType('AddMemberInput', {
  fields: (t) => ({
    councilId: t.globalID({ for: [CouncilRef], description: 'Default: your council' }),
    name: t.string({ required: true }),
    email: t.string({ required: true, description: 'Unique across the hub; shown only within the council' }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

const UpdateMemberRoleInput = builder.inputType('UpdateMemberRoleInput', {
  fields: (t) => ({
    id: t.globalID({ for: [MemberRef], required: true }),
    role: t.field({ type: RoleEnum, required: true }),
  }),
});

const RemoveMemberInput = builder.inputType('RemoveMemberInput', {
  fields: (t) => ({ id: t.globalID({ for: [MemberRef], required: true }) }),
});

const memberPayload = { types: [...MUTATION_ERRORS, LastAdminError], dataField: { name: 'member' } };

builder.mutationFields((t) => ({
  addMember: t.field({
    type: MemberRef,
    description: 'Adds a member to a council you administer; a removed member with the same email is taken back',
    errors: memberPayload,
    args: { input: t.arg({ type: AddMemberInput, required: true }) },
    resolve: (_, { input }, ctx): Promise<Member> =>
      ctx.services.memberAdmin.add(ctx.viewer, { ...input, councilId: input.councilId?.id }),
  }),
  updateMemberRole: t.field({
    type: MemberRef,
    description: 'Changes a member\'s role; the council\'s last admin cannot be demoted',
    errors: memberPayload,
    args: { input: t.arg({ type: UpdateMemberRoleInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.memberAdmin.changeRole(ctx.viewer, { memberId: input.id.id, role: input.role }),
  }),
  removeMember: t.field({
    type: MemberRef,
    description: 'Removes a member: their tokens stop working, their content stays; the last admin cannot be removed',
    errors: memberPayload,
    args: { input: t.arg({ type: RemoveMemberInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.memberAdmin.remove(ctx.viewer, input.id.id),
  }),
}));
