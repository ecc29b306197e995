import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SYSTEMS_PER_COUNCIL } from '../../server/domain/systems/system-model.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil, createMember, type People, type TestMember } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const ERRORS = `__typename ... on Error { code message } ... on ValidationError { fields { field message } }`;
const SYSTEM = `id category supplier product contractEndsOn council { name }`;
const ADD = `mutation($input: AddCouncilSystemInput!) { addCouncilSystem(input: $input) { ... on AddCouncilSystemPayload { councilSystem { ${SYSTEM} } } ${ERRORS} } }`;
const UPDATE = `mutation($input: UpdateCouncilSystemInput!) { updateCouncilSystem(input: $input) { ... on UpdateCouncilSystemPayload { councilSystem { ${SYSTEM} } } ${ERRORS} } }`;
const REMOVE = `mutation($input: RemoveCouncilSystemInput!) { removeCouncilSystem(input: $input) { ... on RemoveCouncilSystemPayload { councilSystem { id } } ${ERRORS} } }`;
const COUNCIL = `query($slug: String!) { council(slug: $slug) { systems { ${SYSTEM} councilsOnSameSystem { name } } } }`;
const COUNCILS = `query($system: SystemNameInput, $category: SystemCategory, $months: Int) {
  councils(first: 100, system: $system, systemCategory: $category, contractsEndingWithinMonths: $months) { edges { node { name } } } }`;
const CREATE_PROBLEM = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const SUPPORT = `mutation($input: SupportProblemInput!) { supportProblem(input: $input) { __typename } }`;
const SHARED = `query($id: ID!) { node(id: $id) { ... on Problem { sharedSystems { supplier product category councils { council { name } contractEndsOn } } } } }`;
const SEARCH = `query($filter: SearchFilterInput) { search(query: "", filter: $filter) { totalCount edges { node { title } } } }`;

