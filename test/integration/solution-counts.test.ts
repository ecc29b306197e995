import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberViewer } from '../../server/auth/viewer.js';
import { createTransact } from '../../server/db/transact.js';
import { createProblemService } from '../../server/domain/problems.js';
import { createSolutionService } from '../../server/domain/solutions.js';
import { createCouncil, createMember } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';

/**
 * Counts are recomputed from rows; these races are where a recount could read a stale
 * snapshot or two transactions could deadlock. Over HTTP requests rarely overlap closely
 * enough to show it, so this drives the services directly with many transactions at once.
 */
describe.each(testDatabases())('solution counts under concurrency on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let solutions: ReturnType<typeof createSolutionService>;
  let problems: ReturnType<typeof createProblemService>;
  let owner: MemberViewer;
  let adopters: MemberViewer[];

  beforeAll(async () => {
    database = await engine.create({ poolSize: 20 });
    const deps = { db: database.db, transact: createTransact(database.db) };
    [solutions, problems] = [createSolutionService(deps), createProblemService(deps)];
    owner = (await createMember(database.db, (await createCouncil(database.db)).id, 'editor')).viewer;
    adopters = await Promise.all(Array.from({ length: 12 }, async () =>
      (await createMember(database.db, (await createCouncil(database.db)).id, 'member')).viewer));
  });
  afterAll(async () => {
    await database?.close();
  });

  const solutionInput = { title: 'Shared SEND transport routing', summary: 'Route planning for home-to-school transport.', serviceArea: 'education_send', kind: 'software', phase: 'live' };

  /** What every count should be, computed from the rows themselves. */
  async function driftedRows(): Promise<unknown[]> {
    const solutionDrift = await sql`select id from solutions s where adoption_count <> (select count(*) from adoptions a where a.solution_id = s.id and stage = 'adopted')
      or problem_count <> (select count(*) from solution_problems sp join problems p on p.id = sp.problem_id where sp.solution_id = s.id and p.visibility = 'published')`.execute(database.db);
    const problemDrift = await sql`select id from problems p where solution_count <> (select count(*) from solution_problems sp join solutions s on s.id = sp.solution_id where sp.problem_id = p.id and s.visibility = 'published')
      or adoption_count <> (select count(distinct a.council_id) from solution_problems sp join adoptions a on a.solution_id = sp.solution_id where sp.problem_id = p.id and a.stage = 'adopted')`.execute(database.db);
    return [...solutionDrift.rows, ...problemDrift.rows];
  }

  it('agrees with the rows after concurrent adoptions, links and publishes touching one problem', async () => {
    const problem = await problems.create(owner, { title: 'SEND transport costs rising', summary: 'Routes planned by hand.', serviceArea: 'education_send' });
    const published = await Promise.all(Array.from({ length: 6 }, async () => solutions.publish(owner, (await solutions.create(owner, solutionInput)).id)));
    const drafts = await Promise.all(Array.from({ length: 3 }, () => solutions.create(owner, solutionInput)));
    await Promise.all([...published, ...drafts].slice(0, 4).map((s) => solutions.linkSolutionToProblem(owner, s.id, problem.id)));

    await Promise.all([
      problems.publish(owner, problem.id),
      ...[...published, ...drafts].map((s) => solutions.linkSolutionToProblem(owner, s.id, problem.id)),
      ...drafts.map((s) => solutions.publish(owner, s.id)),
      ...adopters.flatMap((adopter, i) => published.map((s, j) => solutions.recordAdoption(adopter, s.id, (i + j) % 3 ? 'adopted' : 'piloting'))),
    ]);

    expect(await driftedRows()).toEqual([]);
    const row = await database.db.selectFrom('problems').select(['solution_count', 'adoption_count']).where('id', '=', problem.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ solution_count: 9, adoption_count: adopters.length });
  });
  /**
   * Publishes of unlinked items hold the graph lock shared and run side by side; an item
   * with links must not, since two publishes recounting one solution at once would each
   * count from a snapshot without the other's item (publishLinked). Here many problems
   * linked to the same two solutions publish at once, beside unlinked ones that get linked
   * while they publish, and draft solutions linked to them publish too.
   */
  it('agrees with the rows after many linked and unlinked publishes at once, with links made meanwhile', async () => {
    for (let round = 0; round < 3; round++) {
      const shared = await Promise.all(Array.from({ length: 2 }, async () => solutions.publish(owner, (await solutions.create(owner, solutionInput)).id)));
      const later = await solutions.publish(owner, (await solutions.create(owner, solutionInput)).id);
      const problemInput = { title: `Blue badge renewals by post (${round})`, summary: 'Paper forms re-keyed.', serviceArea: 'adult_social_care' };
      const linked = await Promise.all(Array.from({ length: 8 }, () => problems.create(owner, problemInput)));
      const unlinked = await Promise.all(Array.from({ length: 4 }, () => problems.create(owner, problemInput)));
      const draftSolutions = await Promise.all(Array.from({ length: 2 }, () => solutions.create(owner, solutionInput)));
      for (const problem of linked) {
        for (const solution of shared) await solutions.linkSolutionToProblem(owner, solution.id, problem.id);
      }
      for (const solution of draftSolutions) await solutions.linkSolutionToProblem(owner, solution.id, linked[0]!.id);

      await Promise.all([
        ...[...linked, ...unlinked].map((p) => problems.publish(owner, p.id)),
        ...unlinked.map((p) => solutions.linkSolutionToProblem(owner, later.id, p.id)),
        ...draftSolutions.map((d) => solutions.publish(owner, d.id)),
      ]);

      expect(await driftedRows(), `round ${round}`).toEqual([]);
      const counts = await database.db.selectFrom('solutions').select('problem_count')
        .where('id', 'in', [...shared, later].map((x) => x.id)).orderBy('problem_count').execute();
      expect(counts.map((c) => c.problem_count), `round ${round}`).toEqual([4, 8, 8]);
    }
  });
});
