import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/auth/tokens.js';
import { createMember, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const TOKEN_FIELDS = `id label prefix createdAt lastUsedAt revokedAt member { name }`;
const ERROR_FIELDS = `__typename ... on Error { code message } ... on ValidationError { fields { field message } }`;
const CREATE = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  ... on CreateApiTokenPayload { token apiToken { ${TOKEN_FIELDS} } } ${ERROR_FIELDS} } }`;
const REVOKE = `mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) {
  ... on RevokeApiTokenPayload { apiToken { ${TOKEN_FIELDS} } } ${ERROR_FIELDS} } }`;
const WHO = `{ viewer { member { name } } }`;

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

describe.each(testDatabases())('API tokens over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const count = async (table: 'api_tokens' | 'outbox_events') =>
    Number((await database.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('issues a token once: the secret works, only its hash is stored, the event carries no secret', async () => {
    const res = await hub.gql(CREATE, { input: { label: 'case management sync' } }, people.a.member.token);
    const { token, apiToken } = res.data.createApiToken;
    expect(token).toMatch(/^cc_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    expect(apiToken).toMatchObject({ label: 'case management sync', lastUsedAt: null, revokedAt: null });
    const who = await hub.gql(WHO, {}, token);
    expect(who.data.viewer.member.name).toBe(res.data.createApiToken.apiToken.member.name);
    const row = await database.db.selectFrom('api_tokens').selectAll().where('prefix', '=', apiToken.prefix).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const event = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', row.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'api_token.created', subject_type: 'api_token', visibility: 'draft', council_id: people.a.council.id });
    expect(JSON.stringify(event.payload)).not.toContain(token.slice(10));
    expect(JSON.stringify(event.payload)).not.toContain(row.token_hash);
    // The secret is nowhere to be read again: not in the viewer's list, not by node.
    const listed = await hub.gql(`{ viewer { tokens { id prefix lastUsedAt } } }`, {}, token);
    expect(JSON.stringify(listed.data)).not.toContain(token);
    expect(listed.data.viewer.tokens.find((t: any) => t.id === apiToken.id).lastUsedAt).not.toBeNull();
  });

  it('lets admins issue tokens for members of their council, and nobody else for anyone else', async () => {
    const forMember = await hub.gql(CREATE, { input: { label: 'issued by admin', memberId: gid('Member', people.a.member.id) } }, people.a.admin.token);
    expect(forMember.data.createApiToken.apiToken.member.name).toBeTruthy();
    expect((await hub.gql(WHO, {}, forMember.data.createApiToken.token)).data.viewer.member).not.toBeNull();
    const platform = await createMember(database.db, people.a.council.id, 'member', true);
    const [tokens, events] = [await count('api_tokens'), await count('outbox_events')];
    const target = { label: 'impersonation', memberId: gid('Member', people.a.member.id) };
    for (const [who, token] of [['other council admin', people.b.admin.token], ['editor', people.a.editor.token]] as const) {
      expect((await hub.gql(CREATE, { input: target }, token)).data.createApiToken.__typename, who).toBe('ForbiddenError');
    }
    const forEditor = { ...target, memberId: gid('Member', people.a.editor.id) };
    expect((await hub.gql(CREATE, { input: forEditor }, people.a.member.token)).data.createApiToken.__typename, 'plain member').toBe('ForbiddenError');
    expect((await hub.gql(CREATE, { input: { label: 'anonymous' } })).data.createApiToken.__typename).toBe('UnauthenticatedError');
    // A council admin must not mint a token carrying a platform admin's powers.
    expect((await hub.gql(CREATE, { input: { ...target, memberId: gid('Member', platform.id) } }, people.a.admin.token)).data.createApiToken.__typename).toBe('ForbiddenError');
    expect([await count('api_tokens'), await count('outbox_events')]).toEqual([tokens, events]);
  });

  it('rejects bad labels, unknown and removed members, and writes nothing', async () => {
    const removed = await createMember(database.db, people.a.council.id, 'member');
    await database.db.updateTable('members').set({ removed_at: new Date() }).where('id', '=', removed.id).execute();
    const [tokens, events] = [await count('api_tokens'), await count('outbox_events')];
    const blank = await hub.gql(CREATE, { input: { label: '   ' } }, people.a.member.token);
    expect(blank.data.createApiToken.fields).toEqual([expect.objectContaining({ field: 'label' })]);
    const huge = await hub.gql(CREATE, { input: { label: 'x'.repeat(1_000_000) } }, people.a.member.token);
    expect(huge.data.createApiToken.__typename).toBe('ValidationError');
    const unknown = await hub.gql(CREATE, { input: { label: 'x', memberId: gid('Member', '00000000-0000-4000-8000-000000000000') } }, people.a.admin.token);
    expect(unknown.data.createApiToken.__typename).toBe('NotFoundError');
    const malformed = await hub.gql(CREATE, { input: { label: 'x', memberId: 'nonsense' } }, people.a.admin.token);
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data.createApiToken.__typename).toBe('ValidationError');
    const forRemoved = await hub.gql(CREATE, { input: { label: 'x', memberId: gid('Member', removed.id) } }, people.a.admin.token);
    expect(forRemoved.data.createApiToken.__typename).toBe('ConflictError');
    expect([await count('api_tokens'), await count('outbox_events')]).toEqual([tokens, events]);
  });

  it('revokes a token at once; a revoked token gets UNAUTHENTICATED; revoking again changes nothing', async () => {
    const created = (await hub.gql(CREATE, { input: { label: 'to revoke' } }, people.a.editor.token)).data.createApiToken;
    expect((await hub.gql(WHO, {}, created.token)).status).toBe(200);
    const res = await hub.gql(REVOKE, { input: { id: created.apiToken.id } }, created.token);
    expect(res.data.revokeApiToken.apiToken.revokedAt).not.toBeNull();
    const after = await hub.gql(WHO, {}, created.token);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const events = await count('outbox_events');
    const again = await hub.gql(REVOKE, { input: { id: created.apiToken.id } }, people.a.admin.token);
    expect(again.data.revokeApiToken.apiToken.revokedAt).toBe(res.data.revokeApiToken.apiToken.revokedAt);
    expect(await count('outbox_events')).toBe(events);
  });

  it('lets admins revoke their members\' tokens and forbids everyone else', async () => {
    const victim = await createMember(database.db, people.a.council.id, 'member');
    const tokenId = gid('ApiToken', victim.viewer.tokenId);
    for (const [who, token] of [['other council admin', people.b.admin.token], ['plain member', people.a.member.token], ['editor', people.a.editor.token]] as const) {
      expect((await hub.gql(REVOKE, { input: { id: tokenId } }, token)).data.revokeApiToken.__typename, who).toBe('ForbiddenError');
    }
    expect((await hub.gql(REVOKE, { input: { id: tokenId } })).data.revokeApiToken.__typename).toBe('UnauthenticatedError');
    expect((await hub.gql(WHO, {}, victim.token)).status).toBe(200);
    const unknown = await hub.gql(REVOKE, { input: { id: gid('ApiToken', '00000000-0000-4000-8000-000000000000') } }, people.a.admin.token);
    expect(unknown.data.revokeApiToken.__typename).toBe('NotFoundError');
    const byAdmin = await hub.gql(REVOKE, { input: { id: tokenId } }, people.a.admin.token);
    expect(byAdmin.data.revokeApiToken.apiToken.revokedAt).not.toBeNull();
    expect((await hub.gql(WHO, {}, victim.token)).status).toBe(401);
  });

  it('lists tokens to their member and their council\'s admins only, never with the hash', async () => {
    const holder = await createMember(database.db, people.b.council.id, 'member');
    const own = await hub.gql(`{ viewer { tokens { id prefix label createdAt lastUsedAt revokedAt } } }`, {}, holder.token);
    expect(own.data.viewer.tokens.map((t: any) => t.id)).toEqual([gid('ApiToken', holder.viewer.tokenId)]);
    expect((await hub.gql(`{ viewer { tokens { id } } }`)).data.viewer.tokens).toBeNull();
    const hashField = await hub.gql(`{ viewer { tokens { tokenHash } } }`, {}, holder.token);
    expect(hashField.status).toBe(400);
    const councilTokens = `query($slug: String!) { council(slug: $slug) { apiTokens(includeRevoked: true) { id member { name } } } }`;
    const asAdmin = await hub.gql(councilTokens, { slug: people.b.council.slug }, people.b.admin.token);
    expect(asAdmin.data.council.apiTokens.map((t: any) => t.id)).toContain(gid('ApiToken', holder.viewer.tokenId));
    for (const token of [people.b.member.token, people.b.editor.token, people.a.admin.token, undefined]) {
      expect((await hub.gql(councilTokens, { slug: people.b.council.slug }, token)).data.council.apiTokens).toBeNull();
    }
    const node = `query($id: ID!) { node(id: $id) { ... on ApiToken { prefix } } }`;
    const id = gid('ApiToken', holder.viewer.tokenId);
    expect((await hub.gql(node, { id }, holder.token)).data.node).not.toBeNull();
    expect((await hub.gql(node, { id }, people.b.admin.token)).data.node).not.toBeNull();
    expect((await hub.gql(node, { id }, people.a.admin.token)).data.node).toBeNull();
    expect((await hub.gql(node, { id })).data.node).toBeNull();
  });
});
