import { describe, expect, it } from 'vitest';
import { matchingAlternatives } from '../../server/search/postgres-search.js';

describe('the alternatives a Postgres search tests on every row', () => {
  it('drops a plural beside its singular and a phrase beside one of its words, whatever the case', () => {
    expect(matchingAlternatives(['bins', 'bin', 'waste collection', 'waste collections', 'refuse', 'refuse collection']))
      .toEqual(['bin', 'waste collection', 'refuse']);
    expect(matchingAlternatives(['council tax', 'ctax', 'CTaxs'])).toEqual(['council tax', 'ctax']);
  });

  it('drops a phrase that holds a shorter alternative word for word, and a repeat', () => {
    expect(matchingAlternatives(['send', 'sen', 'special educational needs', 'special educational needs and disabilities', 'special needs']))
      .toEqual(['send', 'sen', 'special educational needs', 'special needs']);
    expect(matchingAlternatives(['Waste', 'waste', 'garden waste collection', 'waste collection'])).toEqual(['Waste']);
  });

  it('keeps what only it can match', () => {
    expect(matchingAlternatives(['bus', 'buses'])).toEqual(['bus', 'buses']);
    expect(matchingAlternatives(['blue badge', 'badges'])).toEqual(['blue badge', 'badges']);
    expect(matchingAlternatives(['send'])).toEqual(['send']);
    // Not word for word: "needs special" and "special educational needs" are each a phrase of their own.
    expect(matchingAlternatives(['special needs', 'special educational needs', 'needs special']))
      .toEqual(['special needs', 'special educational needs', 'needs special']);
  });
});
