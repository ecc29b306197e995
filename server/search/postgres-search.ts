import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import { FACETS, MAX_TOTAL_HITS, type Facet, type FacetCount, type SearchFilter, type SearchHit, type SearchRequest, type SearchResult } from './engine.js';
import { MATCH_END, MATCH_START, toHighlightHtml } from './highlight.js';
import type { Embedder } from './embeddings/embedder.js';
import { planQuery, withCorrections, type QueryGroup, type SynonymIndex } from './query-plan.js';
import { fusedRank, semanticCandidates, semanticText, titleBonus, type Semantic } from './postgres-hybrid.js';
import type { VectorIndex } from './vector-index.js';
import type { WordCache } from './word-cache.js';

// Title matches count most, then tags and summary, then body, then the council's name.
const WEIGHTS = sql.lit('{0.1,0.2,0.4,1.0}');
const HEADLINE_OPTIONS = `HighlightAll=true, StartSel=${MATCH_START}, StopSel=${MATCH_END}`;
const FACET_VALUES = 100;
// pg_trgm's default threshold: "housng" ~ "housing" scores 0.5, "repiars" ~ "repairs" 0.33.
const MIN_SIMILARITY = 0.3;

/**
 * When a search stops being exact. Up to about `exactCountLimit` matches every match is
 * ranked and counted; up to `exactMatchLimit` every match is still ranked, but the facet
 * counts are the sample's (counting a few thousand matches by nine facets cost as much as
 * ranking them). Above it, the per-match cost of ranking, counting and faceting tens of
 * thousands of rows is what made broad queries slow, so a broad search ranks a bounded
 * candidate set and estimates its counts from a sample. Either way it says so:
 * `countsAreEstimates`.
 */
export interface BroadSearchOptions {
  /** @default 2500 */
  readonly exactCountLimit?: number;
  /** @default 5000 */
  readonly exactMatchLimit?: number;
  /** Rows the block sample reads: a few per cent of error on totals of tens of thousands. @default 5000 */
  readonly sampleRows?: number;
}


// What a match carries into ranking and facet counts, read once with the match (joining the
// table again for them cost a sequential scan of it).
const FACET_COLUMNS = sql.raw('d.id, d.kind, d.council_id, d.service_area, d.tags, d.status, d.region, d.council_kind, d.phase, d.outcome, d.published_at');

// The single-valued facets and the column each one counts.
const SINGLE_FACETS = [
  ['kind', 'kind'], ['serviceArea', 'service_area'], ['councilId', 'council_id'], ['status', 'status'],
  ['region', 'region'], ['councilKind', 'council_kind'], ['phase', 'phase'], ['outcome', 'outcome'],
] as const satisfies readonly (readonly [Exclude<Facet, 'tags'>, string])[];

// One pass over the matches (or the sample) for the single-valued facets, one for tags. A
// grouping set's other columns are null in its rows, so the value is the one whose
// grouping() is 0; rows without a value (a problem has no phase) are left out. The tags the
// filter selects come first, so their counts survive the cut.
const facetCounts = (from: 'hits' | 'sample' | 'sample_full', selected: readonly string[]) => sql`(select coalesce(json_agg(f), '[]'::json) from (
  (select facet, value, n from (select case ${sql.join(SINGLE_FACETS.map(([facet, column]) => sql`when grouping(${sql.ref(column)}) = 0 then ${sql.lit(facet)}`), sql` `)} end as facet,
          case ${sql.join(SINGLE_FACETS.map(([, column]) => sql`when grouping(${sql.ref(column)}) = 0 then ${sql.ref(column)}::text`), sql` `)} end as value, count(*)::int as n
   from ${sql.table(from)} group by grouping sets (${sql.join(SINGLE_FACETS.map(([, column]) => sql`(${sql.ref(column)})`))})) g where value is not null)
  union all (select 'tags', t, count(*)::int from ${sql.table(from)}, unnest(tags) t group by t
             order by (t = any(${sql.val([...selected])}::text[])) desc, 3 desc, 2 limit ${sql.lit(FACET_VALUES + selected.length)})
) f)`;

