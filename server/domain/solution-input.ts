import type { Transaction } from 'kysely';
import type { Database, SolutionsTable } from '../db/database.js';
import type { RowChange } from './content-rows.js';
import { checkCommonInput, checkSourceUrl, type CommonInput, type SourcedInput } from './content.js';
import { ValidationError, type FieldProblem } from '../kernel/errors.js';
import { InputChecker } from './input-checker.js';
import { isUuid } from './ids.js';
import { checkPhaseEnd, type FreshnessInput } from './freshness-input.js';

export const SOLUTION_KINDS = ['software', 'service_pattern', 'process', 'data_standard', 'procurement_route', 'guidance'] as const;
export type SolutionKind = (typeof SOLUTION_KINDS)[number];

/** Delivery phases, as in the GDS service manual, plus retired. */
export const SOLUTION_PHASES = ['discovery', 'alpha', 'beta', 'live', 'retired'] as const;
export type SolutionPhase = (typeof SOLUTION_PHASES)[number];

/** Rough first-year cost for one council to adopt, in pounds: licences, hosting, set-up. */
export const COST_BANDS = ['free', 'under_10k', '10k_to_50k', '50k_to_250k', 'over_250k'] as const;
export type CostBand = (typeof COST_BANDS)[number];

export const LICENCE_MAX = 100;
/** More partners than this is not a partnership but a mailing list. */
export const PARTNERS_MAX = 50;

export interface SolutionFieldsInput extends CommonInput, SourcedInput, FreshnessInput {
  kind?: string | null;
  phase?: string | null;
  /** Free text such as "MIT", "OGL-UK-3.0" or "Proprietary"; null or empty clears it. */
  licence?: string | null;
  /** Source or product URL, http(s) only; null or empty clears it. */
  url?: string | null;
  costBand?: string | null;
  /** Partner council IDs; on update, replaces the set. */
  partnerIds?: readonly string[] | null;
}

export interface CheckedSolutionInput {
  columns: RowChange<SolutionsTable>;
  /** Partner council IDs; undefined leaves the partners as they are. */
  partners: string[] | undefined;
}

/** Checks everything that needs no database; `required` for creation. */
export function checkSolutionInput(check: InputChecker, input: SolutionFieldsInput, required: boolean): CheckedSolutionInput {
  const columns: RowChange<SolutionsTable> = { ...checkCommonInput(check, input, required) };
  const kind = check.oneOf('kind', input.kind, SOLUTION_KINDS, required);
  const phase = check.oneOf('phase', input.phase, SOLUTION_PHASES, required);
  if (kind) columns.kind = kind;
  if (phase) columns.phase = phase;
  if (input.licence !== undefined) {
    const licence = check.text('licence', input.licence, LICENCE_MAX);
    if (licence !== undefined || input.licence === null) columns.licence = licence || null;
  }
  const url = check.url('url', input.url);
  if (url !== undefined) columns.url = url;
  Object.assign(columns, checkSourceUrl(check, input), checkPhaseEnd(check, input));
  if (input.costBand === null) columns.cost_band = null;
  else {
    const costBand = check.oneOf('costBand', input.costBand, COST_BANDS, false);
    if (costBand) columns.cost_band = costBand;
  }
  let partners: string[] | undefined;
  if (input.partnerIds !== undefined && input.partnerIds !== null) {
    if (input.partnerIds.length > PARTNERS_MAX) check.fail('partnerIds', `must name at most ${PARTNERS_MAX} councils`);
    input.partnerIds.forEach((id, i) => { if (!isUuid(id)) check.fail(`partnerIds.${i}`, 'is not a council ID'); });
    partners = [...input.partnerIds];
  } else if (required) {
    partners = [];
  }
  return { columns, partners };
}

/**
 * Replaces a solution's partner councils. Runs inside the change's transaction, so an
 * unknown council fails the whole change and nothing is written.
 */
export async function replacePartners(
  trx: Transaction<Database>,
  solutionId: string,
  ownerCouncilId: string,
  partners: readonly string[],
): Promise<void> {
  const known = partners.length === 0 ? new Set<string>()
    : new Set((await trx.selectFrom('councils').select('id').where('id', 'in', [...partners]).execute()).map((r) => r.id));
  const problems: FieldProblem[] = [];
  partners.forEach((id, i) => {
    if (id === ownerCouncilId) problems.push({ field: `partnerIds.${i}`, message: 'is the council that owns the solution' });
    else if (!known.has(id)) problems.push({ field: `partnerIds.${i}`, message: 'is not a known council' });
  });
  if (problems.length > 0) throw new ValidationError(problems);
  await trx.deleteFrom('solution_partners').where('solution_id', '=', solutionId).execute();
  const unique = [...new Set(partners)];
  if (unique.length > 0) {
    await trx.insertInto('solution_partners')
      .values(unique.map((councilId) => ({ solution_id: solutionId, council_id: councilId })))
      .execute();
  }
}
