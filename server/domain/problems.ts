import type { Kysely, Transaction } from 'kysely';
import type { Database, ProblemRow } from '../db/database.js';
import { PROBLEM_ROWS } from './content-rows.js';
import type { Transact } from '../db/transact.js';
import { canSee, type Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import {
  actedBy, checkCommonInput, checkSourceUrl, createContentStore, newCommonColumns, requireMember, toContentItem,
  type CommonInput, type ContentItem, type SourcedInput, type Summary, type SummaryRow,
} from './content.js';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { createContentListing, ownersOf, type Listed, type ListFilter, type PageRequest, type SortColumn } from './listing.js';
import { publishLinked, recountSolutions, SOLUTIONS_OF_PROBLEM } from './solution-graph.js';
import { inIdOrder } from './in-id-order.js';
import { firstPerParent, rankWithin } from './first-per-parent.js';
import { groupBy } from './group-by.js';
import { LIST_CAPS } from './list-caps.js';
import { checkPhaseEnd, FRESHENED, type FreshnessInput } from './freshness-input.js';

export const PROBLEM_STATUSES = ['open', 'exploring', 'solved', 'archived'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export interface Problem extends ContentItem {
  readonly subject: 'problem';
  readonly status: ProblemStatus;
  readonly supporterCount: number;
  readonly solutionCount: number;
  readonly adoptionCount: number;
  readonly sourceUrl: string | null;
  /** The problem this one is the same as: it was archived when its council said so (markSameAs). */
  readonly sameAsId: string | null;
  /** YYYY-MM-DD: when its current phase is expected to end, if its council said. */
  readonly phaseEndsOn: string | null;
  /** A freshness nudge about it went unanswered (cleared by any edit or "still current"). */
  readonly mayBeOutOfDate: boolean;
}

export interface MarkSameAsInput {
  /** The viewer's council's problem (a draft or published). */
  id: string;
  /** Another council's published problem, or one of the viewer's council's own. */
  sameAsId: string;
  note?: string | null;
  version?: number | null;
}

export type CreateProblemInput = CommonInput & SourcedInput & FreshnessInput;

export interface UpdateProblemInput extends CommonInput, SourcedInput, FreshnessInput {
  id: string;
  version: number;
  status?: string | null;
}

export function toProblem(row: ProblemRow): Problem;
export function toProblem(row: SummaryRow<ProblemRow>): Summary<Problem>;
export function toProblem(row: SummaryRow<ProblemRow>): Summary<Problem> {
  // Object.assign, not a spread: on Node 20 `{ ...item, more }` costs ~30x as much, and a
  // page maps up to 100 rows per request.
  return Object.assign(toContentItem('problem', row), {
    status: row.status,
    supporterCount: row.supporter_count,
    solutionCount: row.solution_count,
    adoptionCount: row.adoption_count,
    sourceUrl: row.source_url,
    sameAsId: row.same_as_id,
    phaseEndsOn: row.phase_ends_on,
    mayBeOutOfDate: row.out_of_date,
  });
}

export function createProblemService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  const listContent = createContentListing(db);
  const store = createContentStore({ rows: PROBLEM_ROWS, subject: 'problem', label: 'problem', toItem: (row: ProblemRow) => toProblem(row) }, transact);

  return {
    async create(viewer: Viewer, input: CreateProblemInput): Promise<Problem> {
      requireMember(viewer);
      const check = new InputChecker();
      const common = checkCommonInput(check, input, true);
      const source = checkSourceUrl(check, input);
      const phaseEnd = checkPhaseEnd(check, input);
      check.check();
      return store.create(viewer, { ...newCommonColumns(common), ...source, ...phaseEnd });
    },

    async update(viewer: Viewer, input: UpdateProblemInput): Promise<Problem> {
      requireMember(viewer);
      const check = new InputChecker();
      // Archiving has its own mutation, which removes the problem from listings and search.
      const status = check.oneOf('status', input.status, ['open', 'exploring', 'solved'] as const, false);
      const columns = { ...checkCommonInput(check, input, false), ...checkSourceUrl(check, input), ...checkPhaseEnd(check, input), ...(status ? { status } : {}) };
      if (Object.keys(columns).length === 0) check.fail('input', 'names no field to change');
      check.check();
      return store.update(viewer, input.id, input.version, columns, status ? ['problem.status_changed'] : [], FRESHENED);
    },

    /** Publishing also recounts linked solutions, which count published problems only. */
    publish: (viewer: Viewer, id: string, version?: number | null) =>
      publishLinked(transact, store, viewer, id, version, SOLUTIONS_OF_PROBLEM, recountSolutions),
    archive: (viewer: Viewer, id: string, version?: number | null) => store.archive(viewer, id, version),
    /** "Still current": answers a freshness nudge and clears the mark; counts as a change. */
    confirmCurrent: (viewer: Viewer, id: string, version?: number | null) => store.record(viewer, id, version, FRESHENED, 'problem.confirmed_current'),

    /** "We have this problem too": the viewer's council joins a published problem. */
    async support(viewer: Viewer, problemId: string, note?: string | null): Promise<Problem> {
      const member = requireMember(viewer);
      const check = new InputChecker();
      const cleanNote = check.text('note', note, LIMITS.note, { multiline: true }) ?? null;
      check.check();
      return transact(async (trx) => {
        const problem = await lockVisible(trx, viewer, problemId);
        if (problem.visibility === 'draft') throw new ConflictError('a draft cannot be supported; publish it first');
        if (problem.visibility === 'hidden') throw new ConflictError('this problem is hidden by moderators and takes no new support');
        if (problem.councilId === member.councilId) {
          throw new ValidationError([{ field: 'problemId', message: 'your council owns this problem already' }]);
        }
        const existing = await trx
          .selectFrom('problem_supporters').select('note')
          .where('problem_id', '=', problemId).where('council_id', '=', member.councilId)
          .executeTakeFirst();
        // Saying it again is harmless: only a new supporter or a changed note is news.
        if (existing && existing.note === cleanNote) return problem;
        if (existing) {
          await trx.updateTable('problem_supporters').set({ note: cleanNote })
            .where('problem_id', '=', problemId).where('council_id', '=', member.councilId).execute();
        } else {
          await trx.insertInto('problem_supporters')
            .values({ problem_id: problemId, council_id: member.councilId, member_id: member.memberId, note: cleanNote })
            .execute();
        }
        const updated = existing ? problem : await recountSupporters(trx, problemId);
        await appendEvent(trx, store.eventFor(updated, 'problem.supported', { supporterCouncilId: member.councilId, note: cleanNote, ...actedBy(member) }));
        return updated;
      });
    },

    /**
     * "Same problem": the viewer's council says its problem (a draft, or one it published) is
     * the same as an existing published one. Its problem is archived and points there; its
     * council, and every council that supported its problem, now support the existing one,
     * so the demand adds up in one place. One transaction: the change and its events commit
     * together. Returns the archived problem and the one it is the same as.
     */
    async markSameAs(viewer: Viewer, input: MarkSameAsInput): Promise<{ problem: Problem; sameAs: Problem }> {
      const member = requireMember(viewer);
      const check = new InputChecker();
      const cleanNote = check.text('note', input.note, LIMITS.note, { multiline: true }) ?? null;
      if (input.id === input.sameAsId) check.fail('sameAsId', 'names the problem itself');
      check.check();
      return transact(async (trx) => {
        // Lock in id order, so two councils marking each other's problems cannot deadlock.
        const [first, second] = [input.id, input.sameAsId].sort();
        for (const id of [first!, second!]) await PROBLEM_ROWS.lock(trx, id);
        const mine = await store.loadForEdit(trx, viewer, input.id, input.version);
        if (mine.status === 'archived') throw new ConflictError('this problem is already archived', mine.version);
        const existing = await lockVisible(trx, viewer, input.sameAsId);
        if (existing.visibility !== 'published' || existing.status === 'archived') {
          throw new ValidationError([{ field: 'sameAsId', message: 'must be a published problem that is not archived' }]);
        }
        const problem = await store.applyChange(trx, mine, { status: 'archived', same_as_id: existing.id }, ['problem.archived'], {
          sameAsProblemId: existing.id, target: { type: 'problem', id: existing.id }, ...actedBy(member),
        });
        // The marking council, then every council that supported its problem, in that order.
        const carried = await trx.selectFrom('problem_supporters').select(['council_id', 'member_id', 'note'])
          .where('problem_id', '=', mine.id).orderBy('created_at').execute();
        const joining = [{ council_id: member.councilId, member_id: member.memberId, note: cleanNote }, ...carried]
          .filter((s, i, all) => s.council_id !== existing.councilId && all.findIndex((o) => o.council_id === s.council_id) === i);
        const already = new Set(joining.length === 0 ? [] : (await trx.selectFrom('problem_supporters').select('council_id')
          .where('problem_id', '=', existing.id).where('council_id', 'in', joining.map((s) => s.council_id)).execute()).map((r) => r.council_id));
        const added = joining.filter((s) => !already.has(s.council_id));
        if (added.length === 0) return { problem, sameAs: existing };
        await trx.insertInto('problem_supporters')
          .values(added.map((s) => ({ problem_id: existing.id, council_id: s.council_id, member_id: s.member_id, note: s.note })))
          .execute();
        const sameAs = await recountSupporters(trx, existing.id);
        for (const s of added) {
          await appendEvent(trx, store.eventFor(sameAs, 'problem.supported', { supporterCouncilId: s.council_id, note: s.note, ...actedBy(member) }));
        }
        return { problem, sameAs };
      });
    },

    async withdrawSupport(viewer: Viewer, problemId: string): Promise<Problem> {
      const member = requireMember(viewer);
      return transact(async (trx) => {
        await lockVisible(trx, viewer, problemId);
        const deleted = await trx
          .deleteFrom('problem_supporters')
          .where('problem_id', '=', problemId)
          .where('council_id', '=', member.councilId)
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) === 0) throw new ConflictError('your council does not support this problem');
        const updated = await recountSupporters(trx, problemId);
        await appendEvent(trx, store.eventFor(updated, 'problem.support_withdrawn', { supporterCouncilId: member.councilId, ...actedBy(member) }));
        return updated;
      });
    },

    /**
     * For each problem, the problems marked as the same as it (markSameAs), newest first, at
     * most LIST_CAPS.sameProblems each; what the viewer may not see is left out.
     */
    async sameAsOf(viewer: Viewer, ids: readonly string[]): Promise<Problem[][]> {
      if (ids.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('problems').selectAll()
        .select(rankWithin('same_as_id', [['created_at', 'desc'], ['id', 'asc']]).as('rank'))
        .where('same_as_id', 'in', [...ids]), LIST_CAPS.sameProblems);
      const visible = rows.map((row) => toProblem(row)).filter((p) => canSee(viewer, p));
      return groupBy(ids, visible.map((p) => ({ key: p.sameAsId!, value: p })));
    },

    /** Problems by id in the order asked, null where missing or not visible to the viewer. */
    async findMany(viewer: Viewer, ids: readonly string[]): Promise<(Problem | null)[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('problems').selectAll().where('id', 'in', [...ids]).execute();
      return inIdOrder(ids, rows.map((row) => toProblem(row)), (item) => canSee(viewer, item));
    },

    async list(viewer: Viewer, filter: ListFilter, sort: SortColumn, page: PageRequest): Promise<Listed<Summary<Problem>>> {
      const rows = await listContent('problems', viewer, filter, sort, page);
      return { items: rows.map(toProblem), councils: ownersOf(rows) };
    },
  };

  async function lockVisible(trx: Transaction<Database>, viewer: Viewer, id: string): Promise<Problem> {
    const row = await PROBLEM_ROWS.lock(trx, id);
    const problem = row ? toProblem(row) : undefined;
    if (!problem || !canSee(viewer, problem)) throw new NotFoundError('problem', id);
    return problem;
  }

  /** Counts are derived, not edited: recomputing them keeps retries and races harmless. */
  async function recountSupporters(trx: Transaction<Database>, id: string): Promise<Problem> {
    const row = await trx
      .updateTable('problems')
      .set((eb) => ({
        supporter_count: eb.selectFrom('problem_supporters').select((e) => e.fn.countAll<number>().as('n'))
          .where('problem_id', '=', id),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toProblem(row);
  }
}

export type ProblemService = ReturnType<typeof createProblemService>;
