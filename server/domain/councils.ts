import type { Kysely } from 'kysely';
import type { CouncilRow, Database } from '../db/database.js';
import { inIdOrder } from './in-id-order.js';
import { isSystemFilterEmpty, runsMatchingSystem, type SystemFilter } from './systems/system-filter.js';

export const COUNCIL_KINDS = [
  'county', 'district', 'unitary', 'metropolitan_district', 'london_borough', 'combined_authority', 'other',
] as const;
export type CouncilKind = (typeof COUNCIL_KINDS)[number];

export const NATIONS_AND_REGIONS = [
  'North East', 'North West', 'Yorkshire and the Humber', 'East Midlands', 'West Midlands', 'East of England',
  'London', 'South East', 'South West', 'Scotland', 'Wales', 'Northern Ireland',
] as const;

export interface Council {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: CouncilKind;
  readonly region: string;
  readonly gssCode: string | null;
  readonly website: string | null;
  /** A council of the seeded sample data: its details are real, what it "publishes" is a demo. */
  readonly sample: boolean;
  readonly createdAt: Date;
}

export function toCouncil(row: Omit<CouncilRow, 'updated_at'>): Council {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind as CouncilKind,
    region: row.region,
    gssCode: row.gss_code,
    website: row.website,
    sample: row.sample,
    createdAt: row.created_at,
  };
}

/** Councils are public: every read here is allowed for every viewer. */
export function createCouncilReader({ db }: { db: Kysely<Database> }) {
  return {
    async findMany(ids: readonly string[]): Promise<(Council | null)[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('councils').selectAll().where('id', 'in', [...ids]).execute();
      return inIdOrder(ids, rows.map(toCouncil));
    },

    /** Whether the hub holds the seeded sample data (any sample council). */
    async holdsSampleData(): Promise<boolean> {
      const row = await db.selectFrom('councils').select('id').where('sample', '=', true).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async bySlug(slug: string): Promise<Council | null> {
      const row = await db.selectFrom('councils').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row ? toCouncil(row) : null;
    },

    /** Councils in name order, optionally narrowed by kind, region and the systems they run; small enough to page by offset. */
    async list(filter: { kinds?: readonly string[] | null; regions?: readonly string[] | null; systems?: SystemFilter | null }, offset: number, limit: number): Promise<Council[]> {
      let query = db.selectFrom('councils').selectAll();
      if (filter.kinds?.length) query = query.where('kind', 'in', [...filter.kinds]);
      if (filter.regions?.length) query = query.where('region', 'in', [...filter.regions]);
      const systems = filter.systems;
      if (systems && !isSystemFilterEmpty(systems)) query = query.where((eb) => runsMatchingSystem(eb, systems));
      const rows = await query.orderBy('name').orderBy('id').offset(offset).limit(limit).execute();
      return rows.map(toCouncil);
    },
  };
}

export type CouncilReader = ReturnType<typeof createCouncilReader>;
