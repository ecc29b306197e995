import { sql, type Transaction } from 'kysely';
import type { Database, ProblemRow, SolutionRow } from '../db/database.js';
import type { Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import type { ContentItem, ContentStore } from './content.js';
import { ConflictError } from './errors.js';

// Any constant will do, as long as it differs from the outbox's append lock.
const SOLUTION_GRAPH_LOCK = 7_406_114;

/**
 * Takes turns with every other change to links, adoptions or what they count.
 *
 * The counts below are recomputed from rows other transactions also write. Under READ
 * COMMITTED a recount can miss a row committed while it waited for a row lock (an UPDATE
 * keeps the snapshot it started with), and two transactions locking a solution and its
 * problems in different orders can deadlock. One transaction-scoped advisory lock, taken
 * first, rules out both: every later statement sees all earlier graph changes, and row locks
 * are only ever taken while holding it. Links and adoptions are rare human actions, and
 * outbox appends already take turns until commit, so this costs little.
 */
export async function lockSolutionGraph(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${SOLUTION_GRAPH_LOCK})`.execute(trx);
}

/**
 * Recomputes a solution's counts from rows, so repeats and retries are harmless. Only
 * published problems count: a count must not reveal another council's drafts.
 */
export async function recountSolutions(trx: Transaction<Database>, ids: readonly string[]): Promise<SolutionRow[]> {
  if (ids.length === 0) return [];
  return trx
    .updateTable('solutions')
    .set((eb) => ({
      adoption_count: eb.selectFrom('adoptions').select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('adoptions.solution_id', '=', 'solutions.id').where('adoptions.stage', '=', 'adopted'),
      problem_count: eb.selectFrom('solution_problems')
        .innerJoin('problems', 'problems.id', 'solution_problems.problem_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('solution_problems.solution_id', '=', 'solutions.id')
        .where('problems.visibility', '=', 'published'),
    }))
    .where('id', 'in', [...ids])
    .returningAll()
    .execute();
}

/**
 * A problem counts its published linked solutions, and the distinct councils that adopted
 * any of them (a council adopting two solutions to one problem is one adoption of it).
 */
export async function recountProblems(trx: Transaction<Database>, ids: readonly string[]): Promise<ProblemRow[]> {
  if (ids.length === 0) return [];
  return trx
    .updateTable('problems')
    .set((eb) => ({
      solution_count: eb.selectFrom('solution_problems')
        .innerJoin('solutions', 'solutions.id', 'solution_problems.solution_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('solution_problems.problem_id', '=', 'problems.id')
        .where('solutions.visibility', '=', 'published'),
      adoption_count: eb.selectFrom('solution_problems')
        .innerJoin('adoptions', 'adoptions.solution_id', 'solution_problems.solution_id')
        .select(sql<number>`count(distinct adoptions.council_id)`.as('n'))
        .whereRef('solution_problems.problem_id', '=', 'problems.id')
        .where('adoptions.stage', '=', 'adopted'),
    }))
    .where('id', 'in', [...ids])
    .returningAll()
    .execute();
}

export async function problemIdsOfSolution(trx: Transaction<Database>, solutionId: string): Promise<string[]> {
  const rows = await trx.selectFrom('solution_problems').select('problem_id').where('solution_id', '=', solutionId).execute();
  return rows.map((r) => r.problem_id);
}

export async function solutionIdsOfProblem(trx: Transaction<Database>, problemId: string): Promise<string[]> {
  const rows = await trx.selectFrom('solution_problems').select('solution_id').where('problem_id', '=', problemId).execute();
  return rows.map((r) => r.solution_id);
}

/**
 * Publishes a problem or solution and recounts what is linked to it, since counts include
 * published items only. The event is appended last, after the recount (see appendEvent).
 */
export async function publishLinked<Item extends ContentItem>(
  trx: Transaction<Database>,
  store: ContentStore<Item>,
  viewer: Viewer,
  id: string,
  version: number | null | undefined,
  recountLinked: (trx: Transaction<Database>, id: string) => Promise<unknown>,
): Promise<Item> {
  await lockSolutionGraph(trx);
  const current = await store.loadForEdit(trx, viewer, id, version);
  if (current.visibility === 'published') {
    throw new ConflictError(`this ${current.subject.replace('_', ' ')} is already published`, current.version);
  }
  const item = await store.applyChange(trx, current, { visibility: 'published', published_at: new Date() }, []);
  await recountLinked(trx, id);
  await appendEvent(trx, store.eventFor(item, `${item.subject}.published` as EventType, {}));
  return item;
}
