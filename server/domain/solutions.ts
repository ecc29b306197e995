import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { canSee, type Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import { actedBy, createContentStore, newCommonColumns, requireMember, type Summary } from './content.js';
import { ValidationError } from '../kernel/errors.js';
import { defined } from '../kernel/must.js';
import { InputChecker } from './input-checker.js';
import { createContentListing, ownersOf, type Listed, type ListFilter, type PageRequest, type SortColumn } from './listing.js';
import { createAdoptionActions } from './solution-adoptions.js';
import { PROBLEMS_OF_SOLUTION, publishLinked, recountProblems } from './solution-graph.js';
import { checkSolutionInput, replacePartners, type SolutionFieldsInput } from './solution-input.js';
import { createLinkActions } from './solution-links.js';
import { SOLUTION_CONTENT, toSolution, type Solution } from './solution-model.js';
import { createSolutionReads } from './solution-reads.js';
import { inIdOrder } from './in-id-order.js';
import { FRESHENED } from './freshness-input.js';

export type { Solution } from './solution-model.js';

export type CreateSolutionInput = SolutionFieldsInput;

export interface UpdateSolutionInput extends SolutionFieldsInput {
  id: string;
  version: number;
}

export interface SolutionFilter extends Omit<ListFilter, 'columnsIn'> {
  kinds?: readonly string[] | null;
  phases?: readonly string[] | null;
}

/** Solutions: the shared content lifecycle plus partners, adoptions and links to problems. */
export function createSolutionService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  const listContent = createContentListing(db);
  const store = createContentStore(SOLUTION_CONTENT, transact);
  const details = (s: Solution) => ({ kind: s.kind, phase: s.phase, costBand: s.costBand });

  return {
    ...createAdoptionActions({ transact }),
    ...createLinkActions({ transact }),
    ...createSolutionReads({ db }),

    async create(viewer: Viewer, input: CreateSolutionInput): Promise<Solution> {
      requireMember(viewer);
      const check = new InputChecker();
      const { columns, partners } = checkSolutionInput(check, input, true);
      check.check();
      const values = { ...columns, ...newCommonColumns(columns), kind: defined(columns.kind, 'required input kind'), phase: defined(columns.phase, 'required input phase') };
      return store.create(viewer, values, async (trx, solution) => {
        await replacePartners(trx, solution.id, solution.councilId, partners ?? []);
        return { ...details(solution), partnerCouncilIds: [...new Set(partners)] };
      });
    },

    async update(viewer: Viewer, input: UpdateSolutionInput): Promise<Solution> {
      requireMember(viewer);
      const check = new InputChecker();
      const { columns, partners } = checkSolutionInput(check, input, false);
      if (Object.keys(columns).length === 0 && partners === undefined) check.fail('input', 'names no field to change');
      check.check();
      return transact(async (trx) => {
        const current = await store.loadForEdit(trx, viewer, input.id, input.version);
        if (partners) await replacePartners(trx, current.id, current.councilId, partners);
        const changed = [...Object.keys(columns), ...(partners ? ['partners'] : [])];
        const after = { ...details(current), ...(columns.kind ? { kind: columns.kind } : {}), ...(columns.phase ? { phase: columns.phase } : {}) };
        return store.applyChange(trx, current, { ...columns, ...FRESHENED }, ['solution.updated'], { changed, ...after, ...actedBy(viewer) });
      });
    },

    /** Publishing also recounts linked problems, which count published solutions only. */
    publish: (viewer: Viewer, id: string, version?: number | null) =>
      publishLinked(transact, store, viewer, id, version, PROBLEMS_OF_SOLUTION, recountProblems),

    archive: (viewer: Viewer, id: string, version?: number | null) => store.archive(viewer, id, version),
    /** "Still current": answers a freshness nudge and clears the mark; counts as a change. */
    confirmCurrent: (viewer: Viewer, id: string, version?: number | null) => store.record(viewer, id, version, FRESHENED, 'solution.confirmed_current'),

    /** Solutions by id in the order asked, null where missing or not visible to the viewer. */
    async findMany(viewer: Viewer, ids: readonly string[]): Promise<(Solution | null)[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('solutions').selectAll().where('id', 'in', [...ids]).execute();
      return inIdOrder(ids, rows.map((row) => toSolution(row)), (item) => canSee(viewer, item));
    },

    async list(viewer: Viewer, filter: SolutionFilter, sort: SortColumn, page: PageRequest): Promise<Listed<Summary<Solution>>> {
      if (sort === 'supporter_count') {
        throw new ValidationError([{ field: 'orderBy', message: 'MOST_SHARED orders problems only; use NEWEST or MOST_ADOPTED' }]);
      }
      const { kinds, phases, ...common } = filter;
      const rows = await listContent('solutions', viewer, { ...common, columnsIn: { kind: kinds, phase: phases } }, sort, page);
      return { items: rows.map(toSolution), councils: ownersOf(rows) };
    },
  };
}

export type SolutionService = ReturnType<typeof createSolutionService>;
