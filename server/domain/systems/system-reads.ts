import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { firstPerParent, rankWithin } from '../first-per-parent.js';
import { groupBy } from '../group-by.js';
import { inIdOrder } from '../in-id-order.js';
import { LIST_CAPS } from '../list-caps.js';
import { runsMatchingSystem, type SystemFilter } from './system-filter.js';
import { toCouncilSystem, type CouncilSystem, type SystemCategory } from './system-model.js';

/** Councils that share a problem and run the same system: partners for joint procurement. */
export interface SharedSystem {
  readonly supplier: string;
  readonly product: string;
  readonly category: SystemCategory;
  /** Each council on it, with its contract's end when it said. */
  readonly councils: readonly { readonly councilId: string; readonly contractEndsOn: string | null }[];
}

interface SharedRow {
  problem_id: string; system_key: string; council_id: string; supplier: string; product: string;
  category: string; contract_ends_on: string | null;
}

/** Systems are public details of a council, like its region: every viewer may read them. */
export function createSystemReader({ db }: { db: Kysely<Database> }) {
  return {
    async findMany(ids: readonly string[]): Promise<(CouncilSystem | null)[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('council_systems').selectAll().where('id', 'in', [...ids]).execute();
      return inIdOrder(ids, rows.map(toCouncilSystem));
    },

    /** Each council's systems by category, then supplier and product. */
    async systemsOf(councilIds: readonly string[]): Promise<CouncilSystem[][]> {
      if (councilIds.length === 0) return [];
      const rows = await firstPerParent(db, db.selectFrom('council_systems').selectAll()
        .select(rankWithin('council_id', [['category', 'asc'], ['supplier', 'asc'], ['product', 'asc'], ['id', 'asc']]).as('rank'))
        .where('council_id', 'in', [...councilIds]), LIST_CAPS.systems);
      return groupBy(councilIds, rows.map((r) => ({ key: r.council_id, value: toCouncilSystem(r) })));
    },

    /** For each system, the other councils that run the same one, by name. */
    async councilsOnSameSystem(systemIds: readonly string[]): Promise<string[][]> {
      if (systemIds.length === 0) return [];
      const pairs = db.selectFrom('council_systems as s')
        .innerJoin('council_systems as o', (j) => j.onRef('o.system_key', '=', 's.system_key').onRef('o.council_id', '<>', 's.council_id'))
        .innerJoin('councils as c', 'c.id', 'o.council_id')
        .select(['s.id as system_id', 'o.council_id', 'c.name'])
        .distinct()
        .where('s.id', 'in', [...systemIds]);
      const rows = await firstPerParent(db, db.selectFrom(pairs.as('p')).selectAll()
        .select(rankWithin('p.system_id', [['p.name', 'asc'], ['p.council_id', 'asc']]).as('rank')), LIST_CAPS.sameSystem);
      return groupBy(systemIds, rows.map((r) => ({ key: r.system_id, value: r.council_id })));
    },

    /** Ids of the councils that run a matching system (at most every council: a few hundred). */
    async councilIdsMatching(filter: SystemFilter): Promise<string[]> {
      const rows = await db.selectFrom('councils').select('id').where((eb) => runsMatchingSystem(eb, filter)).execute();
      return rows.map((r) => r.id);
    },

    /**
     * For each problem, the systems run by two or more of the councils that share it (its
     * own council and its supporters), most councils first. One statement per batch; at
     * most LIST_CAPS.sharedSystems systems per problem and LIST_CAPS.sameSystem councils each.
     */
    async sharedSystemsOf(problemIds: readonly string[]): Promise<SharedSystem[][]> {
      if (problemIds.length === 0) return [];
      const ids = sql.join(problemIds.map((id) => sql`${id}::uuid`));
      const { rows } = await sql<SharedRow>`
        with involved as (
          select id as problem_id, council_id from problems where id in (${ids})
          union
          select problem_id, council_id from problem_supporters where problem_id in (${ids})
        ), matched as (
          select distinct on (i.problem_id, s.system_key, s.council_id)
            i.problem_id, s.system_key, s.council_id, s.supplier, s.product, s.category, s.contract_ends_on
          from involved i join council_systems s on s.council_id = i.council_id
          order by i.problem_id, s.system_key, s.council_id, s.contract_ends_on nulls last
        ), counted as (
          select *, count(*) over (partition by problem_id, system_key) as n from matched
        )
        select problem_id, system_key, council_id, supplier, product, category, contract_ends_on
        from counted where n >= 2
        order by problem_id, n desc, system_key, contract_ends_on nulls last, council_id`.execute(db);
      const groups = new Map<string, Map<string, SharedSystem & { councils: SharedSystem['councils'][number][] }>>();
      for (const row of rows) {
        const perProblem = groups.get(row.problem_id) ?? new Map();
        groups.set(row.problem_id, perProblem);
        let shared = perProblem.get(row.system_key);
        if (!shared) {
          if (perProblem.size >= LIST_CAPS.sharedSystems) continue;
          shared = { supplier: row.supplier, product: row.product, category: row.category as SystemCategory, councils: [] };
          perProblem.set(row.system_key, shared);
        }
        if (shared.councils.length < LIST_CAPS.sameSystem) shared.councils.push({ councilId: row.council_id, contractEndsOn: row.contract_ends_on });
      }
      return problemIds.map((id) => [...(groups.get(id)?.values() ?? [])]);
    },
  };
}

export type SystemReader = ReturnType<typeof createSystemReader>;
