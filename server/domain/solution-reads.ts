import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Viewer } from '../auth/viewer.js';
import { toCouncil, type Council } from './councils.js';
import { firstPerParent, rankWithin } from './first-per-parent.js';
import { groupBy } from './group-by.js';
import { LIST_CAPS } from './list-caps.js';
import { visibleTo } from './visible-to.js';
import { toProblem, type Problem } from './problems.js';
import { toAdoption, type Adoption } from './solution-adoptions.js';
import { toSolution, type Solution } from './solution-model.js';

/**
 * Batch reads behind the per-request loaders: each takes many solution (or problem) IDs and
 * costs one statement, so a page of solutions with their partners, adoptions and problems
 * costs a fixed number of statements whatever its length. Each returns at most its LIST_CAPS
 * entry per parent.
 */
export function createSolutionReads({ db }: { db: Kysely<Database> }) {
  /** Published rows, plus the viewer's own council's drafts. */
  return {
    /** Partner councils of each solution, by name. */
    async partnersOf(solutionIds: readonly string[]): Promise<Council[][]> {
      if (solutionIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('solution_partners')
        .innerJoin('councils', 'councils.id', 'solution_partners.council_id')
        .selectAll('councils').select('solution_partners.solution_id as key')
        .select(rankWithin('solution_partners.solution_id', [['councils.name', 'asc'], ['councils.id', 'asc']]).as('rank'))
        .where('solution_partners.solution_id', 'in', [...solutionIds]), LIST_CAPS.partners);
      return groupBy(solutionIds, rows.map((r) => ({ key: r.key, value: toCouncil(r) })));
    },

    /** Each solution's adoption records, most recently changed first. */
    async adoptionsOf(solutionIds: readonly string[]): Promise<Adoption[][]> {
      if (solutionIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('adoptions').selectAll()
        .select(rankWithin('solution_id', [['updated_at', 'desc'], ['council_id', 'asc']]).as('rank'))
        .where('solution_id', 'in', [...solutionIds]), LIST_CAPS.adoptions);
      return groupBy(solutionIds, rows.map((r) => ({ key: r.solution_id, value: toAdoption(r) })));
    },

    /** The problems each solution addresses that the viewer may see, in the order they were linked. */
    async problemsOf(viewer: Viewer, solutionIds: readonly string[]): Promise<Problem[][]> {
      if (solutionIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('solution_problems')
        .innerJoin('problems', 'problems.id', 'solution_problems.problem_id')
        .selectAll('problems').select('solution_problems.solution_id as key')
        .select(rankWithin('solution_problems.solution_id', [['solution_problems.created_at', 'asc'], ['problems.id', 'asc']]).as('rank'))
        .where('solution_problems.solution_id', 'in', [...solutionIds])
        .where(visibleTo(viewer, 'problems')), LIST_CAPS.links);
      return groupBy(solutionIds, rows.map((r) => ({ key: r.key, value: toProblem(r) })));
    },

    /** The solutions linked to each problem that the viewer may see, in the order they were linked. */
    async solutionsOf(viewer: Viewer, problemIds: readonly string[]): Promise<Solution[][]> {
      if (problemIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('solution_problems')
        .innerJoin('solutions', 'solutions.id', 'solution_problems.solution_id')
        .selectAll('solutions').select('solution_problems.problem_id as key')
        .select(rankWithin('solution_problems.problem_id', [['solution_problems.created_at', 'asc'], ['solutions.id', 'asc']]).as('rank'))
        .where('solution_problems.problem_id', 'in', [...problemIds])
        .where(visibleTo(viewer, 'solutions')), LIST_CAPS.links);
      return groupBy(problemIds, rows.map((r) => ({ key: r.key, value: toSolution(r) })));
    },
  };
}
