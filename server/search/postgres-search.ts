import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import { FACETS, type Facet, type FacetCount, type SearchFilter, type SearchHit, type SearchRequest, type SearchResult } from './engine.js';
import { MATCH_END, MATCH_START, toHighlightHtml } from './highlight.js';
import { planQuery, withCorrections, type QueryGroup, type SynonymIndex } from './query-plan.js';

// Title matches count most, then tags and summary, then body, then the council's name.
const WEIGHTS = sql.lit('{0.1,0.2,0.4,1.0}');
const HEADLINE_OPTIONS = `HighlightAll=true, StartSel=${MATCH_START}, StopSel=${MATCH_END}`;
const FACET_VALUES = 100;
// pg_trgm's default threshold: "housng" ~ "housing" scores 0.5, "repiars" ~ "repairs" 0.33.
const MIN_SIMILARITY = 0.3;

// One pass over the matches for the single-valued facets, one for tags.
const FACET_COUNTS = sql`(select coalesce(json_agg(f), '[]'::json) from (
  (select case when grouping(kind) = 0 then 'kind' when grouping(service_area) = 0 then 'serviceArea'
               when grouping(council_id) = 0 then 'councilId' else 'status' end as facet,
          coalesce(kind, service_area, council_id::text, status) as value, count(*)::int as n
   from hits group by grouping sets ((kind), (service_area), (council_id), (status)))
  union all (select 'tags', t, count(*)::int from hits, unnest(hits.tags) t group by t order by 3 desc, 2 limit ${sql.lit(FACET_VALUES)})
) f)`;

/** Postgres full-text search over `search_documents`, in one statement per attempt. */
export async function searchPostgres(db: Kysely<Database>, synonyms: SynonymIndex, request: SearchRequest): Promise<SearchResult> {
  const started = performance.now();
  const groups = await correctMisspellings(db, planQuery(request.query, synonyms), synonyms);
  let result = await runSearch(db, groups, 'and', request);
  // Like Meilisearch's "last" matching strategy: when no item has every word, rank the
  // items that have some of them rather than answering with nothing.
  if (result.total === 0 && groups.length > 1) result = await runSearch(db, groups, 'or', request);
  return { ...result, processingTimeMs: Math.round(performance.now() - started) };
}

/** Words the index has never seen get their nearest indexed words as alternatives. */
async function correctMisspellings(db: Kysely<Database>, groups: QueryGroup[], synonyms: SynonymIndex): Promise<QueryGroup[]> {
  const words = groups.filter((g) => g.correctable).map((g) => g.text);
  if (words.length === 0) return groups;
  const rows = await sql<{ typed: string; word: string }>`
    select t.typed, s.word
    from unnest(${sql.val(words)}::text[]) as t(typed)
    cross join lateral (
      select w.word from search_words w
      where w.word % t.typed and similarity(w.word, t.typed) >= ${MIN_SIMILARITY}
        and not exists (select 1 from search_words e where e.word = t.typed)
      order by similarity(w.word, t.typed) desc, w.word
      limit 3
    ) s`.execute(db);
  const corrections = new Map<string, string[]>();
  for (const { typed, word } of rows.rows) corrections.set(typed, [...(corrections.get(typed) ?? []), word]);
  return withCorrections(groups, corrections, synonyms);
}

function toTsQuery(groups: readonly QueryGroup[], join: 'and' | 'or'): RawBuilder<unknown> {
  const group = (g: QueryGroup) => sql`(${sql.join(g.alternatives.map((a) => sql`phraseto_tsquery('english', ${a})`), sql` || `)})`;
  return sql.join(groups.map(group), join === 'and' ? sql` && ` : sql` || `);
}

function filterConditions(filter: SearchFilter | undefined): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (filter?.kinds?.length) conditions.push(sql`d.kind = any(${sql.val([...filter.kinds])}::text[])`);
  if (filter?.serviceAreas?.length) conditions.push(sql`d.service_area = any(${sql.val([...filter.serviceAreas])}::text[])`);
  if (filter?.councilIds?.length) conditions.push(sql`d.council_id = any(${sql.val([...filter.councilIds])}::uuid[])`);
  if (filter?.tags?.length) conditions.push(sql`d.tags && ${sql.val([...filter.tags])}::text[]`);
  if (filter?.statuses?.length) conditions.push(sql`d.status = any(${sql.val([...filter.statuses])}::text[])`);
  return conditions;
}

