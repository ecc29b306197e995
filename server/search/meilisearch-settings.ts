import type { SearchFilter } from './engine.js';
import { MAX_TOTAL_HITS } from './engine.js';
import { ENGLISH_STOP_WORDS, normalizeWords } from './query-plan.js';
import { SYNONYM_GROUPS, synonymMap } from './synonyms.js';

/**
 * Meilisearch looks synonyms up on one to three consecutive query words, and a stop word
 * leaves a gap in the positions that stops the lookup (milli's `make_ngram` needs adjacent
 * positions); an indexed document also loses its stop words, so a synonym phrase holding
 * one ("freedom of information") could never match it. So no word of a synonym phrase is
 * a stop word here. Long forms of four or more words still only work one way: see
 * `oneWaySynonyms`.
 */
export const MEILISEARCH_STOP_WORDS: readonly string[] = (() => {
  const inPhrases = new Set(SYNONYM_GROUPS.flat().flatMap((phrase) => normalizeWords(phrase)));
  return ENGLISH_STOP_WORDS.filter((word) => !inPhrases.has(word));
})();

/** Longest query phrase Meilisearch looks up in its synonyms (a trigram). */
export const MAX_SYNONYM_LOOKUP_WORDS = 3;

/**
 * Phrases a query can give in full without reaching the rest of their group: Meilisearch
 * never looks them up. Searching for any other member of the group still finds them.
 */
export function oneWaySynonyms(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): string[] {
  return groups.flat().filter((phrase) => normalizeWords(phrase).length > MAX_SYNONYM_LOOKUP_WORDS);
}

/**
 * The index settings, applied idempotently whenever a worker becomes active
 * (PATCH /indexes/{uid}/settings, only when they differ from what the index has).
 */
export const MEILISEARCH_SETTINGS = {
  // In order of importance: a title match outranks a body match.
  searchableAttributes: ['title', 'tags', 'summary', 'body', 'councilName'],
  filterableAttributes: ['id', 'kind', 'serviceArea', 'councilId', 'tags', 'status', 'region', 'councilKind', 'phase', 'outcome', 'outOfDate'],
  sortableAttributes: ['publishedAt'],
  // `sort` first: with no sort parameter it does nothing; with one, "newest" means newest.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  synonyms: synonymMap(),
  stopWords: [...MEILISEARCH_STOP_WORDS],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
  // By count: the 100 values a facet lists are its commonest, not the first 100 by name.
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
};

/** The embedder Meilisearch is given vectors for; the indexer computes them (`_vectors`). */
export const EMBEDDER = 'default';

/** The settings with the hub's `userProvided` embedder of the model's dimensions. */
export function meilisearchSettings(dimensions: number) {
  return { ...MEILISEARCH_SETTINGS, embedders: { [EMBEDDER]: { source: 'userProvided' as const, dimensions } } };
}

// Settings whose arrays are sets: Meilisearch returns them sorted (BTreeSet), not as sent.
const UNORDERED = new Set(['filterableAttributes', 'sortableAttributes', 'stopWords']);

/** True when `current` already has every value we set (extra keys Meilisearch adds are fine). */
export function hasSettings(current: Record<string, unknown>, wanted: Record<string, unknown> = MEILISEARCH_SETTINGS): boolean {
  return Object.entries(wanted).every(([key, value]) => covers(current[key], value, UNORDERED.has(key)));
}

function covers(actual: unknown, wanted: unknown, unordered: boolean): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || actual.length !== wanted.length) return false;
    if (!unordered) return wanted.every((v, i) => covers(actual[i], v, false));
    const [a, w] = [actual.map(String).sort(), wanted.map(String).sort()];
    return a.every((v, i) => v === w[i]);
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    // Synonym lists are sets too.
    return Object.entries(wanted).every(([k, v]) => covers((actual as Record<string, unknown>)[k], v, Array.isArray(v)));
  }
  return actual === wanted;
}

/** A Meilisearch filter expression; every value is quoted and escaped. */
export function filterExpression(filter: SearchFilter | undefined, excludeIds: readonly string[] = []): string | undefined {
  const quote = (v: string) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const oneOf = (attribute: string, values: readonly string[] | undefined) =>
    values?.length ? [`${attribute} IN [${values.map(quote).join(', ')}]`] : [];
  const clauses = [
    ...oneOf('kind', filter?.kinds),
    ...oneOf('serviceArea', filter?.serviceAreas),
    ...oneOf('councilId', filter?.councilIds),
    ...oneOf('tags', filter?.tags),
    ...oneOf('status', filter?.statuses),
    ...oneOf('region', filter?.regions),
    ...oneOf('councilKind', filter?.councilKinds),
    ...oneOf('phase', filter?.phases),
    ...oneOf('outcome', filter?.outcomes),
    ...(filter?.ids ? [`id IN [${filter.ids.map(quote).join(', ')}]`] : []),
    ...(filter?.mayBeOutOfDate ? ['outOfDate = true'] : []),
    ...(excludeIds.length ? [`id NOT IN [${excludeIds.map(quote).join(', ')}]`] : []),
  ];
  return clauses.length ? clauses.join(' AND ') : undefined;
}
