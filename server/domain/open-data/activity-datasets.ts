import { encodeGlobalId } from '../../kernel/global-id.js';
import { ADOPTION_STAGES } from '../solution-adoptions.js';
import { isoDate } from './columns.js';
import { defineDataset } from './dataset.js';
import { isPublic } from '../public-rows.js';

interface SupportRow { problem_id: string; council_id: string; note: string | null; created_at: Date }

/** "We have this too": who said it is public, which member said it is not. */
export const SUPPORTS = defineDataset<SupportRow>({
  name: 'supports', version: 1, title: 'Supports ("we have this too")',
  description: 'Each council that said it has another council\'s problem too.',
  columns: [
    { name: 'problem_id', type: 'id', idOf: 'Problem', description: 'The problem (problems file, id)', value: (r) => encodeGlobalId('Problem', r.problem_id) },
    { name: 'council_id', type: 'id', idOf: 'Council', description: 'The council that has it too (councils file, id)', value: (r) => encodeGlobalId('Council', r.council_id) },
    { name: 'note', type: 'text', nullable: true, description: 'How the problem shows up at that council', value: (r) => r.note },
    { name: 'created_at', type: 'datetime', description: 'When the council said so', value: (r) => isoDate(r.created_at) },
  ],
  page: (trx, after, limit) => trx.selectFrom('problem_supporters')
    .innerJoin('problems', 'problems.id', 'problem_supporters.problem_id')
    .select(['problem_supporters.problem_id', 'problem_supporters.council_id', 'problem_supporters.note', 'problem_supporters.created_at'])
    .where(isPublic('problems'))
    .$if(after !== null, (q) => q.where((eb) => eb(eb.refTuple('problem_supporters.problem_id', 'problem_supporters.council_id'), '>', eb.tuple(after!.problem_id, after!.council_id))))
    .orderBy('problem_supporters.problem_id').orderBy('problem_supporters.council_id').limit(limit).execute(),
});

interface AdoptionRow { solution_id: string; council_id: string; stage: string; note: string | null; created_at: Date; updated_at: Date }

export const ADOPTIONS = defineDataset<AdoptionRow>({
  name: 'adoptions', version: 1, title: 'Adoptions',
  description: 'Where each council stands with another council\'s solution: considering, piloting, adopted or rejected.',
  columns: [
    { name: 'solution_id', type: 'id', idOf: 'Solution', description: 'The solution (solutions file, id)', value: (r) => encodeGlobalId('Solution', r.solution_id) },
    { name: 'council_id', type: 'id', idOf: 'Council', description: 'The council (councils file, id)', value: (r) => encodeGlobalId('Council', r.council_id) },
    { name: 'stage', type: 'code', values: ADOPTION_STAGES, description: 'Where it stands', value: (r) => r.stage },
    { name: 'note', type: 'text', nullable: true, description: 'What the council says about it', value: (r) => r.note },
    { name: 'created_at', type: 'datetime', description: 'When the council first recorded a stage', value: (r) => isoDate(r.created_at) },
    { name: 'updated_at', type: 'datetime', description: 'When the stage last changed', value: (r) => isoDate(r.updated_at) },
  ],
  page: (trx, after, limit) => trx.selectFrom('adoptions')
    .innerJoin('solutions', 'solutions.id', 'adoptions.solution_id')
    .select(['adoptions.solution_id', 'adoptions.council_id', 'adoptions.stage', 'adoptions.note', 'adoptions.created_at', 'adoptions.updated_at'])
    .where(isPublic('solutions'))
    .$if(after !== null, (q) => q.where((eb) => eb(eb.refTuple('adoptions.solution_id', 'adoptions.council_id'), '>', eb.tuple(after!.solution_id, after!.council_id))))
    .orderBy('adoptions.solution_id').orderBy('adoptions.council_id').limit(limit).execute(),
});