/** An ISO date `months` from today (UTC), the hub clock's day. */
function monthsAhead(months: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

describe.each(testDatabases())('systems in use on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let third: { name: string; slug: string; admin: TestMember; editor: TestMember };
  const slugOf = (who: 'a' | 'b') => people[who].council.slug;
  const names = async (variables: Record<string, unknown>) => {
    const res = await hub.gql(COUNCILS, variables);
    expect(res.errors).toBeUndefined();
    return res.data.councils.edges.map((e: { node: { name: string } }) => e.node.name).sort();
  };

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(engine, { IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '100' }));
    const council = await createCouncil(database.db, { name: 'Wakefield Council' });
    third = { ...council, admin: await createMember(database.db, council.id, 'admin'), editor: await createMember(database.db, council.id, 'editor') };
  });
  afterAll(() => closeHub(hub, database));

  const add = (admin: TestMember, input: Record<string, unknown>) => hub.gql(ADD, { input }, admin.token);

  it('lets only the council\'s own admins record systems, with typed errors and one council.updated event each', async () => {
    const before = await database.db.selectFrom('outbox_events').select('position').orderBy('position', 'desc').limit(1).executeTakeFirst();
    const added = await add(people.a.admin, { category: 'REVENUES_BENEFITS', supplier: 'Capita', product: 'Open Revenues', contractEndsOn: monthsAhead(6) });
    expect(added.data.addCouncilSystem.councilSystem).toMatchObject({ category: 'REVENUES_BENEFITS', supplier: 'Capita', product: 'Open Revenues', contractEndsOn: monthsAhead(6) });
    expect((await add(people.a.editor, { category: 'FINANCE', supplier: 'Unit4', product: 'ERP' })).data.addCouncilSystem.__typename).toBe('ForbiddenError');
    expect((await add(people.a.member, { category: 'FINANCE', supplier: 'Unit4', product: 'ERP' })).data.addCouncilSystem.__typename).toBe('ForbiddenError');
    expect((await hub.gql(ADD, { input: { category: 'FINANCE', supplier: 'Unit4', product: 'ERP' } })).data.addCouncilSystem.__typename).toBe('UnauthenticatedError');
    const events = await database.db.selectFrom('outbox_events').selectAll().where('position', '>', before?.position ?? 0).execute();
    expect(events.map((e) => [e.type, e.visibility, e.council_id, e.payload.changed])).toEqual([['council.updated', 'published', people.a.council.id, ['systems']]]);

    // Another council's admin may neither change nor remove it, nor learn that it exists.
    const id = added.data.addCouncilSystem.councilSystem.id;
    expect((await hub.gql(UPDATE, { input: { id, product: 'Hijacked' } }, people.b.admin.token)).data.updateCouncilSystem.__typename).toBe('NotFoundError');
    expect((await hub.gql(REMOVE, { input: { id } }, people.b.admin.token)).data.removeCouncilSystem.__typename).toBe('NotFoundError');
    const platform = await createMember(database.db, people.b.council.id, 'admin', true);
    expect((await hub.gql(REMOVE, { input: { id } }, platform.token)).data.removeCouncilSystem.__typename).toBe('NotFoundError');
    expect((await hub.gql(COUNCIL, { slug: slugOf('a') })).data.council.systems.map((s: { product: string }) => s.product)).toEqual(['Open Revenues']);
  });

  it('refuses bad input field by field, writing nothing', async () => {
    const res = await add(people.b.admin, { category: 'FINANCE', supplier: ' ', product: 'x'.repeat(121), contractEndsOn: '2027-02-30' });
    expect(res.data.addCouncilSystem.__typename).toBe('ValidationError');
    expect(res.data.addCouncilSystem.fields.map((f: { field: string }) => f.field).sort()).toEqual(['contractEndsOn', 'product', 'supplier']);
    const wrongKind = await hub.gql(UPDATE, { input: { id: Buffer.from(`Problem:${people.a.council.id}`).toString('base64url'), product: 'x' } }, people.b.admin.token);
    expect(wrongKind.data.updateCouncilSystem.__typename).toBe('ValidationError');
    expect((await hub.gql(COUNCIL, { slug: slugOf('b') })).data.council.systems).toEqual([]);
  });

  it('caps the systems a council records', async () => {
    const capped = await createCouncil(database.db);
    const admin = await createMember(database.db, capped.id, 'admin');
    await database.db.insertInto('council_systems').values(Array.from({ length: MAX_SYSTEMS_PER_COUNCIL }, (_, i) => ({
      council_id: capped.id, category: 'other', supplier: 'Filler', product: `P${i}`, system_key: `filler\u001fp${i}`,
    }))).execute();
    const res = await add(admin, { category: 'OTHER', supplier: 'One', product: 'Too many' });
    expect(res.data.addCouncilSystem).toMatchObject({ __typename: 'ValidationError' });
    expect((await hub.gql(COUNCIL, { slug: capped.slug })).data.council.systems).toHaveLength(MAX_SYSTEMS_PER_COUNCIL);
    await database.db.deleteFrom('council_systems').where('council_id', '=', capped.id).execute();
  });

  it('filters councils on the same system and by contracts ending within N months', async () => {
    await add(people.b.admin, { category: 'REVENUES_BENEFITS', supplier: ' capita ', product: 'OPEN  revenues', contractEndsOn: monthsAhead(30) });
    await add(third.admin, { category: 'REVENUES_BENEFITS', supplier: 'Northgate', product: 'Revenues & Benefits', contractEndsOn: monthsAhead(3) });
    const a = people.a.council.name;
    const b = people.b.council.name;
    expect(await names({ system: { supplier: 'CAPITA', product: 'open revenues' } })).toEqual([a, b].sort());
    expect(await names({ months: 12 })).toEqual([a, 'Wakefield Council'].sort());
    expect(await names({ months: 36 })).toEqual([a, b, 'Wakefield Council'].sort());
    expect(await names({ system: { supplier: 'Capita', product: 'Open Revenues' }, months: 12 })).toEqual([a]);
    expect(await names({ category: 'HOUSING_MANAGEMENT' })).toEqual([]);
    const bad = await hub.gql(COUNCILS, { months: 0 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const systems = (await hub.gql(COUNCIL, { slug: slugOf('a') })).data.council.systems;
    expect(systems[0].councilsOnSameSystem.map((c: { name: string }) => c.name)).toEqual([b]);
  });

  it('shows the councils sharing a problem that run the same system, and search filters by system', async () => {
    const created = await hub.gql(CREATE_PROBLEM, { input: { title: 'Council tax direct debits bounce after the annual bill run', summary: 'Every March.', serviceArea: 'REVENUES_BENEFITS' } }, people.a.editor.token);
    const id = created.data.createProblem.problem.id;
    expect((await hub.gql(SHARED, { id }, people.a.editor.token)).data.node.sharedSystems).toEqual([]);
    await hub.gql(PUBLISH, { id }, people.a.editor.token);
    for (const who of [people.b.editor, third.editor]) await hub.gql(SUPPORT, { input: { problemId: id } }, who.token);
    const shared = (await hub.gql(SHARED, { id })).data.node.sharedSystems;
    expect(shared).toEqual([{
      supplier: 'Capita', product: 'Open Revenues', category: 'REVENUES_BENEFITS',
      councils: [{ council: { name: people.a.council.name }, contractEndsOn: monthsAhead(6) }, { council: { name: people.b.council.name }, contractEndsOn: monthsAhead(30) }],
    }]);

    const search = async (filter: Record<string, unknown>) => {
      const res = await hub.gql(SEARCH, { filter });
      expect(res.errors).toBeUndefined();
      return res.data.search.edges.map((e: { node: { title: string } }) => e.node.title);
    };
    const { waitFor } = await import('../support/wait-for.js');
    await waitFor(async () => (await search({})).length > 0, { what: 'the problem to be indexed' });
    expect(await search({ system: { supplier: 'capita', product: 'open revenues' } })).toEqual(['Council tax direct debits bounce after the annual bill run']);
    expect(await search({ system: { supplier: 'Northgate', product: 'Revenues & Benefits' } })).toEqual([]);
    expect(await search({ contractsEndingWithinMonths: 12, councilIds: [Buffer.from(`Council:${people.b.council.id}`).toString('base64url')] })).toEqual([]);
  });

  it('a removed system leaves the council page and the filters', async () => {
    const [system] = (await hub.gql(COUNCIL, { slug: third.slug })).data.council.systems;
    expect((await hub.gql(REMOVE, { input: { id: system.id } }, third.admin.token)).data.removeCouncilSystem.councilSystem.id).toBe(system.id);
    expect(await names({ system: { supplier: 'Northgate', product: 'Revenues & Benefits' } })).toEqual([]);
    const updated = await hub.gql(UPDATE, { input: { id: system.id, product: 'Gone' } }, third.admin.token);
    expect(updated.data.updateCouncilSystem.__typename).toBe('NotFoundError');
  });
});
