import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createTwoCouncils, type TestMember, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const COUNCIL_FIELDS = `id slug name kind region gssCode website`;
const ERROR_FIELDS = `__typename ... on Error { code message } ... on ValidationError { fields { field message } }`;
const CREATE = `mutation($input: CreateCouncilInput!) { createCouncil(input: $input) { ... on CreateCouncilPayload { council { ${COUNCIL_FIELDS} } } ${ERROR_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateCouncilInput!) { updateCouncil(input: $input) { ... on UpdateCouncilPayload { council { ${COUNCIL_FIELDS} } } ${ERROR_FIELDS} } }`;

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
// GSS codes are unique, and both engines' suites may share nothing: make each one fresh.
const gss = () => `E0${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
const somerset = () => ({
  slug: `north-somerset-${randomBytes(3).toString('hex')}`,
  name: 'North Somerset Council',
  kind: 'UNITARY',
  region: 'South West',
  gssCode: gss().toLowerCase(),
  website: 'https://www.n-somerset.gov.uk',
});

describe.each(testDatabases())('council administration over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let platform: TestMember;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database);
    people = await createTwoCouncils(database.db);
    platform = await createMember(database.db, people.a.council.id, 'member', true);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const count = async (table: 'councils' | 'outbox_events') =>
    Number((await database.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('lets a platform admin add a council, with a published event', async () => {
    const input = somerset();
    const res = await hub.gql(CREATE, { input }, platform.token);
    const council = res.data.createCouncil.council;
    expect(council).toMatchObject({ ...input, gssCode: input.gssCode.toUpperCase(), website: 'https://www.n-somerset.gov.uk/' });
    const found = await hub.gql(`query($slug: String!) { council(slug: $slug) { name } }`, { slug: input.slug });
    expect(found.data.council.name).toBe('North Somerset Council');
    const id = Buffer.from(council.id, 'base64url').toString().split(':')[1]!;
    const event = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'council.created', subject_type: 'council', visibility: 'published', council_id: id });
    expect(event.payload).toMatchObject({ slug: input.slug, kind: 'unitary', byMemberId: platform.id });
  });

  it('rejects bad slugs, GSS codes, regions and websites, and taken slugs and codes, writing nothing', async () => {
    const taken = (await hub.gql(CREATE, { input: somerset() }, platform.token)).data.createCouncil.council;
    const [councils, events] = [await count('councils'), await count('outbox_events')];
    const bad = await hub.gql(CREATE, { input: { ...somerset(), slug: 'North Somerset', gssCode: 'X12345678', region: 'Wessex', website: 'ftp://example.org', name: ' ' } }, platform.token);
    expect(bad.data.createCouncil.__typename).toBe('ValidationError');
    expect(bad.data.createCouncil.fields.map((f: { field: string }) => f.field).sort()).toEqual(['gssCode', 'name', 'region', 'slug', 'website']);
    for (const slug of ['-leading', 'trailing-', 'double--hyphen', 'x', 'a'.repeat(61), 'under_score']) {
      const res = await hub.gql(CREATE, { input: { ...somerset(), slug } }, platform.token);
      expect(res.data.createCouncil.fields?.[0]?.field, slug).toBe('slug');
    }
    const dupe = await hub.gql(CREATE, { input: { ...somerset(), slug: taken.slug, gssCode: taken.gssCode } }, platform.token);
    expect(dupe.data.createCouncil.fields.map((f: { field: string }) => f.field).sort()).toEqual(['gssCode', 'slug']);
    const badKind = await hub.gql(CREATE, { input: { ...somerset(), kind: 'PARISH' } }, platform.token);
    expect(badKind.status).toBe(400);
    expect([await count('councils'), await count('outbox_events')]).toEqual([councils, events]);
  });

  it('forbids council admins, editors, plain members and anonymous callers', async () => {
    const [councils, events] = [await count('councils'), await count('outbox_events')];
    const rename = { id: gid('Council', people.a.council.id), name: 'Renamed Without Permission' };
    for (const [who, token] of [['council admin', people.a.admin.token], ['other council admin', people.b.admin.token], ['editor', people.a.editor.token], ['member', people.a.member.token]] as const) {
      expect((await hub.gql(CREATE, { input: somerset() }, token)).data.createCouncil.__typename, who).toBe('ForbiddenError');
      expect((await hub.gql(UPDATE, { input: rename }, token)).data.updateCouncil.__typename, who).toBe('ForbiddenError');
    }
    expect((await hub.gql(CREATE, { input: somerset() })).data.createCouncil.__typename).toBe('UnauthenticatedError');
    expect((await hub.gql(UPDATE, { input: rename })).data.updateCouncil.__typename).toBe('UnauthenticatedError');
    expect([await count('councils'), await count('outbox_events')]).toEqual([councils, events]);
  });

  it('renames a council and clears its code, recording what changed; a no-op changes nothing', async () => {
    const council = (await hub.gql(CREATE, { input: somerset() }, platform.token)).data.createCouncil.council;
    const res = await hub.gql(UPDATE, { input: { id: council.id, name: 'North Somerset Unitary Council', gssCode: null, kind: 'UNITARY' } }, platform.token);
    expect(res.data.updateCouncil.council).toMatchObject({ name: 'North Somerset Unitary Council', gssCode: null, slug: council.slug });
    const id = Buffer.from(council.id, 'base64url').toString().split(':')[1]!;
    const events = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', id).orderBy('position').execute();
    expect(events.map((e) => e.type)).toEqual(['council.created', 'council.updated']);
    expect(events[1]!.payload).toMatchObject({ changed: ['name', 'gssCode'], name: 'North Somerset Unitary Council', gssCode: null });
    const before = await count('outbox_events');
    const same = await hub.gql(UPDATE, { input: { id: council.id, name: 'North Somerset Unitary Council' } }, platform.token);
    expect(same.data.updateCouncil.council.name).toBe('North Somerset Unitary Council');
    expect(await count('outbox_events')).toBe(before);
    const nothing = await hub.gql(UPDATE, { input: { id: council.id } }, platform.token);
    expect(nothing.data.updateCouncil.fields).toEqual([expect.objectContaining({ field: 'input' })]);
    const unknown = await hub.gql(UPDATE, { input: { id: gid('Council', '00000000-0000-4000-8000-000000000000'), name: 'Nowhere' } }, platform.token);
    expect(unknown.data.updateCouncil.__typename).toBe('NotFoundError');
    const takenSlug = await hub.gql(UPDATE, { input: { id: council.id, slug: people.b.council.slug } }, platform.token);
    expect(takenSlug.data.updateCouncil.fields).toEqual([{ field: 'slug', message: 'is already used by another council' }]);
  });
});
