import type { CreatedApiToken } from '../server/domain/api-tokens.js';
import { ADMIN_LIMITS } from '../server/domain/admin-input.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { must } from '../server/kernel/must.js';
import { ApiTokenRef, CouncilRef, MemberRef } from './refs.js';
import { ViewerRef } from './viewer.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

builder.node(ApiTokenRef, {
  id: { resolve: (token) => token.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'prefix' in value && 'lastUsedAt' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.apiToken.load(id)),
  description: 'An API token, seen by its member and their council\'s admins; the secret is shown only when it is created',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'What the token is for' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell tokens apart' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was issued' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'To the minute' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it stopped working; null while it works' }),
    member: t.field({ type: MemberRef, description: 'The member it acts as', resolve: (token, _, ctx) => ctx.loaders.member.load(token.memberId).then(must) }),
  }),
});

builder.objectField(ViewerRef, 'tokens', (t) => t.field({
  type: [ApiTokenRef],
  nullable: true,
  extensions: listCap(LIST_CAPS.apiTokens),
  description: `Your own API tokens, newest first (at most ${LIST_CAPS.apiTokens}); null without a token`,
  args: { includeRevoked: t.arg.boolean({ defaultValue: false, description: 'Also list revoked tokens. Default: false' }) },
  resolve: (_, args, ctx) => ctx.services.apiTokens.listOwn(ctx.viewer, args),
}));

builder.objectField(CouncilRef, 'apiTokens', (t) => t.field({
  type: [ApiTokenRef],
  nullable: true,
  extensions: listCap(LIST_CAPS.apiTokens),
  description: `The API tokens of the council's members, newest first (at most ${LIST_CAPS.apiTokens}); null unless you administer the council`,
  args: { includeRevoked: t.arg.boolean({ defaultValue: false, description: 'Also list revoked tokens. Default: false' }) },
  resolve: (council, args, ctx) => ctx.services.apiTokens.listForCouncil(ctx.viewer, council.id, args),
}));

const CreateApiTokenPayload = builder.objectRef<CreatedApiToken>('CreateApiTokenPayload').implement({
  description: 'A new API token and, this once, its secret',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret, shown this once: send it as "Authorization: Bearer <token>"' }),
    apiToken: t.field({ type: ApiTokenRef, description: 'The token as `Viewer.tokens` lists it', resolve: (created) => created.apiToken }),
  }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  description: 'A new API token for you, or for a member of a council you administer',
  fields: (t) => ({
    memberId: t.globalID({ for: [MemberRef], description: 'Default: you. Admins may issue tokens for members of their council' }),
    label: t.string({ required: true, description: `What the token is for, e.g. "case management sync": one line, at most ${ADMIN_LIMITS.label} characters` }),
  }),
});

const RevokeApiTokenInput = builder.inputType('RevokeApiTokenInput', {
  description: 'The token to revoke',
  fields: (t) => ({ id: t.globalID({ for: [ApiTokenRef], required: true, description: 'Your own token, or one of your council\'s members\' if you are its admin' }) }),
});

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreateApiTokenPayload,
    description: 'Issues an API token; its secret is in this payload and nowhere else, ever',
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: CreateApiTokenInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.apiTokens.create(ctx.viewer, { memberId: input.memberId?.id, label: input.label }),
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    description: 'Stops a token working at once; revoking it again changes nothing',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'apiToken', description: 'The token, now revoked' } },
    args: { input: t.arg({ type: RevokeApiTokenInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.apiTokens.revoke(ctx.viewer, input.id.id),
  }),
}));
