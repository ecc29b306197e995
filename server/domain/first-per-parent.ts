import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/database.js';

export type RankOrder = readonly (readonly [column: string, direction: 'asc' | 'desc'])[];

/** `row_number() over (partition by parent order by ...)`, selected `as('rank')` for firstPerParent. */
export function rankWithin(parent: string, order: RankOrder): RawBuilder<string> {
  const by = sql.join(order.map(([column, direction]) => sql`${sql.ref(column)} ${sql.raw(direction === 'desc' ? 'desc' : 'asc')}`));
  return sql<string>`row_number() over (partition by ${sql.ref(parent)} order by ${by})`;
}

/**
 * The first `cap` rows per parent of a query that selects a `rank` (rankWithin), in rank
 * order. The database applies the limit, so a parent with a million links costs this process
 * `cap` rows, not a million.
 */
export function firstPerParent<O extends { rank: string }>(
  db: Kysely<Database>,
  ranked: SelectQueryBuilder<Database, any, O>,
  cap: number,
): Promise<O[]> {
  const outer = (db as Kysely<any>).selectFrom(ranked.as('ranked')).selectAll().where('rank', '<=', cap).orderBy('rank');
  return outer.execute() as Promise<O[]>;
}
