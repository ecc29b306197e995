import type { Kysely, Transaction } from 'kysely';
import type { CaseStudiesTable, CaseStudyRow, Database } from '../db/database.js';
import { CASE_STUDY_ROWS, type NewRow, type RowChange } from './content-rows.js';
import type { Transact } from '../db/transact.js';
import { canSee, type Viewer } from '../auth/viewer.js';
import {
  actedBy, checkCommonInput, createContentStore, definedOnly, newCommonColumns, requireMember, toContentItem,
  type CommonInput, type ContentItem, type Summary, type SummaryRow,
} from './content.js';
import { findUnlinkable, loadLinks, MAX_LINKS, publishedAmong, replaceLinks, type CaseStudyLinks, type LinkTarget } from './case-study-links.js';
import { firstPerParent, rankWithin } from './first-per-parent.js';
import { groupBy } from './group-by.js';
import { LIST_CAPS } from './list-caps.js';
import { visibleTo } from './visible-to.js';
import { ValidationError } from '../kernel/errors.js';
import { defined } from '../kernel/must.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { createContentListing, ownersOf, type Listed, type ListFilter, type PageRequest, type SortColumn } from './listing.js';
import { isUuid } from './ids.js';
import { inIdOrder } from './in-id-order.js';

/** What happened: failures are worth as much to other councils as successes. */
export const CASE_STUDY_OUTCOMES = ['worked', 'partly_worked', 'did_not_work', 'too_early_to_tell'] as const;
export type CaseStudyOutcome = (typeof CASE_STUDY_OUTCOMES)[number];

export const CASE_STUDY_STATUSES = ['active', 'archived'] as const;
export type CaseStudyStatus = (typeof CASE_STUDY_STATUSES)[number];

/** Far above any council project, and within GraphQL's 32-bit Int. */
export const MAX_POUNDS = 1_000_000_000;

export interface CaseStudy extends ContentItem {
  readonly subject: 'case_study';
  readonly status: CaseStudyStatus;
  readonly outcome: CaseStudyOutcome;
  /** Markdown. */
  readonly lessons: string;
  readonly costPounds: number | null;
  readonly savingsClaimedPounds: number | null;
  readonly evidenceUrl: string | null;
}

export interface CreateCaseStudyInput extends CommonInput {
  outcome?: string | null;
  lessons?: string | null;
  /** Whole pounds; `null` on update clears the figure. */
  costPounds?: number | null;
  savingsClaimedPounds?: number | null;
  /** http(s); `null` on update clears it. */
  evidenceUrl?: string | null;
  /** When given, the case study links to exactly these; each must be visible to the viewer. */
  solutionIds?: readonly string[] | null;
  problemIds?: readonly string[] | null;
}

export interface UpdateCaseStudyInput extends CreateCaseStudyInput {
  id: string;
  version: number;
}

export interface CaseStudyFilter extends ListFilter {
  outcomes?: readonly string[] | null;
}

export function toCaseStudy(row: CaseStudyRow): CaseStudy;
export function toCaseStudy(row: SummaryRow<CaseStudyRow>): Summary<CaseStudy>;
export function toCaseStudy(row: SummaryRow<CaseStudyRow>): Summary<CaseStudy> {
  // Object.assign, not a spread: see toProblem (a spread costs ~30x as much per row on Node 20).
  return Object.assign(toContentItem('case_study', row), {
    status: row.status,
    // Written only through checkCaseStudyInput, which admits these values alone.
    outcome: row.outcome as CaseStudyOutcome,
    lessons: row.lessons,
    costPounds: row.cost_pounds,
    savingsClaimedPounds: row.savings_claimed_pounds,
    evidenceUrl: row.evidence_url,
  });
}