export interface HybridDeps {
  readonly embedder: Embedder;
  readonly vectors: VectorIndex;
  readonly words: WordCache;
}

/** Share of the fused rank given to meaning rather than words (Meilisearch's semanticRatio). */
// Measured on the relevance bench: 0.3 gave the best recall@3 with MRR above words alone.
export const DEFAULT_SEMANTIC_RATIO = 0.3;

/**
 * With the matches' count, and of those how many have every word (when every match was
 * ranked: `rankedAll`).
 */
type Result = Omit<SearchResult, 'processingTimeMs'> & { readonly lexicalTotal: number; readonly completeTotal?: number; readonly rankedAll: boolean };

/**
 * Postgres full-text search over `search_documents`, fused with semantic search over the
 * documents' vectors: one statement that is exact when the matches are few; a sample and a
 * bounded, words-only ranking when they are many (a query that broad is made of common
 * words, where meaning adds nothing).
 */
export async function searchPostgres(db: Kysely<Database>, synonyms: SynonymIndex, hybrid: HybridDeps, request: SearchRequest, options: BroadSearchOptions = {}): Promise<SearchResult> {
  const limits = { exactCountLimit: options.exactCountLimit ?? 2_500, exactMatchLimit: options.exactMatchLimit ?? 5_000, sampleRows: options.sampleRows ?? 5_000 };
  const started = performance.now();
  // Council vocabulary is expanded first (planQuery), then only words that are neither
  // English nor in the index are corrected: "delays" stays "delays".
  const planned = planQuery(request.query, synonyms, hybrid.embedder);
  // Caught up first, so that what the word cache knows is checked against the index as it is.
  await hybrid.vectors.catchUp();
  const groups = await correctMisspellings(db, planned, synonyms, hybrid.words);
  const ratio = request.semanticRatio ?? DEFAULT_SEMANTIC_RATIO;
  const wantsMeaning = ratio > 0 && groups.length > 0;
  const placeholder: Semantic = { hits: [], ratio: wantsMeaning ? ratio : 0 };
  // Too few items may have every word to fill the page (staff rarely use the items' own
  // words, so a longer query often has one or two full matches): then the items with the
  // most of the rarest words follow them, rather than meaning alone (or everything that
  // shares one common word). Items with every word still rank first: they have every weight.
  const weights = groups.length > 1 && ratio < 1
    ? await hybrid.words.weights(JSON.stringify(groups.map((g) => g.alternatives)), () => wordWeights(db, groups))
    : undefined;
  // Which rows match does not depend on the semantic candidates (only on whether words are
  // asked for at all), so the database samples the matches, with every word and with some,
  // while this process scores every document's vector: the two costs overlap.
  const samples = ratio < 1
    ? sampleMatches(db, hybrid.words, toPlan(groups, 'all', request, placeholder), request, limits, weights && toPlan(groups, weights, request, placeholder))
    : undefined;
  // The statement is on its way once the pool has handed it a connection (a turn of the event
  // loop); the vector scan that follows would otherwise hold it back until it is done.
  if (samples) {
    samples.catch(() => {});
    await new Promise((resolve) => setImmediate(resolve));
  }
  const semantic = wantsMeaning
    ? await semanticCandidates(hybrid, semanticText(groups, hybrid.embedder), request, ratio)
    : { hits: [], ratio: 0 };
  const every = () => searchFor(db, hybrid.words, toPlan(groups, 'all', request, semantic), request, limits, samples?.then((s) => s.all));
  // When the sample (a twentieth of a large index) holds no item with every word, few have
  // them all: the search for some of the words, which counts those too, comes straight away.
  const sampled = await samples;
  let result = weights && sampled && sampled.all.percent > 0 && sampled.all.sampled === 0 ? undefined : await every();
  // No item has every word (or, meaning only, words were not asked for): what was found
  // matches some of the words, or the meaning only.
  let partial = result !== undefined && groups.length > 0 && result.lexicalTotal === 0 && ratio < 1;
  if (weights && (!result || result.lexicalTotal < request.offset + request.limit)) {
    const some = await searchFor(db, hybrid.words, toPlan(groups, weights, request, semantic), request, limits, samples!.then((s) => s.some!));
    if (some.rankedAll) {
      partial = some.completeTotal === 0;
      result = some;
    } else {
      // A broad partial search ranks only its newest candidates, which may leave out the full
      // matches: then the full matches alone are the better answer.
      result ??= await every();
      partial = result.lexicalTotal === 0;
      if (partial) result = some;
    }
  }
  const { lexicalTotal: _, completeTotal: __, rankedAll: ___, ...rest } = result!;
  return { ...rest, partialMatches: partial && result!.total > 0, processingTimeMs: Math.round(performance.now() - started) };
}

