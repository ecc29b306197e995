import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recountProblems, recountSolutions } from '../../server/domain/solution-graph.js';
import { createCouncil, createMember, createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createStatementCounter } from '../support/statement-counter.js';
import { ADOPT, globalId, solutionHelpers } from './solution-operations.js';

const PAGE = `query($first: Int, $last: Int, $after: String, $before: String, $filter: SolutionFilterInput, $orderBy: SolutionOrder) {
  solutions(first: $first, last: $last, after: $after, before: $before, filter: $filter, orderBy: $orderBy) {
    edges { node { id title adoptionCount } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

const RICH_PAGE = `query($first: Int, $filter: SolutionFilterInput) { solutions(first: $first, filter: $filter) { edges { node {
  id title kind phase costBand adoptionCount problemCount council { name } author { name } partners { name }
  adoptions { stage council { name } } problems { title solutionCount council { name } solutions { id } } } } } }`;

describe.each(testDatabases())('solution listings on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const counter = createStatementCounter();

  beforeAll(async () => {
    database = await engine.create({ onQuery: counter.onQuery });
    // Statement-count pages here are deliberately richer than the default cost budget allows.
    hub = await startTestApp(database, { MAX_QUERY_COST: '1000000' });
    counter.attach(hub);
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const h = solutionHelpers(() => hub, () => database);
  const published = (token: string, input: Record<string, unknown>) => h.publishedSolution(token, token, {
    title: 'Shared fostering recruitment campaign', serviceArea: 'CHILDRENS_SOCIAL_CARE', kind: 'SERVICE_PATTERN', phase: 'BETA', tags: [], ...input,
  });
  const list = async (variables: Record<string, unknown>) => {
    const res = await hub.gql(PAGE, { first: 100, ...variables });
    expect(res.errors).toBeUndefined();
    return res.data.solutions;
  };
  const titles = async (filter: Record<string, unknown>) =>
    (await list({ filter: { councilIds: [globalId('Council', people.a.council.id)], ...filter } })).edges.map((e: any) => e.node.title).sort();

  it('filters by kind, phase, service area, tag and council', async () => {
    const a = people.a.editor.token;
    await published(a, { title: 'Kind: process', kind: 'PROCESS', phase: 'LIVE', serviceArea: 'WASTE', tags: ['bins'] });
    await published(a, { title: 'Kind: software', kind: 'SOFTWARE', phase: 'ALPHA', serviceArea: 'WASTE' });
    await published(a, { title: 'Kind: guidance', kind: 'GUIDANCE', phase: 'LIVE', serviceArea: 'HOUSING', tags: ['bins', 'damp'] });
    await published(people.b.editor.token, { title: 'Another council', kind: 'PROCESS' });
    expect(await titles({ kinds: ['PROCESS'] })).toEqual(['Kind: process']);
    expect(await titles({ phases: ['LIVE'] })).toEqual(['Kind: guidance', 'Kind: process']);
    expect(await titles({ kinds: ['PROCESS', 'SOFTWARE'], phases: ['ALPHA'] })).toEqual(['Kind: software']);
    expect(await titles({ serviceAreas: ['WASTE'] })).toEqual(['Kind: process', 'Kind: software']);
    expect(await titles({ tags: ['BINS '] })).toEqual(['Kind: guidance', 'Kind: process']);
    const everyone = (await list({ filter: { kinds: ['PROCESS'] } })).edges.map((e: any) => e.node.title).sort();
    expect(everyone).toEqual(['Another council', 'Kind: process']);
  });

  it('orders by most adopted, paging forwards and backwards, and refuses MOST_SHARED', async () => {
    const council = await createCouncil(database.db);
    const editor = await createMember(database.db, council.id, 'editor');
    const adopters = await Promise.all([0, 1, 2].map(async () => createMember(database.db, (await createCouncil(database.db)).id, 'member')));
    for (const [i, adoptedBy] of [1, 3, 0, 2, 1].entries()) {
      const s = await published(editor.token, { title: `Adopted by ${adoptedBy} (#${i})` });
      for (const adopter of adopters.slice(0, adoptedBy)) await h.ok(ADOPT, { solutionId: s.id, stage: 'ADOPTED' }, adopter.token);
    }
    const filter = { councilIds: [globalId('Council', council.id)] };
    const forwards: { title: string; adoptionCount: number }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await list({ first: 2, after, filter, orderBy: 'MOST_ADOPTED' });
      forwards.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forwards.map((s) => s.adoptionCount)).toEqual([3, 2, 1, 1, 0]);
    const last = await list({ first: undefined, last: 2, before: after, filter, orderBy: 'MOST_ADOPTED' });
    expect(last.edges.map((e: any) => e.node.adoptionCount)).toEqual([2, 1]);
    const shared = await hub.gql(PAGE, { first: 10, orderBy: 'MOST_SHARED' });
    // SolutionOrder has no MOST_SHARED: the variable is refused before anything runs.
    expect(shared.errors?.[0]?.message).toMatch(/SolutionOrder/);
    const badCursor = await hub.gql(PAGE, { first: 10, after: 'garbage', orderBy: 'MOST_ADOPTED' });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('serves a page of 100 solutions with their council, author, partners, adoptions and problems in a fixed number of statements', async () => {
    // Rows go in by bulk insert: only the read is under test, and a hundred round trips of
    // set-up would dwarf it.
    const { db } = database;
    const owners = await Promise.all([0, 1, 2, 3].map(async () => createMember(db, (await createCouncil(db)).id, 'editor')));
    const adopters = await Promise.all([0, 1, 2, 3].map(async () => createMember(db, (await createCouncil(db)).id, 'member')));
    const problem = await db.insertInto('problems').values({
      council_id: owners[0]!.councilId, author_id: owners[0]!.id, title: 'Foster carer shortage', summary: 'Too few carers.', body: '',
      service_area: 'childrens_social_care', tags: [], visibility: 'published', published_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    const rows = await db.insertInto('solutions').values(Array.from({ length: 100 }, (_, i) => ({
      council_id: owners[i % 4]!.councilId, author_id: owners[i % 4]!.id, title: `Solution ${i}`, summary: 'Reusable.', body: '',
      service_area: 'childrens_social_care', tags: ['statement count'], kind: 'software', phase: 'live', visibility: 'published' as const, published_at: new Date(),
    }))).returning('id').execute();
    await db.insertInto('solution_partners').values(rows.map((r, i) => ({ solution_id: r.id, council_id: owners[(i + 1) % 4]!.councilId }))).execute();
    await db.insertInto('adoptions').values(rows.map((r, i) => ({
      solution_id: r.id, council_id: adopters[i % 4]!.councilId, member_id: adopters[i % 4]!.id, stage: i % 2 ? 'adopted' as const : 'piloting' as const, note: 'Going well',
    }))).execute();
    await db.insertInto('solution_problems').values(rows.map((r, i) => ({ solution_id: r.id, problem_id: problem.id, linked_by_council_id: owners[i % 4]!.councilId }))).execute();
    await db.transaction().execute(async (trx) => {
      await recountSolutions(trx, rows.map((r) => r.id));
      await recountProblems(trx, [problem.id]);
    });
    const counted = async (first: number) => {
      const { body: res, statements } = await counter.request(hub, RICH_PAGE, { first, filter: { tags: ['statement count'] } });
      const count = statements.length;
      expect(res.errors).toBeUndefined();
      expect(res.data.solutions.edges).toHaveLength(first);
      const node = res.data.solutions.edges[0].node;
      expect(node.partners).toHaveLength(1);
      expect(node.adoptions).toHaveLength(1);
      expect(node.problems[0]).toMatchObject({ title: 'Foster carer shortage', solutionCount: 100 });
      return count;
    };
    const [ten, hundred] = [await counted(10), await counted(100)];
    console.log(`${engine.engine}: a page of 10 solutions took ${ten} SQL statements; a page of 100 took ${hundred}`);
    expect(hundred).toBe(ten);
    expect(hundred).toBeLessThanOrEqual(8);
  });
});
