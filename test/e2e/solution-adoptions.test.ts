import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCouncil, createMember, type TestMember, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { ADOPT, ARCHIVE, globalId, LINK, payloadOf, rawId, solutionHelpers } from './solution-operations.js';

describe.each(testDatabases())('adoptions over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const h = solutionHelpers(() => hub, () => database);

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const adopt = (solutionId: string, stage: string, token: string | undefined, note?: string) =>
    hub.gql(ADOPT, { input: { solutionId, stage, note } }, token);
  const counts = async (table: 'solutions' | 'problems', globalID: string) => database.db.selectFrom(table)
    .select(['adoption_count']).where('id', '=', rawId(globalID)).executeTakeFirstOrThrow();

  it('lets any member record their council\'s stage, once per council, with its event in the same transaction', async () => {
    const solution = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    const considering = payloadOf(await adopt(solution.id, 'CONSIDERING', people.b.member.token, 'Looking at it for our repairs service'));
    expect(considering.solution).toMatchObject({ adoptionCount: 0, adoptions: [{ council: { slug: people.b.council.slug }, stage: 'CONSIDERING', note: 'Looking at it for our repairs service' }] });
    const adopted = payloadOf(await adopt(solution.id, 'ADOPTED', people.b.editor.token, 'Live since April'));
    expect(adopted.solution).toMatchObject({ adoptionCount: 1, adoptions: [{ stage: 'ADOPTED', note: 'Live since April' }] });
    const repeated = payloadOf(await adopt(solution.id, 'ADOPTED', people.b.member.token, 'Live since April'));
    expect(repeated.solution.adoptionCount).toBe(1);
    const own = payloadOf(await adopt(solution.id, 'ADOPTED', people.a.member.token));
    expect(own.solution.adoptionCount).toBe(2);
    const events = (await h.eventsOf(solution.id)).filter((e) => e.type === 'solution.adopted');
    expect(events.map((e) => [e.payload.stage, e.payload.adoptingCouncilId])).toEqual([
      ['considering', people.b.council.id], ['adopted', people.b.council.id], ['adopted', people.a.council.id],
    ]);
    expect(events[1]).toMatchObject({ visibility: 'published', council_id: people.a.council.id });
    const adoptionXmin = (await database.db.selectFrom('adoptions').select(sql<string>`xmin::text`.as('x'))
      .where('solution_id', '=', rawId(solution.id)).where('council_id', '=', people.a.council.id).executeTakeFirstOrThrow()).x;
    expect([adoptionXmin, await h.xminOf('solutions', solution.id)]).toEqual([events[2]!.xmin, events[2]!.xmin]);
  });

  it('refuses bad notes, missing tokens, drafts, archived solutions and unknown ids, changing nothing', async () => {
    const solution = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    const draft = await h.createSolution(people.a.member.token);
    const events = await h.eventCount();
    const tooLong = payloadOf(await adopt(solution.id, 'ADOPTED', people.b.member.token, 'n'.repeat(2_001)));
    expect(tooLong).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'note' }] });
    expect((await adopt(solution.id, 'LOVED_IT', people.b.member.token)).status).toBe(400);
    expect(payloadOf(await adopt(solution.id, 'ADOPTED', undefined)).__typename).toBe('UnauthenticatedError');
    expect(payloadOf(await adopt(draft.id, 'ADOPTED', people.b.admin.token)).__typename).toBe('NotFoundError');
    expect(payloadOf(await adopt(draft.id, 'ADOPTED', people.a.admin.token)).__typename).toBe('ConflictError');
    expect(payloadOf(await adopt(globalId('Solution', '00000000-0000-4000-8000-000000000000'), 'ADOPTED', people.b.member.token)).__typename).toBe('NotFoundError');
    expect(payloadOf(await adopt(globalId('Problem', rawId(solution.id)), 'ADOPTED', people.b.member.token)).__typename).toBe('ValidationError');
    await h.ok(ARCHIVE, { id: solution.id }, people.a.editor.token);
    expect(payloadOf(await adopt(solution.id, 'ADOPTED', people.b.member.token)).__typename).toBe('ConflictError');
    expect(await h.eventCount()).toBe(events + 1);
    expect(await database.db.selectFrom('adoptions').select('council_id').where('solution_id', 'in', [rawId(solution.id), rawId(draft.id)]).execute()).toEqual([]);
  });

  it('counts councils, not solutions, on the problems a solution addresses', async () => {
    const problem = await h.createProblem(people.b.member.token, people.b.editor.token);
    const [one, two] = [
      await h.publishedSolution(people.a.member.token, people.a.editor.token),
      await h.publishedSolution(people.a.member.token, people.a.editor.token),
    ];
    for (const s of [one, two]) await h.ok(LINK, { solutionId: s.id, problemId: problem.id }, people.b.editor.token);
    const third = await createMember(database.db, (await createCouncil(database.db)).id, 'member');
    await adopt(one.id, 'ADOPTED', third.token);
    await adopt(two.id, 'ADOPTED', third.token);
    expect(await counts('problems', problem.id)).toEqual({ adoption_count: 1 });
    await adopt(two.id, 'ADOPTED', people.b.member.token);
    expect(await counts('problems', problem.id)).toEqual({ adoption_count: 2 });
    await adopt(one.id, 'REJECTED', third.token, 'Did not fit our contact centre');
    expect(await counts('problems', problem.id)).toEqual({ adoption_count: 2 });
    await adopt(two.id, 'PILOTING', third.token);
    expect(await counts('problems', problem.id)).toEqual({ adoption_count: 1 });
    expect(await counts('solutions', one.id)).toEqual({ adoption_count: 0 });
    expect(await counts('solutions', two.id)).toEqual({ adoption_count: 1 });
  });

  it('keeps counts right under concurrent and repeated adoptions from many councils', async () => {
    const problem = await h.createProblem(people.a.member.token, people.a.editor.token);
    const solutions = await Promise.all([0, 1].map(() => h.publishedSolution(people.a.member.token, people.a.editor.token)));
    for (const s of solutions) await h.ok(LINK, { solutionId: s.id, problemId: problem.id }, people.a.editor.token);
    const adopters: TestMember[] = await Promise.all(Array.from({ length: 8 }, async () =>
      createMember(database.db, (await createCouncil(database.db)).id, 'member')));
    // Each council adopts both solutions, twice over, all at once; half then reject the second.
    const calls = adopters.flatMap((m) => solutions.flatMap((s) => [adopt(s.id, 'ADOPTED', m.token), adopt(s.id, 'ADOPTED', m.token)]));
    for (const res of await Promise.all(calls)) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const rejections = adopters.slice(0, 4).map((m) => adopt(solutions[1]!.id, 'REJECTED', m.token));
    for (const res of await Promise.all(rejections)) expect(payloadOf(res).__typename).toBe('RecordAdoptionPayload');
    expect(await counts('solutions', solutions[0]!.id)).toEqual({ adoption_count: 8 });
    expect(await counts('solutions', solutions[1]!.id)).toEqual({ adoption_count: 4 });
    expect(await counts('problems', problem.id)).toEqual({ adoption_count: 8 });
    const events = await database.db.selectFrom('outbox_events').select((e) => e.fn.countAll().as('n'))
      .where('type', '=', 'solution.adopted').where('subject_id', 'in', solutions.map((s) => rawId(s.id))).executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(8 * 2 + 4);
  });
});