async function searchFor(db: Kysely<Database>, cache: WordCache, plan: SearchPlan, request: SearchRequest, limits: Required<BroadSearchOptions>, sampled?: Promise<Sample>): Promise<Result> {
  const sample = await (sampled ?? sampleMatches(db, cache, plan, request, limits).then((s) => s.all));
  const estimate = sample.percent > 0 ? (sample.sampled * 100) / sample.percent : 0;
  if (estimate > limits.exactMatchLimit) return broadSearch(db, plan, request, sample);
  return exactSearch(db, plan, request, estimate > limits.exactCountLimit ? sample : undefined);
}

/**
 * How much each word says: the inverse of the share of documents it occurs in (from a
 * sample on a large index). Words in most documents are dropped from what must match,
 * unless every word is that common.
 */
async function wordWeights(db: Kysely<Database>, groups: readonly QueryGroup[]): Promise<number[]> {
  const counts = groups.map((g) => sql`count(*) filter (where d.search @@ ${groupQuery(g)})::float8`);
  const { rows } = await sql<{ n: number; counts: number[] }>`
    with size as (select greatest(1, reltuples)::float8 as n from pg_class where oid = 'search_documents'::regclass)
    select (select count(*) from search_documents d tablesample system ((select least(100, 1000000.0 / n) from size)) repeatable (0))::float8 as n,
      array[${sql.join(counts)}] as counts
    from search_documents d tablesample system ((select least(100, 1000000.0 / n) from size)) repeatable (0)`.execute(db);
  const { n, counts: found } = rows[0]!;
  const total = Math.max(1, n);
  return found.map((count) => Math.log(1 + total / (1 + count)));
}

/** Words the index has never seen get their nearest indexed words as alternatives. */
async function correctMisspellings(db: Kysely<Database>, groups: QueryGroup[], synonyms: SynonymIndex, cache: WordCache): Promise<QueryGroup[]> {
  const words = groups.filter((g) => g.correctable).map((g) => g.text);
  if (words.length === 0) return groups;
  const corrections = await cache.corrections(words, async (unknown) => {
    const rows = await sql<{ typed: string; word: string }>`
      select t.typed, s.word
      from unnest(${sql.val([...unknown])}::text[]) as t(typed)
      cross join lateral (
        select w.word from search_words w
        where w.word % t.typed and similarity(w.word, t.typed) >= ${MIN_SIMILARITY}
          and not exists (select 1 from search_words e where e.word = t.typed)
        order by similarity(w.word, t.typed) desc, w.word
        limit 3
      ) s`.execute(db);
    const found = new Map<string, string[]>();
    for (const { typed, word } of rows.rows) found.set(typed, [...(found.get(typed) ?? []), word]);
    return found;
  });
  return withCorrections(groups, corrections, synonyms);
}

function groupQuery(g: QueryGroup): RawBuilder<unknown> {
  return sql`(${sql.join(matchingAlternatives(g.alternatives).map((a) => sql`phraseto_tsquery('english', ${a})`), sql` || `)})`;
}

/**
 * The alternatives that can match something the others do not: a plural beside its singular
 * stems the same ("bins", "bin"), and a phrase matches only where a shorter alternative it
 * contains word for word does ("refuse collection" beside "refuse", "special educational
 * needs and disabilities" beside "special educational needs"). Every row's match and rank
 * tests each alternative, and phrases cost the most: the duplicates cost on every row.
 */
