import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { canSee, type Viewer } from '../auth/viewer.js';
import { toContentItem, type ContentItem, type ContentKind } from './content.js';
import { NotFoundError } from '../kernel/errors.js';
import type { CostBand, SolutionKind, SolutionPhase } from './solution-input.js';

export const SOLUTION_STATUSES = ['active', 'archived'] as const;
export type SolutionStatus = (typeof SOLUTION_STATUSES)[number];

export interface Solution extends ContentItem {
  readonly subject: 'solution';
  readonly status: SolutionStatus;
  readonly kind: SolutionKind;
  readonly phase: SolutionPhase;
  readonly licence: string | null;
  readonly url: string | null;
  readonly sourceUrl: string | null;
  readonly costBand: CostBand | null;
  /** Councils at stage `adopted`. */
  readonly adoptionCount: number;
  /** Published problems this solution is linked to. */
  readonly problemCount: number;
}

export function toSolution(row: Record<string, any>): Solution {
  // Object.assign, not a spread: see toProblem (a spread costs ~30x as much per row on Node 20).
  return Object.assign(toContentItem('solution', row), {
    status: row.status as SolutionStatus,
    kind: row.kind as SolutionKind,
    phase: row.phase as SolutionPhase,
    licence: row.licence as string | null,
    url: row.url as string | null,
    sourceUrl: row.source_url as string | null,
    costBand: row.cost_band as CostBand | null,
    adoptionCount: row.adoption_count as number,
    problemCount: row.problem_count as number,
  });
}

export const SOLUTION_CONTENT: ContentKind<Solution> = { table: 'solutions', subject: 'solution', label: 'solution', toItem: toSolution };

/** Loads and locks a solution the viewer can see; anything else is "not found". */
export async function lockVisibleSolution(trx: Transaction<Database>, viewer: Viewer, id: string): Promise<Solution> {
  const row = await trx.selectFrom('solutions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  const solution = row ? toSolution(row) : undefined;
  if (!solution || !canSee(viewer, solution)) throw new NotFoundError('solution', id);
  return solution;
}
