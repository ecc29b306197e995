import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.js';

// The insights' SQL in one place. Every statement counts public rows only: items published
// and not archived, supports of such problems, adoptions (stage adopted) of such solutions.
// Months are UTC calendar months; `since` is the first day of the first month shown.

const PUBLIC = sql`visibility = 'published' and status <> 'archived'`;
const month = (column: string) => sql<string>`to_char(date_trunc('month', ${sql.ref(column)} at time zone 'UTC'), 'YYYY-MM')`;
const since = (column: string, months: number) =>
  sql`${sql.ref(column)} at time zone 'UTC' >= date_trunc('month', hub_now() at time zone 'UTC') - make_interval(months => ${months - 1})`;

/** Each (service area, council) where the council published or supports a public problem in the area. */
const INVOLVEMENT = sql`
  select distinct p.service_area, p.council_id from problems p where ${PUBLIC}
  union
  select distinct p.service_area, s.council_id from problem_supporters s join problems p on p.id = s.problem_id where ${PUBLIC}`;

async function rows<R>(db: Kysely<Database>, query: RawBuilder<R>): Promise<R[]> {
  return (await query.execute(db)).rows;
}

export const insightQueries = {
  currentMonth: (db: Kysely<Database>) =>
    rows(db, sql<{ month: string }>`select to_char(date_trunc('month', hub_now() at time zone 'UTC'), 'YYYY-MM') as month`),

  problemsByArea: (db: Kysely<Database>) => rows(db, sql<{ service_area: string; n: string }>`
    select service_area, count(*) as n from problems where ${PUBLIC} group by service_area`),

  councilsByArea: (db: Kysely<Database>) => rows(db, sql<{ service_area: string; n: string }>`
    select service_area, count(distinct council_id) as n from (${INVOLVEMENT}) i group by service_area`),

  regions: (db: Kysely<Database>) => rows(db, sql<{ region: string }>`select distinct region from councils order by region`),

  problemsByRegion: (db: Kysely<Database>) => rows(db, sql<{ region: string; n: string }>`
    select c.region, count(*) as n from problems p join councils c on c.id = p.council_id where ${PUBLIC} group by c.region`),

  supportsByRegion: (db: Kysely<Database>) => rows(db, sql<{ region: string; n: string }>`
    select c.region, count(*) as n from problem_supporters s join problems p on p.id = s.problem_id join councils c on c.id = s.council_id
    where ${PUBLIC} group by c.region`),

  councilsByRegion: (db: Kysely<Database>) => rows(db, sql<{ region: string; n: string }>`
    select c.region, count(distinct i.council_id) as n from (${INVOLVEMENT}) i join councils c on c.id = i.council_id group by c.region`),

  mostShared: (db: Kysely<Database>, limit: number) => rows(db, sql<{ problem_id: string; n: string }>`
    select p.id as problem_id, 1 + count(s.council_id) as n
    from problems p left join problem_supporters s on s.problem_id = p.id and s.council_id <> p.council_id
    where ${PUBLIC}
    group by p.id, p.published_at having count(s.council_id) > 0 order by n desc, p.published_at desc, p.id limit ${limit}`),

  /** The problem's own council first, then its supporters in the order they joined. */
  councilsOf: (db: Kysely<Database>, problemIds: readonly string[], cap: number) => rows(db, sql<{ problem_id: string; council_id: string }>`
    select problem_id, council_id from (
      select problem_id, council_id, row_number() over (partition by problem_id order by rank, at, council_id) as r from (
        select id as problem_id, council_id, 0 as rank, published_at as at from problems where id in (${sql.join(problemIds.map((id) => sql`${id}::uuid`))})
        union all
        select s.problem_id, s.council_id, 1, s.created_at from problem_supporters s join problems p on p.id = s.problem_id
          where s.problem_id in (${sql.join(problemIds.map((id) => sql`${id}::uuid`))}) and s.council_id <> p.council_id
      ) both_kinds
    ) ranked where r <= ${cap} order by problem_id, r`),

  adoptionsByMonth: (db: Kysely<Database>, months: number) => rows(db, sql<{ month: string; n: string }>`
    select ${month('a.updated_at')} as month, count(*) as n
    from adoptions a join solutions s on s.id = a.solution_id
    where a.stage = 'adopted' and s.visibility = 'published' and s.status <> 'archived' and ${since('a.updated_at', months)}
    group by 1`),

  adoptionFlows: (db: Kysely<Database>, limit: number) => rows(db, sql<{ from_council: string; to_council: string; n: string }>`
    select s.council_id as from_council, a.council_id as to_council, count(*) as n
    from adoptions a join solutions s on s.id = a.solution_id
    where a.stage = 'adopted' and s.visibility = 'published' and s.status <> 'archived' and a.council_id <> s.council_id
    group by 1, 2 order by n desc, 1, 2 limit ${limit}`),

  outcomes: (db: Kysely<Database>) => rows(db, sql<{ service_area: string; outcome: string; n: string }>`
    select service_area, outcome, count(*) as n from case_studies where ${PUBLIC} group by 1, 2`),

  publishedByMonth: (db: Kysely<Database>, table: 'problems' | 'solutions' | 'case_studies', months: number) => rows(db, sql<{ month: string; n: string }>`
    select ${month('published_at')} as month, count(*) as n from ${sql.table(table)}
    where ${PUBLIC} and published_at is not null and ${since('published_at', months)} group by 1`),

  supportsByMonth: (db: Kysely<Database>, months: number) => rows(db, sql<{ month: string; n: string }>`
    select ${month('s.created_at')} as month, count(*) as n
    from problem_supporters s join problems p on p.id = s.problem_id
    where p.visibility = 'published' and p.status <> 'archived' and ${since('s.created_at', months)} group by 1`),
};