export function matchingAlternatives(alternatives: readonly string[]): string[] {
  const lower = alternatives.map((a) => a.toLowerCase());
  const all = new Set(lower);
  const phrases = [...all].map((a) => a.split(/\s+/));
  return alternatives.filter((_, i) => {
    const text = lower[i]!;
    const words = text.split(/\s+/);
    return lower.indexOf(text) === i && !(text.endsWith('s') && all.has(text.slice(0, -1)))
      && !phrases.some((shorter) => shorter.length < words.length && containsRun(words, shorter));
  });
}

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  for (let start = 0; start + run.length <= words.length; start++) {
    if (run.every((word, i) => words[start + i] === word)) return true;
  }
  return false;
}

/** Every group (`all`), or any group, each weighted by how rare it is (an array of weights). */
function toTsQuery(groups: readonly QueryGroup[], match: 'all' | readonly number[]): RawBuilder<unknown> {
  if (match === 'all') return sql.join(groups.map(groupQuery), sql` && `);
  // Words in over a third of the documents (weight under ln 4) match only alongside rarer ones.
  const rare = groups.filter((_, i) => match[i]! >= Math.log(4));
  return sql.join((rare.length > 0 ? rare : groups).map(groupQuery), sql` || `);
}

function filterConditions(filter: SearchFilter | undefined): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (filter?.kinds?.length) conditions.push(sql`d.kind = any(${sql.val([...filter.kinds])}::text[])`);
  if (filter?.serviceAreas?.length) conditions.push(sql`d.service_area = any(${sql.val([...filter.serviceAreas])}::text[])`);
  if (filter?.councilIds?.length) conditions.push(sql`d.council_id = any(${sql.val([...filter.councilIds])}::uuid[])`);
  if (filter?.tags?.length) conditions.push(sql`d.tags && ${sql.val([...filter.tags])}::text[]`);
  if (filter?.statuses?.length) conditions.push(sql`d.status = any(${sql.val([...filter.statuses])}::text[])`);
  if (filter?.regions?.length) conditions.push(sql`d.region = any(${sql.val([...filter.regions])}::text[])`);
  if (filter?.councilKinds?.length) conditions.push(sql`d.council_kind = any(${sql.val([...filter.councilKinds])}::text[])`);
  if (filter?.phases?.length) conditions.push(sql`d.phase = any(${sql.val([...filter.phases])}::text[])`);
  if (filter?.outcomes?.length) conditions.push(sql`d.outcome = any(${sql.val([...filter.outcomes])}::text[])`);
  if (filter?.ids) conditions.push(sql`d.id = any(${sql.val([...filter.ids])}::uuid[])`);
  if (filter?.mayBeOutOfDate) conditions.push(sql`d.out_of_date`);
  return conditions;
}

interface Row {
  total: number;
  hits: { id: string; kind: string; council_id: string; council_name: string; title: string; summary: string; service_area: string;
    tags: string[]; status: string; region: string | null; council_kind: string | null; phase: string | null; outcome: string | null;
    published_at: string | null; updated_at: string; title_hl: string; summary_hl: string }[];
  facets: { facet: Facet; value: string; n: number }[];
}

interface SearchPlan {
  readonly hasQuery: boolean;
  readonly query: RawBuilder<unknown>;
  /** Lexical matches that pass the filter. */
  readonly where: RawBuilder<unknown>;
  /** The words alone (a lexical match, whatever the filter). */
  readonly words: RawBuilder<unknown>;
  /** The filter alone (semantic candidates must pass it too). */
  readonly filter: RawBuilder<unknown>;
  /** Words-only rank of a lexical match: `coverage` plus `textRank`. */
  readonly lexicalRank: RawBuilder<unknown>;
  /** A partial search's weight of the words a match has (0 when every word must match). */
  readonly coverage: RawBuilder<unknown>;
  readonly textRank: RawBuilder<unknown>;
  /** Whether a lexical match has every word of the query, from its coverage. */
  complete(coverage: RawBuilder<unknown>): RawBuilder<unknown>;
  readonly semantic: Semantic;
  /** Every word of the query, whether or not every word must match. */
  readonly everyWord: RawBuilder<unknown>;
}

