import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { canSee, type Viewer } from '../auth/viewer.js';
import type { FieldProblem } from '../kernel/errors.js';
import { anyContentTable, TABLE_OF } from './content-rows.js';

export type LinkTarget = 'solution' | 'problem';

/** At most this many solutions, and this many problems, per case study. */
export const MAX_LINKS = 50;

export interface CaseStudyLinks {
  readonly solutionIds: readonly string[];
  readonly problemIds: readonly string[];
}

/**
 * Reports every id (by its input path, e.g. `solutionIds.2`) that names no row the viewer can
 * see: a link must not reveal, or point at, another council's draft. Reads the target tables
 * directly so case studies need nothing from the solution or problem services.
 */
export async function findUnlinkable(
  trx: Transaction<Database>,
  viewer: Viewer,
  target: LinkTarget,
  field: string,
  ids: readonly string[],
): Promise<FieldProblem[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .selectFrom(anyContentTable(trx, TABLE_OF[target], 'content'))
    .select(['id', 'council_id', 'visibility'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  const visible = new Set(rows.filter((r) => canSee(viewer, { councilId: r.council_id, visibility: r.visibility })).map((r) => r.id));
  return ids.flatMap((id, i) => visible.has(id) ? [] : [{ field: `${field}.${i}`, message: `is not a ${target} you can see` }]);
}

/**
 * The ids among `ids` of published targets. A published case study's events go to every
 * council (subscriptions, webhooks, inboxes), so they may name only what every council can
 * see: its own council's drafts stay out of them.
 */
export async function publishedAmong(trx: Transaction<Database>, target: LinkTarget, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom(anyContentTable(trx, TABLE_OF[target], 'content')).select('id')
    .where('id', 'in', [...ids]).where('visibility', '=', 'published').execute();
  const published = new Set(rows.map((r) => r.id));
  return ids.filter((id) => published.has(id));
}

/** Makes the case study link to exactly these targets. */
export async function replaceLinks(trx: Transaction<Database>, caseStudyId: string, target: LinkTarget, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (target === 'solution') {
    await trx.deleteFrom('case_study_solutions').where('case_study_id', '=', caseStudyId).execute();
    if (unique.length) await trx.insertInto('case_study_solutions').values(unique.map((id) => ({ case_study_id: caseStudyId, solution_id: id }))).execute();
  } else {
    await trx.deleteFrom('case_study_problems').where('case_study_id', '=', caseStudyId).execute();
    if (unique.length) await trx.insertInto('case_study_problems').values(unique.map((id) => ({ case_study_id: caseStudyId, problem_id: id }))).execute();
  }
}

/** The linked ids of many case studies in one statement (a DataLoader batch). */
export async function loadLinks(db: Kysely<Database>, caseStudyIds: readonly string[]): Promise<CaseStudyLinks[]> {
  if (caseStudyIds.length === 0) return [];
  const ids = [...caseStudyIds];
  const rows = await db
    .selectFrom('case_study_solutions')
    .select(['case_study_id', 'solution_id as target_id', sql<LinkTarget>`'solution'`.as('target')])
    .where('case_study_id', 'in', ids)
    .unionAll((eb) => eb
      .selectFrom('case_study_problems')
      .select(['case_study_id', 'problem_id as target_id', sql<LinkTarget>`'problem'`.as('target')])
      .where('case_study_id', 'in', ids))
    .execute();
  const byId = new Map(ids.map((id) => [id, { solutionIds: [] as string[], problemIds: [] as string[] }]));
  for (const row of rows) {
    const links = byId.get(row.case_study_id)!;
    (row.target === 'solution' ? links.solutionIds : links.problemIds).push(row.target_id);
  }
  return ids.map((id) => byId.get(id)!);
}