export function createCaseStudyService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  const listContent = createContentListing(db);
  const store = createContentStore({
    rows: CASE_STUDY_ROWS,
    subject: 'case_study',
    label: 'case study',
    toItem: (row: CaseStudyRow) => toCaseStudy(row),
    eventFields: (item) => ({ outcome: item.outcome }),
  }, transact);

  /** Validates the link lists against what the viewer can see, then writes them. */
  async function writeLinks(trx: Transaction<Database>, viewer: Viewer, id: string, input: CreateCaseStudyInput) {
    const unlinkable = [
      ...(input.solutionIds ? await findUnlinkable(trx, viewer, 'solution', 'solutionIds', input.solutionIds) : []),
      ...(input.problemIds ? await findUnlinkable(trx, viewer, 'problem', 'problemIds', input.problemIds) : []),
    ];
    if (unlinkable.length > 0) throw new ValidationError(unlinkable);
    const written: Partial<Record<keyof CaseStudyLinks, string[]>> = {};
    if (input.solutionIds) {
      await replaceLinks(trx, id, 'solution', input.solutionIds);
      written.solutionIds = [...new Set(input.solutionIds)];
    }
    if (input.problemIds) {
      await replaceLinks(trx, id, 'problem', input.problemIds);
      written.problemIds = [...new Set(input.problemIds)];
    }
    return written;
  }

  return {
    async create(viewer: Viewer, input: CreateCaseStudyInput): Promise<CaseStudy> {
      requireMember(viewer);
      const check = new InputChecker();
      const columns = checkCaseStudyInput(check, input, true);
      check.check();
      const values: NewRow<CaseStudiesTable> = { ...columns, ...newCommonColumns(columns), outcome: defined(columns.outcome, 'required input outcome') };
      return store.create(viewer, values, (trx, item) => writeLinks(trx, viewer, item.id, input));
    },

    async update(viewer: Viewer, input: UpdateCaseStudyInput): Promise<CaseStudy> {
      requireMember(viewer);
      const check = new InputChecker();
      const columns = checkCaseStudyInput(check, input, false);
      check.check();
      if (Object.keys(columns).length === 0 && !input.solutionIds && !input.problemIds) {
        throw new ValidationError([{ field: 'input', message: 'names no field to change' }]);
      }
      return transact(async (trx) => {
        const current = await store.loadForEdit(trx, viewer, input.id, input.version);
        const links = await writeLinks(trx, viewer, current.id, input);
        const changed = [...Object.keys(columns), ...Object.keys(links)];
        const named = current.visibility === 'published' ? await publishedLinks(trx, links) : links;
        return store.applyChange(trx, current, columns, ['case_study.updated'], { changed, ...named, ...actedBy(viewer) });
      });
    },

    publish: (viewer: Viewer, id: string, version?: number | null) => store.publish(viewer, id, version),
    archive: (viewer: Viewer, id: string, version?: number | null) => store.archive(viewer, id, version),

    /** Case studies by id in the order asked, null where missing or not visible to the viewer. */
    async findMany(viewer: Viewer, ids: readonly string[]): Promise<(CaseStudy | null)[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('case_studies').selectAll().where('id', 'in', [...ids]).execute();
      return inIdOrder(ids, rows.map((row) => toCaseStudy(row)), (item) => canSee(viewer, item));
    },

    /**
     * Linked ids of case studies the caller has already loaded for this viewer. The targets
     * still go through their own visibility checks when loaded.
     */
    links: (caseStudyIds: readonly string[]): Promise<CaseStudyLinks[]> => loadLinks(db, caseStudyIds),

    /** The case studies about each problem (or solution) the viewer may see, newest first, at most LIST_CAPS.caseStudies each. */
    async about(viewer: Viewer, target: LinkTarget, ids: readonly string[]): Promise<CaseStudy[][]> {
      if (ids.length === 0) return [];
      // Each link table names its target column differently; as `link.key` both read alike.
      const link = target === 'problem'
        ? db.selectFrom('case_study_problems').select(['case_study_id', 'problem_id as key']).where('problem_id', 'in', [...ids]).as('link')
        : db.selectFrom('case_study_solutions').select(['case_study_id', 'solution_id as key']).where('solution_id', 'in', [...ids]).as('link');
      const rows = await firstPerParent(db, db.selectFrom(link)
        .innerJoin('case_studies', 'case_studies.id', 'link.case_study_id')
        .selectAll('case_studies').select('link.key')
        .select(rankWithin('link.key', [['case_studies.created_at', 'desc'], ['case_studies.id', 'asc']]).as('rank'))
        .where(visibleTo(viewer, 'case_studies')), LIST_CAPS.caseStudies);
      return groupBy(ids, rows.map((r) => ({ key: r.key, value: toCaseStudy(r) })));
    },

    /** Newest first: counts that order problems and solutions mean nothing for case studies. */
    async list(viewer: Viewer, filter: CaseStudyFilter, sort: SortColumn, page: PageRequest): Promise<Listed<Summary<CaseStudy>>> {
      if (sort !== 'created_at') throw new ValidationError([{ field: 'orderBy', message: 'case studies can only be ordered by NEWEST' }]);
      const rows = await listContent('case_studies', viewer, { ...filter, columnsIn: { outcome: filter.outcomes } }, sort, page);
      return { items: rows.map(toCaseStudy), councils: ownersOf(rows) };
    },
  };
}

/** The links a published case study's event may name: published targets only (see publishedAmong). */
async function publishedLinks(trx: Transaction<Database>, links: Partial<Record<keyof CaseStudyLinks, string[]>>) {
  const named: Partial<Record<keyof CaseStudyLinks, string[]>> = {};
  if (links.solutionIds) named.solutionIds = await publishedAmong(trx, 'solution', links.solutionIds);
  if (links.problemIds) named.problemIds = await publishedAmong(trx, 'problem', links.problemIds);
  return named;
}

function checkCaseStudyInput(check: InputChecker, input: CreateCaseStudyInput, required: boolean): RowChange<CaseStudiesTable> {
  const columns = definedOnly({
    ...checkCommonInput(check, input, required),
    outcome: check.oneOf('outcome', input.outcome, CASE_STUDY_OUTCOMES, required),
    lessons: check.text('lessons', input.lessons, LIMITS.body, { multiline: true }) ?? (required ? '' : undefined),
    cost_pounds: check.wholeNumber('costPounds', input.costPounds, 0, MAX_POUNDS),
    savings_claimed_pounds: check.wholeNumber('savingsClaimedPounds', input.savingsClaimedPounds, 0, MAX_POUNDS),
    evidence_url: check.url('evidenceUrl', input.evidenceUrl),
  });
  for (const field of ['solutionIds', 'problemIds'] as const) {
    const ids = input[field];
    if (!ids) continue;
    if (ids.length > MAX_LINKS) check.fail(field, `must have at most ${MAX_LINKS} items`);
    else ids.forEach((id, i) => { if (!isUuid(id)) check.fail(`${field}.${i}`, 'is not an ID'); });
  }
  return columns;
}

export type CaseStudyService = ReturnType<typeof createCaseStudyService>;
