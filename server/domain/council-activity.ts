import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { firstPerParent, rankWithin } from './first-per-parent.js';
import { groupBy } from './group-by.js';
import { LIST_CAPS } from './list-caps.js';
import { toAdoption, type Adoption } from './solution-adoptions.js';
import { toProblem, type Problem } from './problems.js';

/** A council that said "we have this too" about a problem. */
export interface ProblemSupport {
  readonly problemId: string;
  readonly councilId: string;
  readonly note: string | null;
  readonly createdAt: Date;
}

/**
 * What councils do with each other's work: who shares a problem, what a council shares
 * and adopts. Batch reads behind per-request loaders, one statement per batch, at most
 * LIST_CAPS per parent. Supports
 * and adoptions exist only on published items, so every viewer may see them.
 */
export function createCouncilActivity({ db }: { db: Kysely<Database> }) {
  return {
    /** The councils sharing each problem, in the order they joined. */
    async supportersOf(problemIds: readonly string[]): Promise<ProblemSupport[][]> {
      if (problemIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('problem_supporters').selectAll()
        .select(rankWithin('problem_id', [['created_at', 'asc'], ['council_id', 'asc']]).as('rank'))
        .where('problem_id', 'in', [...problemIds]), LIST_CAPS.supports);
      return groupBy(problemIds, rows.map((r) => ({
        key: r.problem_id,
        value: { problemId: r.problem_id, councilId: r.council_id, note: r.note, createdAt: r.created_at },
      })));
    },

    /** The published, unarchived problems each council shares, most recently joined first. */
    async supportedBy(councilIds: readonly string[]): Promise<Problem[][]> {
      if (councilIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('problem_supporters')
        .innerJoin('problems', 'problems.id', 'problem_supporters.problem_id')
        .selectAll('problems').select('problem_supporters.council_id as key')
        .select(rankWithin('problem_supporters.council_id', [['problem_supporters.created_at', 'desc'], ['problems.id', 'asc']]).as('rank'))
        .where('problem_supporters.council_id', 'in', [...councilIds])
        .where('problems.visibility', '=', 'published').where('problems.status', '!=', 'archived'), LIST_CAPS.supports);
      return groupBy(councilIds, rows.map((r) => ({ key: r.key, value: toProblem(r) })));
    },

    /** Each council's adoption records, most recently changed first. */
    async adoptionsBy(councilIds: readonly string[]): Promise<Adoption[][]> {
      if (councilIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('adoptions').selectAll()
        .select(rankWithin('council_id', [['updated_at', 'desc'], ['solution_id', 'asc']]).as('rank'))
        .where('council_id', 'in', [...councilIds]), LIST_CAPS.adoptions);
      return groupBy(councilIds, rows.map((r) => ({ key: r.council_id, value: toAdoption(r) })));
    },
  };
}
