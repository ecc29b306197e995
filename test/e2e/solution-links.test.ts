import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCouncil, createMember, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { globalId, LINK, payloadOf, PUBLISH, PUBLISH_PROBLEM, rawId, solutionHelpers, UNLINK } from './solution-operations.js';

const PROBLEM_SOLUTIONS = `query($id: ID!) { node(id: $id) { ... on Problem { solutionCount adoptionCount solutions { id } } } }`;
const SOLUTION_PROBLEMS = `query($id: ID!) { node(id: $id) { ... on Solution { problemCount problems { id } } } }`;

describe.each(testDatabases())('links between solutions and problems over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const h = solutionHelpers(() => hub, () => database);

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const link = (solutionId: string, problemId: string, token?: string) => hub.gql(LINK, { input: { solutionId, problemId } }, token);
  const linkRows = async () => Number((await database.db.selectFrom('solution_problems').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const problemView = async (id: string, token?: string) => (await hub.gql(PROBLEM_SOLUTIONS, { id }, token)).data.node;
  const solutionView = async (id: string, token?: string) => (await hub.gql(SOLUTION_PROBLEMS, { id }, token)).data.node;

  it('links once, from either side, with one event in the same transaction', async () => {
    const solution = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    const problem = await h.createProblem(people.b.member.token, people.b.editor.token);
    const first = payloadOf(await link(solution.id, problem.id, people.b.editor.token));
    expect(first.link).toMatchObject({ solution: { id: solution.id, problemCount: 1 }, problem: { id: problem.id, solutionCount: 1 } });
    const again = payloadOf(await link(solution.id, problem.id, people.a.admin.token));
    expect(again.link).toMatchObject({ solution: { problemCount: 1 }, problem: { solutionCount: 1 } });
    const events = (await h.eventsOf(solution.id)).filter((e) => e.type === 'solution.linked');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ visibility: 'published', council_id: people.a.council.id });
    expect(events[0]!.payload).toMatchObject({ problemId: rawId(problem.id), byCouncilId: people.b.council.id });
    expect(events[0]!.xmin).toBe(await h.xminOf('problems', problem.id));
    expect(events[0]!.xmin).toBe(await h.xminOf('solutions', solution.id));
    expect((await problemView(problem.id)).solutions).toEqual([{ id: solution.id }]);
    expect((await solutionView(solution.id)).problems).toEqual([{ id: problem.id }]);
  });

  it('refuses plain members, councils owning neither side, missing tokens and bad ids, changing nothing', async () => {
    const solution = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    const problem = await h.createProblem(people.b.member.token, people.b.editor.token);
    const outsider = await createMember(database.db, (await createCouncil(database.db)).id, 'admin');
    const [rows, events] = [await linkRows(), await h.eventCount()];
    expect(payloadOf(await link(solution.id, problem.id, people.a.member.token)).__typename).toBe('ForbiddenError');
    expect(payloadOf(await link(solution.id, problem.id, people.b.member.token)).__typename).toBe('ForbiddenError');
    expect(payloadOf(await link(solution.id, problem.id, outsider.token)).__typename).toBe('ForbiddenError');
    expect(payloadOf(await link(solution.id, problem.id)).__typename).toBe('UnauthenticatedError');
    expect(payloadOf(await hub.gql(UNLINK, { input: { solutionId: solution.id, problemId: problem.id } }, people.a.editor.token)).__typename).toBe('ConflictError');
    for (const [s, p] of [[problem.id, solution.id], ['nonsense', problem.id], [solution.id, globalId('Council', people.a.council.id)]]) {
      expect(payloadOf(await link(s!, p!, people.a.editor.token)).__typename).toBe('ValidationError');
    }
    const unknown = globalId('Problem', '00000000-0000-4000-8000-000000000000');
    expect(payloadOf(await link(solution.id, unknown, people.a.editor.token)).__typename).toBe('NotFoundError');
    expect([await linkRows(), await h.eventCount()]).toEqual([rows, events]);
  });

  it("treats another council's draft as not found, and counts only published counterparts", async () => {
    const draftSolution = await h.createSolution(people.a.member.token);
    const ownProblem = await h.createProblem(people.a.member.token, people.a.editor.token);
    const theirProblem = await h.createProblem(people.b.member.token, people.b.editor.token);
    expect(payloadOf(await link(draftSolution.id, theirProblem.id, people.b.editor.token)).__typename).toBe('NotFoundError');
    const draftProblem = await h.createProblem(people.b.member.token);
    const published = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    expect(payloadOf(await link(published.id, draftProblem.id, people.a.editor.token)).__typename).toBe('NotFoundError');

    // A council may link its own draft; others see neither the draft nor a count of it.
    await h.ok(LINK, { solutionId: draftSolution.id, problemId: ownProblem.id }, people.a.editor.token);
    expect(await problemView(ownProblem.id, people.a.member.token)).toEqual({ solutionCount: 0, adoptionCount: 0, solutions: [{ id: draftSolution.id }] });
    expect(await problemView(ownProblem.id, people.b.member.token)).toEqual({ solutionCount: 0, adoptionCount: 0, solutions: [] });
    expect(await problemView(ownProblem.id)).toMatchObject({ solutions: [] });
    const draftEvent = (await h.eventsOf(draftSolution.id)).find((e) => e.type === 'solution.linked');
    expect(draftEvent).toMatchObject({ visibility: 'draft', council_id: people.a.council.id });

    await h.ok(LINK, { solutionId: published.id, problemId: draftProblem.id }, people.b.editor.token);
    expect(await solutionView(published.id, people.a.member.token)).toEqual({ problemCount: 0, problems: [] });
    expect(await solutionView(published.id, people.b.member.token)).toEqual({ problemCount: 0, problems: [{ id: draftProblem.id }] });
    const theirDraftEvent = (await h.eventsOf(published.id)).find((e) => e.type === 'solution.linked');
    expect(theirDraftEvent).toMatchObject({ visibility: 'draft', council_id: people.b.council.id });

    // Publishing either side makes the link count.
    await h.ok(PUBLISH, { id: draftSolution.id }, people.a.editor.token);
    expect(await problemView(ownProblem.id, people.b.member.token)).toEqual({ solutionCount: 1, adoptionCount: 0, solutions: [{ id: draftSolution.id }] });
    await h.ok(PUBLISH_PROBLEM, { id: draftProblem.id }, people.b.editor.token);
    expect(await solutionView(published.id)).toEqual({ problemCount: 1, problems: [{ id: draftProblem.id }] });
  });

  it('unlinks, recounting both sides', async () => {
    const solution = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    const problem = await h.createProblem(people.b.member.token, people.b.editor.token);
    await h.ok(LINK, { solutionId: solution.id, problemId: problem.id }, people.a.editor.token);
    await hub.gql(`mutation($input: RecordAdoptionInput!) { recordAdoption(input: $input) { __typename } }`,
      { input: { solutionId: solution.id, stage: 'ADOPTED' } }, people.b.member.token);
    expect(await problemView(problem.id)).toMatchObject({ solutionCount: 1, adoptionCount: 1 });
    const unlinked = payloadOf(await hub.gql(UNLINK, { input: { solutionId: solution.id, problemId: problem.id } }, people.b.admin.token));
    expect(unlinked.link).toMatchObject({ solution: { problemCount: 0, adoptionCount: 1 }, problem: { solutionCount: 0, adoptionCount: 0 } });
    expect((await h.eventsOf(solution.id)).map((e) => e.type).slice(-1)).toEqual(['solution.unlinked']);
  });

  it('keeps counts right when the same links are made concurrently and repeatedly', async () => {
    const problem = await h.createProblem(people.b.member.token, people.b.editor.token);
    const solutions = await Promise.all([0, 1, 2, 3].map(() => h.publishedSolution(people.a.member.token, people.a.editor.token)));
    const adopter = await createMember(database.db, (await createCouncil(database.db)).id, 'member');
    const adopt = (id: string) => hub.gql(`mutation($input: RecordAdoptionInput!) { recordAdoption(input: $input) { __typename } }`,
      { input: { solutionId: id, stage: 'ADOPTED' } }, adopter.token);
    const calls = solutions.flatMap((s) => [
      link(s.id, problem.id, people.a.editor.token), link(s.id, problem.id, people.b.editor.token), link(s.id, problem.id, people.a.admin.token), adopt(s.id),
    ]);
    for (const res of await Promise.all(calls)) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(await problemView(problem.id)).toMatchObject({ solutionCount: 4, adoptionCount: 1 });
    for (const s of solutions) expect(await solutionView(s.id)).toEqual({ problemCount: 1, problems: [{ id: problem.id }] });
    const linked = await database.db.selectFrom('outbox_events').select('subject_id')
      .where('type', '=', 'solution.linked').where('subject_id', 'in', solutions.map((s) => rawId(s.id))).execute();
    expect(linked.map((e) => e.subject_id).sort()).toEqual(solutions.map((s) => rawId(s.id)).sort());
  });
});
