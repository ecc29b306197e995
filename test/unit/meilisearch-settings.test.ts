import { describe, expect, it } from 'vitest';
import { MAX_TOTAL_HITS } from '../../server/search/engine.js';
import { totalOf } from '../../server/search/meilisearch-query.js';
import { MEILISEARCH_SETTINGS, MEILISEARCH_STOP_WORDS, oneWaySynonyms } from '../../server/search/meilisearch-settings.js';
import { ENGLISH_STOP_WORDS, normalizeWords } from '../../server/search/query-plan.js';
import { SYNONYM_GROUPS } from '../../server/search/synonyms.js';

// What the adapter sends Meilisearch for problems 1, 2 and 3. Whether Meilisearch then ranks
// and counts as read in its source is checked by the contract suite (MEILISEARCH_URL).
describe('Meilisearch settings and counts', () => {
  it('no word of a synonym phrase is a stop word, so no gap stops the synonym lookup (problem 1)', () => {
    const phraseWords = new Set(SYNONYM_GROUPS.flat().flatMap(normalizeWords));
    expect(MEILISEARCH_SETTINGS.stopWords.filter((w) => phraseWords.has(w))).toEqual([]);
    for (const word of ['and', 'of', 'in', 'after', 'or', 'not']) expect(MEILISEARCH_STOP_WORDS).not.toContain(word);
    // The rest of the list is kept: common words still do not have to match.
    expect(MEILISEARCH_STOP_WORDS).toEqual(expect.arrayContaining(['the', 'with', 'for', 'to']));
    expect(MEILISEARCH_STOP_WORDS.every((w) => ENGLISH_STOP_WORDS.includes(w))).toBe(true);
  });

  it('names the long forms Meilisearch never looks up (more than three words)', () => {
    expect(oneWaySynonyms()).toEqual(expect.arrayContaining([
      'education health and care plan', 'houses in multiple occupation', 'deprivation of liberty safeguards',
    ]));
    expect(oneWaySynonyms()).not.toContain('freedom of information');
    expect(oneWaySynonyms()).not.toContain('looked after children');
  });

  it('lists each facet\'s commonest values, not its first by name (problem 2)', () => {
    expect(MEILISEARCH_SETTINGS.faceting).toEqual({ maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } });
  });

  it('flags counts as estimates only when they may be (problem 3)', () => {
    const kinds = (...counts: number[]) => counts.map((count, i) => ({ value: `k${i}`, count }));
    expect(totalOf(31, undefined)).toEqual({ total: 31, countsAreEstimates: false });
    expect(totalOf(MAX_TOTAL_HITS - 1, undefined)).toEqual({ total: MAX_TOTAL_HITS - 1, countsAreEstimates: false });
    // At the cap without facets, the total is only "at least".
    expect(totalOf(MAX_TOTAL_HITS, undefined)).toEqual({ total: MAX_TOTAL_HITS, countsAreEstimates: true });
    // Facet counts are not capped and every item has one kind: their sum is the exact total.
    expect(totalOf(MAX_TOTAL_HITS, kinds(2_000, 700, 300))).toEqual({ total: 3_000, countsAreEstimates: false });
    expect(totalOf(31, kinds(30, 1))).toEqual({ total: 31, countsAreEstimates: false });
    expect(totalOf(0, [])).toEqual({ total: 0, countsAreEstimates: false });
  });
});