interface Row {
  total: number;
  hits: { id: string; kind: string; council_id: string; council_name: string; title: string; summary: string; service_area: string;
    tags: string[]; status: string; published_at: string | null; updated_at: string; title_hl: string; summary_hl: string }[];
  facets: { facet: Facet; value: string; n: number }[];
}

async function runSearch(db: Kysely<Database>, groups: QueryGroup[], join: 'and' | 'or', request: SearchRequest): Promise<Omit<SearchResult, 'processingTimeMs'>> {
  const hasQuery = groups.length > 0;
  // The tsquery is written out wherever it is used rather than computed once in a CTE: the
  // planner must see it to estimate how many rows match and choose the GIN index; from a
  // CTE it cannot, and falls back to a sequential scan.
  const query = hasQuery ? sql`(${toTsQuery(groups, join)})` : sql`null::tsquery`;
  const conditions = [...(hasQuery ? [sql`d.search @@ ${query}`] : []), ...filterConditions(request.filter)];
  const where = conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`;
  const rank = hasQuery ? sql`ts_rank_cd(${WEIGHTS}, d.search, ${query})` : sql`0::real`;
  const order = request.sort === 'newest' || !hasQuery
    ? sql`published_at desc nulls last, id`
    : sql`rank desc, published_at desc nulls last, id`;
  const headline = (column: string) => hasQuery
    ? sql`ts_headline('english', ${sql.ref(`d.${column}`)}, ${query}, ${HEADLINE_OPTIONS})`
    : sql.ref(`d.${column}`);

  const { rows } = await sql<Row>`
    with hits as materialized (
      select d.id, d.kind, d.council_id, d.service_area, d.tags, d.status, d.published_at, ${rank} as rank
      from search_documents d where ${where}
    ),
    page as (select id, rank, published_at from hits order by ${order} limit ${request.limit} offset ${request.offset})
    select
      (select count(*) from hits)::int as total,
      (select coalesce(json_agg(json_build_object(
          'id', d.id, 'kind', d.kind, 'council_id', d.council_id, 'council_name', d.council_name,
          'title', d.title, 'summary', d.summary, 'service_area', d.service_area, 'tags', d.tags,
          'status', d.status, 'published_at', d.published_at, 'updated_at', d.updated_at,
          'title_hl', ${headline('title')}, 'summary_hl', ${headline('summary')}
        ) order by ${sql.raw(orderForPage(request.sort === 'newest' || !hasQuery))}), '[]'::json)
        from page p join search_documents d on d.id = p.id) as hits,
      ${request.facets === false ? sql`'[]'::json` : FACET_COUNTS} as facets`.execute(db);
  const row = rows[0]!;
  return { total: row.total, hits: row.hits.map(toHit), facets: toFacets(row.facets) };
}

function orderForPage(byDate: boolean): string {
  return byDate ? 'p.published_at desc nulls last, p.id' : 'p.rank desc, p.published_at desc nulls last, p.id';
}

function toHit(h: Row['hits'][number]): SearchHit {
  return {
    document: {
      id: h.id, kind: h.kind as SearchHit['document']['kind'], councilId: h.council_id, councilName: h.council_name,
      title: h.title, summary: h.summary, serviceArea: h.service_area, tags: h.tags, status: h.status,
      publishedAt: h.published_at ? Date.parse(h.published_at) : null, updatedAt: Date.parse(h.updated_at),
    },
    highlights: { title: toHighlightHtml(h.title_hl), summary: toHighlightHtml(h.summary_hl) },
  };
}

export function sortFacetCounts(counts: FacetCount[]): FacetCount[] {
  return counts.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

function toFacets(rows: Row['facets']): Record<Facet, FacetCount[]> {
  const facets = Object.fromEntries(FACETS.map((f) => [f, [] as FacetCount[]])) as Record<Facet, FacetCount[]>;
  for (const { facet, value, n } of rows) facets[facet].push({ value, count: n });
  for (const facet of FACETS) facets[facet] = sortFacetCounts(facets[facet]).slice(0, FACET_VALUES);
  return facets;
}
