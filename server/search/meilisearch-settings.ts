import type { SearchFilter } from './engine.js';
import { MAX_TOTAL_HITS } from './engine.js';
import { ENGLISH_STOP_WORDS } from './query-plan.js';
import { synonymMap } from './synonyms.js';

/**
 * The index settings, applied idempotently whenever a worker becomes active
 * (PATCH /indexes/{uid}/settings, only when they differ from what the index has).
 */
export const MEILISEARCH_SETTINGS = {
  // In order of importance: a title match outranks a body match.
  searchableAttributes: ['title', 'tags', 'summary', 'body', 'councilName'],
  filterableAttributes: ['id', 'kind', 'serviceArea', 'councilId', 'tags', 'status'],
  sortableAttributes: ['publishedAt'],
  // `sort` first: with no sort parameter it does nothing; with one, "newest" means newest.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  synonyms: synonymMap(),
  stopWords: [...ENGLISH_STOP_WORDS],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
  faceting: { maxValuesPerFacet: 100 },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
};

// Settings whose arrays are sets: Meilisearch may return them in another order.
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
    ...(excludeIds.length ? [`id NOT IN [${excludeIds.map(quote).join(', ')}]`] : []),
  ];
  return clauses.length ? clauses.join(' AND ') : undefined;
}
