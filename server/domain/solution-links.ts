import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { canEdit, canSee, isMemberOf, type MemberViewer, type Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import { requireMember } from './content.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../kernel/errors.js';
import { toProblem, type Problem } from './problems.js';
import { lockSolutionGraph, recountProblems, recountSolutions } from './solution-graph.js';
import { lockVisibleSolution, toSolution, type Solution } from './solution-model.js';

/** Both ends of a link between a solution and a problem, with their counts after the change. */
export interface SolutionProblemLink {
  readonly solution: Solution;
  readonly problem: Problem;
}

export function createLinkActions({ transact }: { transact: Transact }) {
  /** Locks both ends (graph lock first, then solution, then problem) and checks the viewer may link them. */
  async function lockPair(trx: Transaction<Database>, viewer: Viewer, solutionId: string, problemId: string) {
    const member = requireMember(viewer);
    await lockSolutionGraph(trx);
    const solution = await lockVisibleSolution(trx, viewer, solutionId);
    const row = await trx.selectFrom('problems').selectAll().where('id', '=', problemId).forUpdate().executeTakeFirst();
    const problem = row ? toProblem(row) : undefined;
    if (!problem || !canSee(viewer, problem)) throw new NotFoundError('problem', problemId);
    if (!canEdit(member, solution.councilId) && !canEdit(member, problem.councilId)) {
      throw new ForbiddenError(isMemberOf(member, solution.councilId) || isMemberOf(member, problem.councilId)
        ? 'only editors and admins of the council may link solutions and problems'
        : 'your council must own the solution or the problem to link them');
    }
    return { member, solution, problem };
  }

  async function recountPair(trx: Transaction<Database>, solutionId: string, problemId: string): Promise<SolutionProblemLink> {
    const [solution] = await recountSolutions(trx, [solutionId]);
    const [problem] = await recountProblems(trx, [problemId]);
    return { solution: toSolution(solution!), problem: toProblem(problem!) };
  }

  /**
   * A link that involves a draft is news only to the council that owns the draft: nobody
   * sees another council's drafts, so when either end is a draft both belong to, or are
   * visible to, that one council. An item hidden by moderators is treated as a draft.
   */
  function linkEvent(type: EventType, link: SolutionProblemLink, member: MemberViewer) {
    const { solution, problem } = link;
    const draft = [solution, problem].find((item) => item.visibility !== 'published');
    return {
      type,
      subjectType: 'solution' as const,
      subjectId: solution.id,
      // Followers of the problem hear about solutions linked to it.
      target: { type: 'problem' as const, id: problem.id },
      councilId: draft?.councilId ?? solution.councilId,
      visibility: draft ? 'draft' as const : 'published' as const,
      payload: {
        title: solution.title,
        problemId: problem.id,
        problemTitle: problem.title,
        problemCouncilId: problem.councilId,
        solutionCouncilId: solution.councilId,
        byCouncilId: member.councilId,
        actorMemberId: member.memberId,
        problemCount: solution.problemCount,
        solutionCount: problem.solutionCount,
      },
    };
  }

  return {
    /**
     * An editor or admin of the council owning either end links a solution to a problem it
     * addresses. Linking again changes nothing and says nothing.
     */
    async linkSolutionToProblem(viewer: Viewer, solutionId: string, problemId: string): Promise<SolutionProblemLink> {
      return transact(async (trx) => {
        const { member, solution, problem } = await lockPair(trx, viewer, solutionId, problemId);
        const inserted = await trx.insertInto('solution_problems')
          .values({ solution_id: solutionId, problem_id: problemId, linked_by_council_id: member.councilId })
          .onConflict((oc) => oc.columns(['solution_id', 'problem_id']).doNothing())
          .returning('solution_id')
          .executeTakeFirst();
        if (!inserted) return { solution, problem };
        const link = await recountPair(trx, solutionId, problemId);
        await appendEvent(trx, linkEvent('solution.linked', link, member));
        return link;
      });
    },

    async unlinkSolutionFromProblem(viewer: Viewer, solutionId: string, problemId: string): Promise<SolutionProblemLink> {
      return transact(async (trx) => {
        const { member } = await lockPair(trx, viewer, solutionId, problemId);
        const deleted = await trx.deleteFrom('solution_problems')
          .where('solution_id', '=', solutionId).where('problem_id', '=', problemId)
          .returning('solution_id')
          .executeTakeFirst();
        if (!deleted) throw new ConflictError('this solution is not linked to this problem');
        const link = await recountPair(trx, solutionId, problemId);
        await appendEvent(trx, linkEvent('solution.unlinked', link, member));
        return link;
      });
    },
  };
}
