import type { ExtraRequestInit, Index, Meilisearch, MultiSearchQuery, RecordAny, SearchParams, SearchResponse } from 'meilisearch';
import { FACETS, MAX_TOTAL_HITS, type Facet, type FacetCount, type SearchFilter } from './engine.js';
import { filterExpression } from './meilisearch-settings.js';
import { normalizeWords } from './query-plan.js';

type Response<D extends RecordAny> = SearchResponse<D, SearchParams>;

/** At most this many selected facet values are counted separately on one page. */
const MAX_SELECTED_COUNTS = 50;

/**
 * Every word first. When some items have them all but too few to fill the page, the
 * `frequency` strategy (which drops the commonest words first) adds the items with most of
 * the rarer words after them, as the Postgres engine's weighted partial matches do; the
 * results are still not called partial, since the items with every word lead. If no item has them all, Meilisearch's `last` strategy drops words from
 * the end. That never drops the first word, so when the first word is in no item (a typo
 * beyond correction, a word the corpus lacks) the words are tried one by one in a single
 * multi-search and the query runs again without those that match nothing: like the
 * Postgres engine, a query that some items partly match never answers nothing.
 */
export async function searchSomeWords<D extends RecordAny>(client: Meilisearch, index: Index, q: string, params: SearchParams, init?: ExtraRequestInit): Promise<Answer<D>> {
  const first = await index.search<D>(q, { ...params, matchingStrategy: 'all' }, init);
  const words = normalizeWords(q);
  if (words.length < 2 || first.estimatedTotalHits >= (params.offset ?? 0) + (params.limit ?? 20)) return { response: first, q, matchingStrategy: 'all' };
  if (first.estimatedTotalHits > 0) {
    const filled = timed(await index.search<D>(q, { ...params, matchingStrategy: 'frequency' }, init), first);
    return { response: filled, q, matchingStrategy: 'frequency', partial: false };
  }
  const relaxed = timed(await index.search<D>(q, { ...params, matchingStrategy: 'last' }, init), first);
  if (relaxed.estimatedTotalHits > 0 || q.includes('"')) return { response: relaxed, q, matchingStrategy: 'last' };
  const { results } = await client.multiSearch({
    queries: words.map((word) => ({ indexUid: index.uid, q: word, limit: 0, ...(params.filter ? { filter: params.filter } : {}) })),
  }, init);
  const present = words.filter((_, i) => (results[i]?.estimatedTotalHits ?? 0) > 0);
  if (present.length === 0 || present.length === words.length) return { response: relaxed, q, matchingStrategy: 'last' };
  const some = present.join(' ');
  return { response: timed(await index.search<D>(some, { ...params, matchingStrategy: 'last' }, init), relaxed), q: some, matchingStrategy: 'last' };
}

/** A search's response with the query and strategy that gave it. */
export interface Answer<D extends RecordAny> {
  readonly response: Response<D>;
  readonly q: string;
  readonly matchingStrategy: 'all' | 'last' | 'frequency';
  /** No item had every word; unset means: partial unless the strategy was `all`. */
  readonly partial?: boolean;
}

function timed<D extends RecordAny>(response: Response<D>, earlier: Response<D>): Response<D> {
  return { ...response, processingTimeMs: response.processingTimeMs + earlier.processingTimeMs };
}

/**
 * Facet counts, most frequent first. Meilisearch lists at most `maxValuesPerFacet` values a
 * facet; a value the filter selects may fall past that cut, and the page must still show
 * its count, so each such value is counted by a search narrowed to it (in one multi-search).
 */
export async function facetCounts(client: Meilisearch, indexUid: string, asked: { q: string; matchingStrategy: 'all' | 'last' | 'frequency'; hybrid?: SearchParams['hybrid']; vector?: SearchParams['vector'] }, filter: SearchFilter | undefined, distribution: Record<string, Record<string, number>> | undefined, init?: ExtraRequestInit): Promise<Record<Facet, FacetCount[]>> {
  const counts = Object.fromEntries(FACETS.map((facet) => [facet, { ...distribution?.[facet] }])) as Record<Facet, Record<string, number>>;
  const missing = selectedValues(filter).filter(([facet, value]) => counts[facet][value] === undefined).slice(0, MAX_SELECTED_COUNTS);
  if (missing.length > 0) {
    const queries: MultiSearchQuery[] = missing.map(([facet, value]) => ({
      indexUid, q: asked.q, limit: 0, matchingStrategy: asked.matchingStrategy, facets: [facet],
      // A hybrid search's selected values are counted over the same hybrid hits.
      ...(asked.hybrid && asked.vector ? { hybrid: asked.hybrid, vector: asked.vector } : {}),
      filter: [filterExpression(filter), filterExpression({ [FILTER_KEYS[facet]]: [value] })].filter(Boolean).join(' AND '),
    }));
    const { results } = await client.multiSearch({ queries }, init);
    missing.forEach(([facet, value], i) => { counts[facet][value] = results[i]?.facetDistribution?.[facet]?.[value] ?? 0; });
  }
  return Object.fromEntries(FACETS.map((facet) => [facet, Object.entries(counts[facet])
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))])) as Record<Facet, FacetCount[]>;
}

const FILTER_KEYS = {
  kind: 'kinds', serviceArea: 'serviceAreas', councilId: 'councilIds', tags: 'tags', status: 'statuses',
  region: 'regions', councilKind: 'councilKinds', phase: 'phases', outcome: 'outcomes',
} as const satisfies Record<Facet, keyof SearchFilter>;

function selectedValues(filter: SearchFilter | undefined): [Facet, string][] {
  return FACETS.flatMap((facet) => ((filter?.[FILTER_KEYS[facet]] ?? []) as readonly string[]).map((value) => [facet, value] as [Facet, string]));
}

/**
 * `estimatedTotalHits` is exact below `maxTotalHits` (with offset/limit Meilisearch counts
 * every candidate, then caps the number at maxTotalHits). The facet counts are not capped,
 * and every item has exactly one kind, so when facets were counted their sum is the exact
 * total; otherwise a total at the cap is only "at least".
 */
export function totalOf(estimatedTotalHits: number, kindCounts: readonly FacetCount[] | undefined): { total: number; countsAreEstimates: boolean } {
  if (kindCounts && kindCounts.length > 0) {
    return { total: Math.max(estimatedTotalHits, kindCounts.reduce((n, f) => n + f.count, 0)), countsAreEstimates: false };
  }
  return { total: estimatedTotalHits, countsAreEstimates: estimatedTotalHits >= MAX_TOTAL_HITS };
}
