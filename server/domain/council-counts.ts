import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { isPublic } from './public-rows.js';

/** What a council has put on the hub that anyone may see, as the open data counts it. */
export interface CouncilCounts {
  readonly councilId: string;
  readonly problems: number;
  readonly solutions: number;
  readonly caseStudies: number;
  /** Other councils' problems it said it has too. */
  readonly supports: number;
  /** Solutions it recorded as adopted. */
  readonly adopted: number;
}

/**
 * One statement for a page of councils. Counts only public items (published, not archived),
 * the same rows as the open data files, so they answer the same for every viewer.
 */
export function createCouncilCounts({ db }: { db: Kysely<Database> }) {
  return {
    async countsOf(councilIds: readonly string[]): Promise<CouncilCounts[]> {
      if (councilIds.length === 0) return [];
      const rows = await db.selectFrom('councils').select((eb) => [
        'councils.id',
        eb.selectFrom('problems').select((e) => e.fn.countAll<number>().as('n')).whereRef('problems.council_id', '=', 'councils.id').where(isPublic('problems')).as('problems'),
        eb.selectFrom('solutions').select((e) => e.fn.countAll<number>().as('n')).whereRef('solutions.council_id', '=', 'councils.id').where(isPublic('solutions')).as('solutions'),
        eb.selectFrom('case_studies').select((e) => e.fn.countAll<number>().as('n')).whereRef('case_studies.council_id', '=', 'councils.id').where(isPublic('case_studies')).as('case_studies'),
        eb.selectFrom('problem_supporters').innerJoin('problems', 'problems.id', 'problem_supporters.problem_id')
          .select((e) => e.fn.countAll<number>().as('n')).whereRef('problem_supporters.council_id', '=', 'councils.id').where(isPublic('problems')).as('supports'),
        eb.selectFrom('adoptions').innerJoin('solutions', 'solutions.id', 'adoptions.solution_id')
          .select((e) => e.fn.countAll<number>().as('n')).whereRef('adoptions.council_id', '=', 'councils.id').where('adoptions.stage', '=', 'adopted').where(isPublic('solutions')).as('adopted'),
      ]).where('councils.id', 'in', [...councilIds]).execute();
      const byId = new Map(rows.map((r) => [r.id, {
        councilId: r.id, problems: Number(r.problems), solutions: Number(r.solutions), caseStudies: Number(r.case_studies),
        supports: Number(r.supports), adopted: Number(r.adopted),
      }]));
      return councilIds.map((id) => byId.get(id) ?? { councilId: id, problems: 0, solutions: 0, caseStudies: 0, supports: 0, adopted: 0 });
    },
  };
}
