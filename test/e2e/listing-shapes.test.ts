import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { globalId } from '../support/content-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A listing's statement is compiled once per shape and reused with each page's values
 * (listing.ts). Pages of one shape with different values, one after another, must each get
 * their own rows: another council's filter, cursor, tag, status or viewer never leaks in.
 */
const PAGE = `query($first: Int, $last: Int, $after: String, $before: String, $filter: ProblemFilterInput, $orderBy: ProblemOrder) {
  problems(first: $first, last: $last, after: $after, before: $before, filter: $filter, orderBy: $orderBy) {
    edges { node { title } } pageInfo { endCursor startCursor } } }`;

describe.each(testDatabases())('listings of one shape with different values on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database);
    people = await createTwoCouncils(database.db);
    const start = Date.now() - 100_000;
    const rows = [];
    for (let i = 0; i < 12; i++) {
      const owner = i % 2 === 0 ? people.a : people.b;
      rows.push({
        council_id: owner.council.id, author_id: owner.editor.id, title: `${i % 2 === 0 ? 'A' : 'B'}${i}`, summary: 's', body: '',
        service_area: i % 3 === 0 ? 'housing' : 'waste', tags: [`tag${i % 4}`],
        visibility: i === 10 || i === 11 ? 'draft' as const : 'published' as const,
        status: i === 8 ? 'solved' as const : 'open' as const,
        created_at: new Date(start + i * 1000), supporter_count: i % 5,
      });
    }
    await database.db.insertInto('problems').values(rows).execute();
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const titles = async (variables: Record<string, unknown>, token?: string) => {
    const res = await hub.gql(PAGE, { first: 20, ...variables }, token);
    expect(res.errors).toBeUndefined();
    return { titles: res.data.problems.edges.map((e: { node: { title: string } }) => e.node.title).join(' '), pageInfo: res.data.problems.pageInfo };
  };

  it('filters by each council in turn', async () => {
    const of = (council: { id: string }) => titles({ filter: { councilIds: [globalId('Council', council.id)] } });
    expect((await of(people.a.council)).titles).toBe('A8 A6 A4 A2 A0');
    expect((await of(people.b.council)).titles).toBe('B9 B7 B5 B3 B1');
    expect((await of(people.a.council)).titles).toBe('A8 A6 A4 A2 A0');
  });

  it('filters by each tag, service area and status in turn', async () => {
    expect((await titles({ filter: { tags: ['tag1'] } })).titles).toBe('B9 B5 B1');
    expect((await titles({ filter: { tags: ['tag2'] } })).titles).toBe('A6 A2');
    expect((await titles({ filter: { serviceAreas: ['HOUSING'] } })).titles).toBe('B9 A6 B3 A0');
    expect((await titles({ filter: { serviceAreas: ['WASTE'] } })).titles).toBe('A8 B7 B5 A4 A2 B1');
    expect((await titles({ filter: { statuses: ['SOLVED'] } })).titles).toBe('A8');
    expect((await titles({ filter: { statuses: ['OPEN'] } })).titles).toBe('B9 B7 A6 B5 A4 B3 A2 B1 A0');
  });

  it('pages forwards and backwards from each cursor', async () => {
    const first = await titles({ first: 3 });
    const second = await titles({ first: 3, after: first.pageInfo.endCursor });
    const third = await titles({ first: 3, after: second.pageInfo.endCursor });
    expect([first.titles, second.titles, third.titles]).toEqual(['B9 A8 B7', 'A6 B5 A4', 'B3 A2 B1']);
    expect((await titles({ first: undefined, last: 2, before: third.pageInfo.startCursor })).titles).toBe('B5 A4');
    expect((await titles({ first: undefined, last: 2, before: second.pageInfo.startCursor })).titles).toBe('A8 B7');
    const mostShared = await titles({ first: 2, orderBy: 'MOST_SHARED' });
    expect((await titles({ first: 2, orderBy: 'MOST_SHARED', after: mostShared.pageInfo.endCursor })).titles).not.toContain(mostShared.titles.split(' ')[0]);
  });

  it("shows each member their own council's drafts only", async () => {
    const drafts = { filter: { includeDrafts: true } };
    expect((await titles(drafts, people.a.member.token)).titles).toMatch(/^A10 B9 /);
    expect((await titles(drafts, people.b.member.token)).titles).toMatch(/^B11 B9 /);
    expect((await titles(drafts, people.a.member.token)).titles).not.toContain('B11');
  });

  it("lists only the viewer's own council's drafts with draftsOnly, and nothing without a member's token", async () => {
    const draftsOnly = { filter: { draftsOnly: true } };
    expect((await titles(draftsOnly, people.a.member.token)).titles).toBe('A10');
    expect((await titles(draftsOnly, people.b.member.token)).titles).toBe('B11');
    expect((await titles(draftsOnly, people.a.admin.token)).titles).toBe('A10');
    expect((await titles(draftsOnly)).titles).toBe('');
    // Other filters still apply on top: A10 is in waste, not housing.
    expect((await titles({ filter: { draftsOnly: true, serviceAreas: ['HOUSING'] } }, people.a.member.token)).titles).toBe('');
  });
});