function toPlan(groups: QueryGroup[], match: 'all' | readonly number[], request: SearchRequest, semantic: Semantic): SearchPlan {
  const hasQuery = groups.length > 0;
  // The tsquery is written out wherever it is used rather than computed once in a CTE: the
  // planner must see it to estimate how many rows match and choose the GIN index; from a
  // CTE it cannot, and falls back to a sequential scan.
  const query = hasQuery ? sql`(${toTsQuery(groups, match)})` : sql`null::tsquery`;
  const filters = filterConditions(request.filter);
  const filter = filters.length > 0 ? sql.join(filters, sql` and `) : sql`true`;
  // Semantic only: no word needs to match.
  const lexical = hasQuery && semantic.ratio < 1 ? [sql`d.search @@ ${query}`] : hasQuery ? [sql`false`] : [];
  const where = sql.join([...lexical, filter], sql` and `);
  const words = lexical[0] ?? sql`true`;
  const coverage = match === 'all' ? sql`0`
    : sql.join(groups.map((g, i) => sql`${sql.lit(match[i]!)} * (d.search @@ ${groupQuery(g)})::int`), sql` + `);
  const textRank = hasQuery ? sql`ts_rank_cd(${WEIGHTS}, d.search, ${query})` : sql`0::real`;
  // Partial matches rank by the rare words they have, then by the usual rank.
  const lexicalRank = hasQuery ? sql`(${coverage}) + ${textRank}` : sql`0::real`;
  // Every weight is positive, so a match without some word falls short of the whole weight
  // by at least the smallest: no second tsquery test per row.
  const completeFrom = match === 'all' ? 0 : match.reduce((sum, w) => sum + w, 0) - Math.min(...match) / 2;
  const complete = (covered: RawBuilder<unknown>) => (match === 'all' || !hasQuery ? sql`true` : sql`${covered} >= ${sql.lit(completeFrom)}`);
  return { hasQuery, query, where, words, filter, lexicalRank, coverage, textRank, complete, semantic, everyWord: match === 'all' ? query : sql`(${toTsQuery(groups, 'all')})` };
}

interface Sample {
  readonly tableRows: number;
  /** Percentage of the table's blocks read; 0 when the table is small. */
  readonly percent: number;
  readonly sampled: number;
  readonly facets: Row['facets'];
}

/**
 * The matches in a block sample of about `sampleRows` rows, with their facet counts, read
 * with a fixed seed so that every page of one search shows the same figures. The sample
 * tells a broad query from a narrow one before either is paid for, and gives a broad one
 * its estimates. It costs about the same whatever the query (7 to 15 ms at 100,000
 * documents), and is kept while the index barely changes. (A bounded count would be
 * cheaper for narrow queries, but under a LIMIT the planner trades the GIN index for a
 * sequential scan whenever it overestimates the matches, as it does for phrases; the
 * planner's own estimate takes words to be independent and undercounts "text message
 * updates" tenfold.)
 */
async function sampleMatches(db: Kysely<Database>, cache: WordCache, plan: SearchPlan, request: SearchRequest, limits: Required<BroadSearchOptions>, some?: SearchPlan): Promise<{ all: Sample; some?: Sample }> {
  // In a table not much larger than the sample, every search is exact: that costs less than
  // sampling a large part of it first.
  const minTableRows = 4 * limits.sampleRows;
  const facets = (from: 'sample' | 'sample_full') => request.facets === false ? sql`'[]'::json` : facetCounts(from, request.filter?.tags ?? []);
  // With `some`, the rows with some of the words are sampled, and those with every word
  // (a subset) are marked `has_every`.
  const statement = sql<{ table_rows: number; percent: number; sampled: number; facets: Row['facets']; some_sampled: number; some_facets: Row['facets'] }>`
    with size as (select greatest(1, reltuples)::float8 as table_rows from pg_class where oid = 'search_documents'::regclass),
    share as (
      select case when table_rows < ${sql.lit(minTableRows)} then 0
                  else least(100, ${sql.lit(limits.sampleRows)} * 100.0 / table_rows) end as percent
      from size
    ),
    sample as materialized (
      select d.kind, d.council_id, d.service_area, d.tags, d.status, d.region, d.council_kind, d.phase, d.outcome,
        ${some ? plan.words : sql`true`} as has_every
      from ${filterFirst(some ?? plan, sql`search_documents d tablesample system ((select percent from share)) repeatable (0)`)}
    ),
    sample_full as (select * from sample where has_every)
    select (select table_rows from size), (select percent from share)::float8 as percent,
      (select count(*) from sample_full)::int as sampled, ${facets('sample_full')} as facets,
      (select count(*) from sample)::int as some_sampled, ${some ? facets('sample') : sql`'[]'::json`} as some_facets`;
  const { sql: text, parameters } = statement.compile(db);
  const row = await cache.sample(`${text}\n${JSON.stringify(parameters)}`, async () => (await statement.execute(db)).rows[0]!);
  const sample = (sampled: number, facetRows: Row['facets']): Sample => ({ tableRows: row.table_rows, percent: row.percent, sampled, facets: facetRows });
  return { all: sample(row.sampled, row.facets), ...(some ? { some: sample(row.some_sampled, row.some_facets) } : {}) };
}

