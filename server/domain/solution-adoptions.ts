import type { AdoptionRow } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import type { Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import { actedBy, createContentStore, requireMember } from './content.js';
import { ConflictError } from '../kernel/errors.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { lockSolutionGraph, recountProblemsOfSolution, recountSolutions } from './solution-graph.js';
import { lockVisibleSolution, SOLUTION_CONTENT, toSolution, type Solution } from './solution-model.js';
import { hubNow } from '../db/hub-now.js';

export const ADOPTION_STAGES = ['considering', 'piloting', 'adopted', 'rejected'] as const;
export type AdoptionStage = (typeof ADOPTION_STAGES)[number];

/** Where one council stands with one solution. */
export interface Adoption {
  readonly solutionId: string;
  readonly councilId: string;
  readonly stage: AdoptionStage;
  readonly note: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function toAdoption(row: AdoptionRow): Adoption {
  return {
    solutionId: row.solution_id,
    councilId: row.council_id,
    stage: row.stage,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createAdoptionActions({ transact }: { transact: Transact }) {
  const store = createContentStore(SOLUTION_CONTENT, transact);

  return {
    /**
     * The viewer's council records its stage with a published solution; any member may speak
     * for their own council. One record per council, replaced by each new stage or note.
     */
    async recordAdoption(viewer: Viewer, solutionId: string, stage: string, note?: string | null): Promise<Solution> {
      const member = requireMember(viewer);
      const check = new InputChecker();
      const cleanStage = check.oneOf('stage', stage, ADOPTION_STAGES, true);
      const cleanNote = check.text('note', note, LIMITS.note, { multiline: true }) || null;
      check.check();
      return transact(async (trx) => {
        await lockSolutionGraph(trx);
        const solution = await lockVisibleSolution(trx, viewer, solutionId);
        if (solution.visibility === 'draft') throw new ConflictError('a draft cannot be adopted; publish it first');
        if (solution.visibility === 'hidden') throw new ConflictError('this solution is hidden by moderators and takes no new adoptions');
        if (solution.status === 'archived') throw new ConflictError('this solution is archived and takes no new adoptions');
        const existing = await trx.selectFrom('adoptions').select(['stage', 'note'])
          .where('solution_id', '=', solutionId).where('council_id', '=', member.councilId)
          .executeTakeFirst();
        // Saying the same thing again is not news: no write, no event.
        if (existing && existing.stage === cleanStage && existing.note === cleanNote) return solution;
        await trx.insertInto('adoptions')
          .values({ solution_id: solutionId, council_id: member.councilId, member_id: member.memberId, stage: cleanStage!, note: cleanNote })
          .onConflict((oc) => oc.columns(['solution_id', 'council_id']).doUpdateSet({
            stage: cleanStage!, note: cleanNote, member_id: member.memberId, updated_at: hubNow(),
          }))
          .execute();
        const [row] = await recountSolutions(trx, [solutionId]);
        await recountProblemsOfSolution(trx, solutionId);
        const updated = toSolution(row!);
        await appendEvent(trx, store.eventFor(updated, 'solution.adopted', {
          adoptingCouncilId: member.councilId,
          stage: cleanStage,
          previousStage: existing?.stage ?? null,
          note: cleanNote,
          adoptionCount: updated.adoptionCount,
          ...actedBy(member),
        }));
        return updated;
      });
    },
  };
}
