import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { encodeGlobalId } from '../../kernel/global-id.js';
import { isoDate } from './columns.js';
import { defineDataset } from './dataset.js';
import { isPublic } from '../public-rows.js';

const LINK_TYPES = ['solution_problem', 'case_study_solution', 'case_study_problem'] as const;
type LinkType = (typeof LINK_TYPES)[number];

interface LinkRow { link_type: LinkType; from_id: string; to_id: string; created_at: Date | null }

const TYPENAMES: Record<LinkType, readonly [string, string]> = {
  solution_problem: ['Solution', 'Problem'],
  case_study_solution: ['CaseStudy', 'Solution'],
  case_study_problem: ['CaseStudy', 'Problem'],
};

type Read = (trx: Transaction<Database>, after: LinkRow | null, limit: number) => Promise<LinkRow[]>;

// Each link table is read in its own primary-key order, one after the other: a UNION sorted
// as a whole would sort every link for every batch.
const READS: Record<LinkType, Read> = {
  solution_problem: async (trx, after, limit) => (await trx.selectFrom('solution_problems')
    .innerJoin('solutions', 'solutions.id', 'solution_problems.solution_id')
    .innerJoin('problems', 'problems.id', 'solution_problems.problem_id')
    .select(['solution_problems.solution_id as from_id', 'solution_problems.problem_id as to_id', 'solution_problems.created_at'])
    .where(isPublic('solutions')).where(isPublic('problems'))
    .$if(after !== null, (q) => q.where((eb) => eb(eb.refTuple('solution_problems.solution_id', 'solution_problems.problem_id'), '>', eb.tuple(after!.from_id, after!.to_id))))
    .orderBy('solution_problems.solution_id').orderBy('solution_problems.problem_id').limit(limit).execute())
    .map((r) => ({ link_type: 'solution_problem' as const, ...r })),
  case_study_solution: async (trx, after, limit) => (await trx.selectFrom('case_study_solutions')
    .innerJoin('case_studies', 'case_studies.id', 'case_study_solutions.case_study_id')
    .innerJoin('solutions', 'solutions.id', 'case_study_solutions.solution_id')
    .select(['case_study_solutions.case_study_id as from_id', 'case_study_solutions.solution_id as to_id'])
    .where(isPublic('case_studies')).where(isPublic('solutions'))
    .$if(after !== null, (q) => q.where((eb) => eb(eb.refTuple('case_study_solutions.case_study_id', 'case_study_solutions.solution_id'), '>', eb.tuple(after!.from_id, after!.to_id))))
    .orderBy('case_study_solutions.case_study_id').orderBy('case_study_solutions.solution_id').limit(limit).execute())
    .map((r) => ({ link_type: 'case_study_solution' as const, ...r, created_at: null })),
  case_study_problem: async (trx, after, limit) => (await trx.selectFrom('case_study_problems')
    .innerJoin('case_studies', 'case_studies.id', 'case_study_problems.case_study_id')
    .innerJoin('problems', 'problems.id', 'case_study_problems.problem_id')
    .select(['case_study_problems.case_study_id as from_id', 'case_study_problems.problem_id as to_id'])
    .where(isPublic('case_studies')).where(isPublic('problems'))
    .$if(after !== null, (q) => q.where((eb) => eb(eb.refTuple('case_study_problems.case_study_id', 'case_study_problems.problem_id'), '>', eb.tuple(after!.from_id, after!.to_id))))
    .orderBy('case_study_problems.case_study_id').orderBy('case_study_problems.problem_id').limit(limit).execute())
    .map((r) => ({ link_type: 'case_study_problem' as const, ...r, created_at: null })),
};

/** A batch fills from the next link table when one runs out, so only the last batch is short. */
async function page(trx: Transaction<Database>, after: LinkRow | null, limit: number): Promise<LinkRow[]> {
  const rows: LinkRow[] = [];
  for (const type of LINK_TYPES.slice(after ? LINK_TYPES.indexOf(after.link_type) : 0)) {
    rows.push(...await READS[type](trx, after?.link_type === type ? after : null, limit - rows.length));
    if (rows.length === limit) break;
  }
  return rows;
}

export const LINKS = defineDataset<LinkRow>({
  name: 'links', version: 1, title: 'Links',
  description: 'Which solutions address which problems, and which problems and solutions each case study is about.',
  columns: [
    { name: 'link_type', type: 'code', values: LINK_TYPES, description: 'SOLUTION_PROBLEM: the solution addresses the problem; CASE_STUDY_SOLUTION and CASE_STUDY_PROBLEM: the case study is about it', value: (r) => r.link_type },
    { name: 'from_id', type: 'id', description: 'The solution (solution_problem) or case study (the others): an id from the solutions or case-studies file', value: (r) => encodeGlobalId(TYPENAMES[r.link_type][0], r.from_id) },
    { name: 'to_id', type: 'id', description: 'The problem or solution it is linked to: an id from the problems or solutions file', value: (r) => encodeGlobalId(TYPENAMES[r.link_type][1], r.to_id) },
    { name: 'linked_at', type: 'datetime', nullable: true, description: 'When a council linked the solution to the problem (empty for case study links)', value: (r) => isoDate(r.created_at) },
  ],
  page,
});