/**
 * The rows of `source` (aliased `d`) that pass the filter, then those with the words, as `d`. Where rows
 * are read one by one (a sample), the cheap filter must come first: PostgreSQL
 * prices a tsquery test as cheap as a comparison and would run it on every row. The
 * OFFSET 0 keeps the planner from merging the two conditions back into one list.
 */
function filterFirst(plan: SearchPlan, source: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(select * from ${source} where ${plan.filter} offset 0) d where ${plan.words}`;
}

function ordering(plan: SearchPlan, request: SearchRequest) {
  const byDate = request.sort === 'newest' || !plan.hasQuery;
  return {
    byDate,
    order: byDate ? sql`published_at desc nulls last, id` : sql`rank desc, published_at desc nulls last, id`,
    pageOrder: sql.raw(byDate ? 'p.published_at desc nulls last, p.id' : 'p.rank desc, p.published_at desc nulls last, p.id'),
  };
}

/** The page's rows as JSON, with headlines computed for those rows only. */
function pageHits(plan: SearchPlan, request: SearchRequest): RawBuilder<unknown> {
  const headline = (column: string) => plan.hasQuery
    ? sql`ts_headline('english', ${sql.ref(`d.${column}`)}, ${plan.query}, ${HEADLINE_OPTIONS})`
    : sql.ref(`d.${column}`);
  return sql`(select coalesce(json_agg(json_build_object(
      'id', d.id, 'kind', d.kind, 'council_id', d.council_id, 'council_name', d.council_name,
      'title', d.title, 'summary', d.summary, 'service_area', d.service_area, 'tags', d.tags,
      'status', d.status, 'region', d.region, 'council_kind', d.council_kind, 'phase', d.phase, 'outcome', d.outcome,
      'published_at', d.published_at, 'updated_at', d.updated_at,
      'title_hl', ${headline('title')}, 'summary_hl', ${headline('summary')}
    ) order by ${ordering(plan, request).pageOrder}), '[]'::json)
    from page p join search_documents d on d.id = p.id)`;
}

/**
 * Every match ranked, counted and faceted: lexical matches and semantic candidates, fused.
 * Fusion can only lift a lexical match that is also a semantic candidate, so the page is
 * drawn from the semantic candidates and the best `offset + limit` lexical matches of each
 * kind (with every word, and without: every word earns a full point, and every word in the
 * title a bonus); the fused rank is computed for those alone, and the counts and facets read
 * the matches as they are.
 */
async function exactSearch(db: Kysely<Database>, plan: SearchPlan, request: SearchRequest, countedFrom?: Sample): Promise<Result> {
  // A match's place among those of its own kind is `completes_so_far` (the matches with every
  // word up to it) or its position less that. Coverage and rank sit in an OFFSET 0 subquery
  // so that each is computed once per match, not once per use.
  const { order, byDate } = ordering(plan, request);
  const reach = sql.lit(request.offset + request.limit);
  const statement = sql<Row & { lexical_total: number; complete_total: number }>`
    with lexical as materialized (
      select m.*, ${plan.complete(sql`m.coverage`)} as complete, row_number() over w::int as position,
        (count(*) filter (where ${plan.complete(sql`m.coverage`)}) over w)::int as completes_so_far
      from (select ${FACET_COLUMNS}, ${plan.coverage} as coverage, ${plan.textRank} as text_rank
            from search_documents d where ${plan.where} offset 0) m
      window w as (order by m.coverage + m.text_rank desc, m.published_at desc nulls last, m.id)
    ),
    semantic as (select * from ${semanticRows(plan.semantic)} c),
    semantic_only as materialized (
      select ${FACET_COLUMNS}, s.position as semantic_position
      from semantic s join search_documents d on d.id = s.id
      where ${plan.filter} and not exists (select 1 from lexical l where l.id = s.id)
    ),
    hits as not materialized (
      select kind, council_id, service_area, tags, status, region, council_kind, phase, outcome from lexical
      union all
      select kind, council_id, service_area, tags, status, region, council_kind, phase, outcome from semantic_only
    ),
    candidates as (
      select l.id, l.published_at, ${fusedRank(plan.semantic, sql`l.position`, sql`s.position`)} + l.complete::int${byDate ? sql`` : sql`
        + case when l.complete then ${titleBonus(plan.semantic)} * (select (ts_filter(t.search, '{a}') @@ ${plan.everyWord})::int from search_documents t where t.id = l.id) else 0 end`} as rank
      from lexical l left join semantic s on s.id = l.id
      where ${byDate ? sql`true` : sql`(case when l.complete then l.completes_so_far else l.position - l.completes_so_far end) <= ${reach} or s.id is not null`}
      union all
      select o.id, o.published_at, ${fusedRank(plan.semantic, sql`null`, sql`o.semantic_position`)} as rank from semantic_only o
    ),
    page as (select id, rank, published_at from candidates order by ${order} limit ${request.limit} offset ${request.offset})
    select (select count(*) from lexical)::int + (select count(*) from semantic_only)::int as total,
      (select count(*) from lexical)::int as lexical_total,
      (select count(*) from lexical where complete)::int as complete_total,
      ${pageHits(plan, request)} as hits,
      ${request.facets === false || countedFrom ? sql`'[]'::json` : facetCounts('hits', request.filter?.tags ?? [])} as facets`;
  // The sample has shown the matches to be few, so the GIN index is the way to them. The
  // planner cannot know it: it prices a tsquery test per row far below its real cost, and
  // with a filter beside the words it reads the whole table (168 ms for "SEND transport" in
  // two service areas at 100,000 documents, against 55 ms through the index).
  const { rows } = plan.hasQuery
    ? await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return statement.execute(trx);
    })
    : await statement.execute(db);
  const row = rows[0]!;
  return {
    total: row.total, lexicalTotal: row.lexical_total, completeTotal: row.complete_total, rankedAll: true, hits: row.hits.map(toHit),
    facets: countedFrom ? scaledFacets(countedFrom, request.filter) : toFacets(row.facets, request.filter),
    countsAreEstimates: countedFrom !== undefined, partialMatches: false,
  };
}

/** The semantic candidates as rows (id, position), nearest first. */
function semanticRows(semantic: Semantic): RawBuilder<unknown> {
  return sql`(select * from unnest(${sql.val(semantic.hits.map((h) => h.id))}::uuid[]) with ordinality as s(id, position))`;
}

/**
 * Over `exactMatchLimit` matches, by the sample: the total and the facet counts are the
 * sample's, scaled up. Only MAX_TOTAL_HITS results can ever be paged to, so the candidates
 * are the newest MAX_TOTAL_HITS matches, and only they are ranked.
 */
async function broadSearch(db: Kysely<Database>, plan: SearchPlan, request: SearchRequest, sample: Sample): Promise<Result> {
  const { order } = ordering(plan, request);
  const rank = plan.hasQuery ? plan.lexicalRank : sql`0::real`;
  const scale = (n: number) => Math.round((n * 100) / sample.percent);
  const total = scale(sample.sampled);
  // Where matches are common, the newest ones lie among the newest rows: walking the date
  // index meets MAX_TOTAL_HITS of them within MAX_TOTAL_HITS / share rows, where the GIN
  // bitmap visits every match. Each costs a check per row, so the walk is taken when it
  // reads no more than twice as many rows as there are matches. (The planner, whose
  // estimate of a tsquery's matches is rough, would pick the bitmap; a subquery over the
  // newest rows leaves it no choice.)
  const share = total / sample.tableRows;
  const walkRows = Math.ceil(MAX_TOTAL_HITS / share);
  const newest = walkRows <= 2 * total
    ? sql`select d.id from (select * from search_documents order by published_at desc nulls last, id
          limit ${sql.lit(walkRows * 3)}) d
        where ${plan.where} order by d.published_at desc nulls last, d.id limit ${sql.lit(MAX_TOTAL_HITS)}`
    // OFFSET 0 keeps the ORDER BY off the date index: the planner would walk it anyway (36 ms
    // for "council tax", 5,780 matches at 100,000 documents, against 20 ms through the bitmap).
    : sql`select m.id from (select d.id, d.published_at from search_documents d where ${plan.where} offset 0) m
        order by m.published_at desc nulls last, m.id limit ${sql.lit(MAX_TOTAL_HITS)}`;
  const { rows } = await sql<Pick<Row, 'hits'>>`
    with newest as (${newest}),
    candidates as (select d.id, d.published_at, ${rank} as rank from newest n join search_documents d on d.id = n.id),
    page as (select id, rank, published_at from candidates order by ${order} limit ${request.limit} offset ${request.offset})
    select ${pageHits(plan, request)} as hits`.execute(db);
  return {
    total,
    lexicalTotal: total,
    rankedAll: false,
    hits: rows[0]!.hits.map(toHit),
    facets: scaledFacets(sample, request.filter),
    countsAreEstimates: true,
    partialMatches: false,
  };
}

/** The sample's facet counts, scaled up to the whole index. */
function scaledFacets(sample: Sample, filter: SearchFilter | undefined): Record<Facet, FacetCount[]> {
  return toFacets(sample.facets.map((f) => ({ ...f, n: Math.round((f.n * 100) / sample.percent) })), filter);
}

function toHit(h: Row['hits'][number]): SearchHit {
  return {
    document: {
      id: h.id, kind: h.kind as SearchHit['document']['kind'], councilId: h.council_id, councilName: h.council_name,
      title: h.title, summary: h.summary, serviceArea: h.service_area, tags: h.tags, status: h.status,
      // Null only in a row indexed before migration 0018 filled the column.
      region: h.region ?? '', councilKind: h.council_kind ?? '', phase: h.phase, outcome: h.outcome,
      publishedAt: h.published_at ? Date.parse(h.published_at) : null, updatedAt: Date.parse(h.updated_at),
    },
    highlights: { title: toHighlightHtml(h.title_hl), summary: toHighlightHtml(h.summary_hl) },
  };
}

export function sortFacetCounts(counts: FacetCount[]): FacetCount[] {
  return counts.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** The commonest FACET_VALUES values of each facet, and every value the filter selects. */
function toFacets(rows: Row['facets'], filter: SearchFilter | undefined): Record<Facet, FacetCount[]> {
  const selected: Record<Facet, readonly string[]> = {
    kind: filter?.kinds ?? [], serviceArea: filter?.serviceAreas ?? [], councilId: filter?.councilIds ?? [], tags: filter?.tags ?? [], status: filter?.statuses ?? [],
    region: filter?.regions ?? [], councilKind: filter?.councilKinds ?? [], phase: filter?.phases ?? [], outcome: filter?.outcomes ?? [],
  };
  const facets = Object.fromEntries(FACETS.map((f) => [f, [] as FacetCount[]])) as Record<Facet, FacetCount[]>;
  for (const { facet, value, n } of rows) facets[facet].push({ value, count: n });
  for (const facet of FACETS) {
    facets[facet] = sortFacetCounts(facets[facet]).filter((f, i) => i < FACET_VALUES || selected[facet].includes(f.value));
  }
  return facets;
}
