import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_CAPS } from '../../server/domain/list-caps.js';
import { globalId, insertContent } from '../support/content-rows.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil, type People } from '../support/factories.js';
import { closeHub, openHub, startTestApp, type TestApp } from '../support/test-app.js';

// The review's reproductions (issue 12, finding 1), at CI size: a link graph every problem of
// which is linked to every solution, and a council with more adoptions than a list may hold.
const GRAPH = 8;
const BEYOND = 60;

const LINK_GRAPH = `query($id: ID!) { node(id: $id) { ... on Problem { solutions { problems { solutions { problems { solutions { id } } } } } } } }`;
const ADOPTION_CHAIN = `query($id: ID!) { node(id: $id) { ... on Council {
  adoptions { solution { adoptions { council { adoptions { solution { adoptions { council { adoptions { stage } } } } } } } } } } } }`;

describe.each(testDatabases())('plain lists are capped in SQL and charged at their cap on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let graphProblem: string;
  let crowdedProblem: string;
  let crowdedSolution: string;

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(engine));
    const db = database.db;
    const owner = { councilId: people.a.council.id, id: people.a.editor.id };
    const problems = await Promise.all(Array.from({ length: GRAPH }, () => insertContent(db, 'problems', owner, 'published')));
    const solutions = await Promise.all(Array.from({ length: BEYOND }, () => insertContent(db, 'solutions', owner, 'published')));
    const graph = problems.flatMap((problem_id) => solutions.slice(0, GRAPH).map((solution_id) => ({ problem_id, solution_id, linked_by_council_id: owner.councilId })));
    [graphProblem] = problems as [string];
    // One more problem linked to every solution: more links than Problem.solutions returns.
    crowdedProblem = await insertContent(db, 'problems', owner, 'published');
    const crowd = solutions.map((solution_id) => ({ problem_id: crowdedProblem, solution_id, linked_by_council_id: owner.councilId }));
    await db.insertInto('solution_problems').values([...graph, ...crowd]).execute();
    // Council a adopts every solution; BEYOND councils share one problem and adopt one solution.
    await db.insertInto('adoptions').values(solutions.map((solution_id) => ({ solution_id, council_id: owner.councilId, member_id: people.a.member.id, stage: 'adopted' as const }))).execute();
    crowdedSolution = solutions[0]!;
    const councils = await Promise.all(Array.from({ length: BEYOND }, () => createCouncil(db)));
    await db.insertInto('problem_supporters').values(councils.map((c) => ({ problem_id: crowdedProblem, council_id: c.id, member_id: people.a.member.id }))).execute();
    await db.insertInto('solution_partners').values(councils.slice(0, LIST_CAPS.partners + 5).map((c) => ({ solution_id: crowdedSolution, council_id: c.id }))).execute();
  });
  afterAll(async () => {
    await budgeted?.close();
    await closeHub(hub, database);
  });
  let budgeted: TestApp | undefined;

  it('refuses the nested link-graph query with LIMIT_EXCEEDED before it runs', async () => {
    const response = await hub.gql(LINK_GRAPH, { id: globalId('Problem', graphProblem) });
    expect(response.data?.node ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxCost' });
  });

  it('refuses the adoption chain with LIMIT_EXCEEDED, even for a member of the council', async () => {
    const response = await hub.gql(ADOPTION_CHAIN, { id: globalId('Council', people.a.council.id) }, people.a.member.token);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxCost' });
  });

  it('answers the shallower graph query it can afford, whole', async () => {
    const response = await hub.gql(`query($id: ID!) { node(id: $id) { ... on Problem { solutions { problems { id } } } } }`, { id: globalId('Problem', graphProblem) });
    expect(response.errors).toBeUndefined();
    const solutions = response.data.node.solutions as { problems: unknown[] }[];
    expect(solutions).toHaveLength(GRAPH);
    // Each of the graph's solutions is linked to the GRAPH problems and the crowded one.
    for (const s of solutions) expect(s.problems).toHaveLength(GRAPH + 1);
  });

  it('returns at most the cap of every list that has grown past it', async () => {
    const problem = await hub.gql(`query($id: ID!) { node(id: $id) { ... on Problem { solutions { id } supporters { council { id } } } } }`,
      { id: globalId('Problem', crowdedProblem) });
    expect(problem.errors).toBeUndefined();
    expect(new Set(problem.data.node.solutions.map((s: { id: string }) => s.id)).size).toBe(LIST_CAPS.links);
    expect(problem.data.node.supporters).toHaveLength(LIST_CAPS.supports);

    const council = await hub.gql(`query($id: ID!) { node(id: $id) { ... on Council { adoptions { stage } } } }`, { id: globalId('Council', people.a.council.id) });
    expect(council.data.node.adoptions).toHaveLength(LIST_CAPS.adoptions);

    const solution = await hub.gql(`query($id: ID!) { node(id: $id) { ... on Solution { adoptions { stage } partners { id } problems { id } } } }`,
      { id: globalId('Solution', crowdedSolution) });
    expect(solution.errors).toBeUndefined();
    expect(solution.data.node.partners).toHaveLength(LIST_CAPS.partners);
    expect(solution.data.node.problems).toHaveLength(GRAPH + 1);
    expect(solution.data.node.adoptions).toHaveLength(1);
  });

  it('ends an execution that resolves more objects than its budget with LIMIT_EXCEEDED, interpreted or compiled', async () => {
    budgeted = await startTestApp(database, { MAX_RESOLVED_OBJECTS: '40' });
    const wide = `query($id: ID!) { node(id: $id) { ... on Problem { solutions { problems { id } } } } }`;
    // 1 problem + 8 solutions + 8 × 9 problems = 81 objects; the estimate (2,551) lets it through.
    for (let run = 0; run < 4; run++) {
      const response = await budgeted.gql(wide, { id: globalId('Problem', graphProblem) });
      expect(response.data).toBeUndefined();
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxResolvedObjects', max: 40 });
    }
    const narrow = await budgeted.gql(`query($id: ID!) { node(id: $id) { ... on Problem { solutions { id } } } }`, { id: globalId('Problem', graphProblem) });
    expect(narrow.errors).toBeUndefined();
    expect(narrow.data.node.solutions).toHaveLength(GRAPH);
  });

  it('refuses 70,000 values in a listing filter with LIMIT_EXCEEDED, before any SQL (issue 12, finding 7)', async () => {
    const serviceAreas = Array.from({ length: 70_000 }, () => 'HOUSING');
    const response = await hub.gql(`query($f: ProblemFilterInput) { problems(first: 1, filter: $f) { edges { node { id } } } }`, { f: { serviceAreas } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxListInput', max: 1_000 });
  });
});
