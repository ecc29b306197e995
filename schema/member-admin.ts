import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { canAdminister, isMemberOf } from '../server/auth/viewer.js';
import { LastAdminError } from '../server/kernel/errors.js';
import type { Member } from '../server/domain/members.js';
import { ADMIN_LIMITS } from '../server/domain/admin-input.js';
import { LIMITS } from '../server/domain/input-checker.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
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
    args: { includeRemoved: t.arg.boolean({ defaultValue: false, description: 'Also list members who were removed. Default: false' }) },
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
  description: 'A new member of a council you administer',
  fields: (t) => ({
    councilId: t.globalID({ for: [CouncilRef], description: 'Default: your council' }),
    name: t.string({ required: true, description: `Their name: one line, at most ${LIMITS.name} characters` }),
    email: t.string({ required: true, description: `Their work address, at most ${ADMIN_LIMITS.email} characters; unique within the council and shown only within it` }),
    role: t.field({ type: RoleEnum, required: true, description: 'What they may do for the council' }),
  }),
});

const UpdateMemberRoleInput = builder.inputType('UpdateMemberRoleInput', {
  description: 'A member and their new role',
  fields: (t) => ({
    id: t.globalID({ for: [MemberRef], required: true, description: 'A member of a council you administer' }),
    role: t.field({ type: RoleEnum, required: true, description: 'Their new role' }),
  }),
});

const RemoveMemberInput = builder.inputType('RemoveMemberInput', {
  description: 'The member to remove',
  fields: (t) => ({ id: t.globalID({ for: [MemberRef], required: true, description: 'A member of a council you administer' }) }),
});

const memberPayload = { types: [...MUTATION_ERRORS, LastAdminError], dataField: { name: 'member', description: 'The member as they are now' } };

builder.mutationFields((t) => ({
  addMember: t.field({
    type: MemberRef,
    description: 'Adds a member to a council you administer; a removed member with the same email is taken back',
    errors: memberPayload,
    args: { input: t.arg({ type: AddMemberInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx): Promise<Member> =>
      ctx.services.memberAdmin.add(ctx.viewer, { ...input, councilId: input.councilId?.id }),
  }),
  updateMemberRole: t.field({
    type: MemberRef,
    description: 'Changes a member\'s role; the council\'s last admin cannot be demoted',
    errors: memberPayload,
    args: { input: t.arg({ type: UpdateMemberRoleInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.memberAdmin.changeRole(ctx.viewer, { memberId: input.id.id, role: input.role }),
  }),
  removeMember: t.field({
    type: MemberRef,
    description: 'Removes a member: their tokens stop working, their content stays; the last admin cannot be removed',
    errors: memberPayload,
    args: { input: t.arg({ type: RemoveMemberInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.memberAdmin.remove(ctx.viewer, input.id.id),
  }),
}));
