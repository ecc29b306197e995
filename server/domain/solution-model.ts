import type { Transaction } from 'kysely';
import type { Database, SolutionRow, SolutionsTable } from '../db/database.js';
import { SOLUTION_ROWS } from './content-rows.js';
import { canSee, type Viewer } from '../auth/viewer.js';
import { toContentItem, type ContentItem, type ContentKind, type Summary, type SummaryRow } from './content.js';
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
  /** YYYY-MM-DD: when its current phase is expected to end, if its council said. */
  readonly phaseEndsOn: string | null;
  /** A freshness nudge about it went unanswered (cleared by any edit or "still current"). */
  readonly mayBeOutOfDate: boolean;
}

export function toSolution(row: SolutionRow): Solution;
export function toSolution(row: SummaryRow<SolutionRow>): Summary<Solution>;
export function toSolution(row: SummaryRow<SolutionRow>): Summary<Solution> {
  // Object.assign, not a spread: see toProblem (a spread costs ~30x as much per row on Node 20).
  return Object.assign(toContentItem('solution', row), {
    status: row.status,
    // These three are written only through checkSolutionInput, which admits these values alone.
    kind: row.kind as SolutionKind,
    phase: row.phase as SolutionPhase,
    licence: row.licence,
    url: row.url,
    sourceUrl: row.source_url,
    costBand: row.cost_band as CostBand | null,
    adoptionCount: row.adoption_count,
    problemCount: row.problem_count,
    phaseEndsOn: row.phase_ends_on,
    mayBeOutOfDate: row.out_of_date,
  });
}

export const SOLUTION_CONTENT: ContentKind<SolutionsTable, Solution> = {
  rows: SOLUTION_ROWS, subject: 'solution', label: 'solution', toItem: (row: SolutionRow) => toSolution(row),
  // The `phases` event filter matches it on every solution event.
  eventFields: (item) => ({ phase: item.phase }),
};

/** Loads and locks a solution the viewer can see; anything else is "not found". */
export async function lockVisibleSolution(trx: Transaction<Database>, viewer: Viewer, id: string): Promise<Solution> {
  const row = await SOLUTION_ROWS.lock(trx, id);
  const solution = row ? toSolution(row) : undefined;
  if (!solution || !canSee(viewer, solution)) throw new NotFoundError('solution', id);
  return solution;
}
