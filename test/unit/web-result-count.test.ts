import { describe, expect, it } from 'vitest';
import { resultCount } from '../../web/pages/search-page.js';

const edges = (n: number) => Array.from({ length: n }, () => ({}) as never);

describe('the search page result count', () => {
  it('states exact counts plainly', () => {
    expect(resultCount({ totalCount: 1, countsAreEstimates: false, edges: edges(1) }, 1, 1)).toBe('1 result');
    expect(resultCount({ totalCount: 1234, countsAreEstimates: false, edges: edges(20) }, 21, 40)).toBe('1,234 results, showing 21 to 40');
  });

  it('says when the engine estimated a broad search\'s counts', () => {
    expect(resultCount({ totalCount: 48200, countsAreEstimates: true, edges: edges(20) }, 1, 20))
      .toBe('About 48,200 results, showing 1 to 20. Counts are estimates for a search this broad.');
  });
});
