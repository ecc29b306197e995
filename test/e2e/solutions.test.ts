import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import {
  ARCHIVE, CREATE, globalId, payloadOf, PUBLISH, rawId, solutionHelpers, UPDATE, validSolution,
} from './solution-operations.js';

describe.each(testDatabases())('solutions over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const h = solutionHelpers(() => hub, () => database);

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const solutionCount = async () => Number((await database.db.selectFrom('solutions').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const partnerRows = async () => Number((await database.db.selectFrom('solution_partners').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates a draft with its partners, and its event in the same transaction', async () => {
    const partner = globalId('Council', people.b.council.id);
    const solution = await h.createSolution(people.a.member.token, { partnerIds: [partner, partner] });
    expect(solution).toMatchObject({
      visibility: 'DRAFT', status: 'ACTIVE', version: 1, kind: 'SOFTWARE', phase: 'LIVE', licence: 'MIT',
      costBand: 'UNDER_10K', url: validSolution.url, tags: ['housing repairs', 'forms'], adoptionCount: 0, problemCount: 0,
    });
    expect(solution.council.slug).toBe(people.a.council.slug);
    expect(solution.partners.map((c: any) => c.slug)).toEqual([people.b.council.slug]);
    const [event, ...rest] = await h.eventsOf(solution.id);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'solution.created', visibility: 'draft', council_id: people.a.council.id });
    expect(event!.payload).toMatchObject({ v: 1, kind: 'software', phase: 'live', partnerCouncilIds: [people.b.council.id] });
    expect(event!.xmin).toBe(await h.xminOf('solutions', solution.id));
  });

  it('rejects bad input with every failing field and writes nothing', async () => {
    const [solutions, partners, events] = [await solutionCount(), await partnerRows(), await h.eventCount()];
    const res = await hub.gql(CREATE, { input: {
      ...validSolution, title: ' ', url: 'javascript:alert(1)', licence: 'MIT\nor not', tags: ['ok', '<b>'],
    } }, people.a.member.token);
    expect(payloadOf(res).__typename).toBe('ValidationError');
    expect(payloadOf(res).fields.map((f: any) => f.field).sort()).toEqual(['licence', 'tags.1', 'title', 'url']);
    for (const input of [
      { ...validSolution, url: 'ftp://example.org/x' },
      { ...validSolution, title: 't'.repeat(1_000_000) },
      { ...validSolution, partnerIds: [globalId('Council', '00000000-0000-4000-8000-000000000000')] },
      { ...validSolution, partnerIds: [globalId('Council', people.b.council.id), globalId('Council', people.a.council.id)] },
    ]) {
      const failed = payloadOf(await hub.gql(CREATE, { input }, people.a.member.token));
      expect(failed.__typename, JSON.stringify(input).slice(0, 200)).toBe('ValidationError');
    }
    const own = payloadOf(await hub.gql(CREATE, { input: { ...validSolution, partnerIds: [globalId('Council', people.b.council.id), globalId('Council', people.a.council.id)] } }, people.a.member.token));
    expect(own.fields).toEqual([{ field: 'partnerIds.1', message: 'is the council that owns the solution' }]);
    expect([await solutionCount(), await partnerRows(), await h.eventCount()]).toEqual([solutions, partners, events]);
  });

  it('rejects unknown enum values and wrong types before running anything', async () => {
    const events = await h.eventCount();
    const res = await hub.gql(CREATE, { input: { ...validSolution, kind: 'MAGIC', costBand: 'PRICELESS', partnerIds: ['nonsense'] } }, people.a.member.token);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    const wrongId = await hub.gql(CREATE, { input: { ...validSolution, partnerIds: [globalId('Problem', people.a.council.id)] } }, people.a.member.token);
    expect(wrongId.errors).toBeUndefined();
    expect(wrongId.data.createSolution.__typename).toBe('ValidationError');
    expect(await h.eventCount()).toBe(events);
  });

  it('needs a token for every lifecycle mutation', async () => {
    const solution = await h.createSolution(people.a.member.token);
    const events = await h.eventCount();
    expect(payloadOf(await hub.gql(CREATE, { input: validSolution })).__typename).toBe('UnauthenticatedError');
    expect(payloadOf(await hub.gql(UPDATE, { input: { id: solution.id, version: 1, title: 'x' } })).__typename).toBe('UnauthenticatedError');
    expect(payloadOf(await hub.gql(PUBLISH, { input: { id: solution.id } })).__typename).toBe('UnauthenticatedError');
    expect(payloadOf(await hub.gql(ARCHIVE, { input: { id: solution.id } })).__typename).toBe('UnauthenticatedError');
    expect(await h.eventCount()).toBe(events);
  });

  it('lets editors update with the current version, replacing partners and clearing fields', async () => {
    const solution = await h.createSolution(people.a.member.token, { partnerIds: [globalId('Council', people.b.council.id)] });
    const updated = (await h.ok(UPDATE, {
      id: solution.id, version: 1, phase: 'RETIRED', url: null, costBand: null, licence: '', partnerIds: [],
    }, people.a.editor.token)).solution;
    expect(updated).toMatchObject({ version: 2, phase: 'RETIRED', url: null, costBand: null, licence: null, partners: [] });
    const stale = payloadOf(await hub.gql(UPDATE, { input: { id: solution.id, version: 1, title: 'Older edit' } }, people.a.editor.token));
    expect(stale).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', currentVersion: 2 });
    const empty = payloadOf(await hub.gql(UPDATE, { input: { id: solution.id, version: 2 } }, people.a.editor.token));
    expect(empty.__typename).toBe('ValidationError');
    const events = await h.eventsOf(solution.id);
    expect(events.map((e) => e.type)).toEqual(['solution.created', 'solution.updated']);
    expect(events[1]!.payload).toMatchObject({ phase: 'retired', changed: expect.arrayContaining(['phase', 'url', 'partners']) });
    expect(events[1]!.xmin).toBe(await h.xminOf('solutions', solution.id));
  });

  it('forbids plain members and other councils from changing a solution, and hides drafts from them', async () => {
    const solution = await h.createSolution(people.a.member.token);
    const input = { id: solution.id, version: 1, title: 'Hijacked' };
    for (const [query, vars] of [[UPDATE, input], [PUBLISH, { id: solution.id }], [ARCHIVE, { id: solution.id }]] as const) {
      expect(payloadOf(await hub.gql(query, { input: vars }, people.a.member.token)).__typename).toBe('ForbiddenError');
      expect(payloadOf(await hub.gql(query, { input: vars }, people.b.admin.token)).__typename).toBe('NotFoundError');
    }
    await h.ok(PUBLISH, { id: solution.id, version: 1 }, people.a.editor.token);
    for (const [query, vars] of [[UPDATE, { ...input, version: 2 }], [ARCHIVE, { id: solution.id }]] as const) {
      expect(payloadOf(await hub.gql(query, { input: vars }, people.b.admin.token)).__typename).toBe('ForbiddenError');
    }
    const row = await database.db.selectFrom('solutions').select(['title', 'status']).where('id', '=', rawId(solution.id)).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: validSolution.title, status: 'active' });
  });

  it('publishes and archives once each, with stale versions refused', async () => {
    const solution = await h.createSolution(people.a.member.token);
    const published = (await h.ok(PUBLISH, { id: solution.id, version: 1 }, people.a.editor.token)).solution;
    expect(published).toMatchObject({ visibility: 'PUBLISHED', version: 2 });
    expect(payloadOf(await hub.gql(PUBLISH, { input: { id: solution.id } }, people.a.editor.token)).__typename).toBe('ConflictError');
    expect(payloadOf(await hub.gql(ARCHIVE, { input: { id: solution.id, version: 1 } }, people.a.editor.token)))
      .toMatchObject({ __typename: 'ConflictError', currentVersion: 2 });
    expect((await h.ok(ARCHIVE, { id: solution.id, version: 2 }, people.a.admin.token)).solution.status).toBe('ARCHIVED');
    expect(payloadOf(await hub.gql(ARCHIVE, { input: { id: solution.id } }, people.a.editor.token)).__typename).toBe('ConflictError');
    const events = await h.eventsOf(solution.id);
    expect(events.map((e) => e.type)).toEqual(['solution.created', 'solution.published', 'solution.archived']);
    expect(events[1]).toMatchObject({ visibility: 'published' });
    const list = async (statuses?: string[]) => (await hub.gql(`query($s: [SolutionStatus!]) { solutions(first: 100, filter: { statuses: $s }) { edges { node { id } } } }`, { s: statuses })).data.solutions.edges.map((e: any) => e.node.id);
    expect(await list()).not.toContain(solution.id);
    expect(await list(['ARCHIVED'])).toContain(solution.id);
  });

  it('keeps drafts within the owning council, in lists and by node id', async () => {
    const solution = await h.createSolution(people.a.member.token);
    const node = `query($id: ID!) { node(id: $id) { id ... on Solution { title } } nodes(ids: [$id]) { id } }`;
    const seen = await hub.gql(node, { id: solution.id }, people.a.member.token);
    expect(seen.data.node?.title).toBe(validSolution.title);
    for (const token of [people.b.admin.token, undefined]) {
      const hidden = await hub.gql(node, { id: solution.id }, token);
      expect(hidden.data).toEqual({ node: null, nodes: [null] });
    }
    const ids = async (token?: string, includeDrafts = true) => (await hub.gql(`query($f: SolutionFilterInput) { solutions(first: 100, filter: $f) { edges { node { id } } } }`,
      { f: { includeDrafts } }, token)).data.solutions.edges.map((e: any) => e.node.id);
    expect(await ids(people.a.member.token)).toContain(solution.id);
    expect(await ids(people.a.member.token, false)).not.toContain(solution.id);
    expect(await ids(people.b.admin.token)).not.toContain(solution.id);
    expect(await ids()).not.toContain(solution.id);
  });
});
