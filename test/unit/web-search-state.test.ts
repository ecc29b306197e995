import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema/index.js';
import { COUNCIL_PUBLISHED_QUERY, COUNCIL_QUERY } from '../../web/pages/council-page.js';
import { ITEM_PAGE_QUERY } from '../../web/pages/item-query.js';
import { SEARCH_PAGE_QUERY } from '../../web/pages/search-query.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { pageCursor, parseSearch, searchFilter, searchUrl, withoutFilter } from '../../web/search-state.js';
import { readSuggestions, suggestionsRequest } from '../../web/pages/suggestions.js';

const council = encodeGlobalId('Council', '0b1e6f0e-8a8e-4a57-9d5f-2d2f0c7f4a11');

describe('the search URL holds the whole search', () => {
  it('reads a query string and writes the same search back', () => {
    const state = parseSearch(new URLSearchParams(`q=missed+bins&kind=PROBLEM&area=WASTE&council=${council}&status=OPEN&tag=in-cab&page=2`));
    expect(state).toEqual({
      q: 'missed bins', kinds: ['PROBLEM'], areas: ['WASTE'], councils: [council], statuses: ['OPEN'], tags: ['in-cab'],
      regions: [], councilKinds: [], phases: [], outcomes: [], freshness: [], page: 2,
    });
    expect(parseSearch(new URL(`http://x${searchUrl(state)}`).searchParams)).toEqual(state);
    expect(searchFilter(state)).toEqual({ kinds: ['PROBLEM'], serviceAreas: ['WASTE'], councilIds: [council], statuses: ['OPEN'], tags: ['in-cab'] });
  });

  it('holds region, council type, solution phase and case study outcome', () => {
    const state = parseSearch(new URLSearchParams('region=South+East&region=Atlantis&council_type=UNITARY&council_type=unitary&phase=LIVE&phase=GAMMA&outcome=WORKED'));
    expect(state).toMatchObject({ regions: ['South East'], councilKinds: ['UNITARY'], phases: ['LIVE'], outcomes: ['WORKED'] });
    expect(searchUrl(state)).toBe('/?region=South+East&council_type=UNITARY&phase=LIVE&outcome=WORKED');
    expect(searchFilter(state)).toEqual({ regions: ['South East'], councilKinds: ['UNITARY'], phases: ['LIVE'], outcomes: ['WORKED'] });
    expect(withoutFilter(state, 'phases', 'LIVE')).toBe('/?region=South+East&council_type=UNITARY&outcome=WORKED');
  });

  it('holds "may be out of date" as a filter the API takes as mayBeOutOfDate', () => {
    const state = parseSearch(new URLSearchParams('q=bins&freshness=MAY_BE_OUT_OF_DATE&freshness=STALE'));
    expect(state.freshness).toEqual(['MAY_BE_OUT_OF_DATE']);
    expect(searchUrl(state)).toBe('/?q=bins&freshness=MAY_BE_OUT_OF_DATE');
    expect(searchFilter(state)).toEqual({ mayBeOutOfDate: true });
    expect(withoutFilter(state, 'freshness', 'MAY_BE_OUT_OF_DATE')).toBe('/?q=bins');
    expect(searchFilter(parseSearch(new URLSearchParams('freshness=STALE')))).toBeNull();
  });

  it('drops values that cannot be right instead of failing the page', () => {
    const other = encodeGlobalId('Problem', '0b1e6f0e-8a8e-4a57-9d5f-2d2f0c7f4a11');
    const state = parseSearch(new URLSearchParams(`kind=NOPE&area=NOWHERE&area=waste&council=${other}&council=%3Cx%3E&status=Open!&page=51`));
    expect(state).toMatchObject({ kinds: [], areas: [], councils: [], statuses: [], page: 1 });
    expect(searchFilter(state)).toBeNull();
  });

  it('removes one filter value, or all of them, and goes back to page 1', () => {
    const state = parseSearch(new URLSearchParams('q=bins&kind=PROBLEM&kind=SOLUTION&tag=crm&page=3'));
    expect(withoutFilter(state, 'kinds', 'PROBLEM')).toBe('/?q=bins&kind=SOLUTION&tag=crm');
    expect(withoutFilter(state)).toBe('/?q=bins');
  });

  it('turns a page number into the cursor that ends the page before', () => {
    expect(pageCursor(1)).toBeNull();
    expect(Buffer.from(pageCursor(3)!, 'base64url').toString()).toBe('search:40');
  });
});

describe('suggestions for a search that found nothing', () => {
  it('asks for the search with each word left out, in one request', () => {
    const request = suggestionsRequest('missed bins helicopter', { kinds: ['PROBLEM'] })!;
    expect(request.variables).toEqual({ q: 'missed bins helicopter', filter: { kinds: ['PROBLEM'] }, q0: 'bins helicopter', q1: 'missed helicopter', q2: 'missed bins' });
    expect(request.document).toContain('s2: search(query: $q2, filter: $filter, first: 1)');
    const suggestions = readSuggestions(request, {
      s0: { totalCount: 0 }, s1: { totalCount: 2 }, s2: { totalCount: 9 },
      similar: [{ item: { id: 'x', kind: 'PROBLEM', title: 'Missed bins', council: { name: 'Wigan Council' } } }],
    });
    expect(suggestions.shorter).toEqual([{ q: 'missed bins', count: 9 }, { q: 'missed helicopter', count: 2 }]);
    expect(suggestions.related).toHaveLength(1);
  });

  it('asks only for related items when there is one word, and for nothing when there are none', () => {
    const single = suggestionsRequest('helicoptr', { kinds: ['PROBLEM'] })!;
    expect(single.document).not.toContain('s0:');
    expect(single.document).not.toContain('$filter');
    expect(single.variables).toEqual({ q: 'helicoptr' });
    expect(suggestionsRequest('  ', null)).toBeNull();
  });
});

describe("the pages' GraphQL documents", () => {
  const schema = buildSchema();
  const documents: [string, string][] = [
    ['search page', SEARCH_PAGE_QUERY],
    ['item page', ITEM_PAGE_QUERY],
    ['council page', COUNCIL_QUERY],
    ['council published', COUNCIL_PUBLISHED_QUERY],
    ['suggestions, one word', suggestionsRequest('helicoptr', null)!.document],
    ['suggestions, several words', suggestionsRequest('missed bins helicopter', null)!.document],
    // The live notice's subscription and search, as the browser sends them.
    ...[...readFileSync(new URL('../../web/public/council-commons.js', import.meta.url), 'utf8').matchAll(/^const (\w+) = '(.+)';$/gm)]
      .map(([, name, document]) => [`live notice ${name}`, document!] as [string, string]),
  ];
  it('includes the live notice documents', () => expect(documents.filter(([name]) => name.startsWith('live')).length).toBe(2));
  it.each(documents)('%s is valid against the schema', (_, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });
});
