import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchDocument, SearchEngine, SearchRequest } from '../../server/search/engine.js';
import { createPostgresEngine } from '../../server/search/postgres-engine.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { generateCorpus } from '../support/search-corpus.js';
import { testEmbedder } from '../support/embedder.js';

const SIZE = 1_200;
const COUNCIL = { id: 'c0000000-0000-4000-8000-000000000001', name: 'Bristol City Council' };
const docId = (n: number) => `d0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * The Postgres engine's broad-query path (a sample for the counts, the newest matches as
 * candidates), brought down to a small corpus by lowering its limits: with fewer matches
 * than the candidate bound, it must rank exactly as the exact path does, and its estimates
 * must be flagged and near the true counts.
 */
describe.each(testDatabases())('broad searches on the Postgres engine on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let exact: SearchEngine;
  let broad: SearchEngine;

  beforeAll(async () => {
    database = await engine.create();
    exact = createPostgresEngine(database.db, { embedder: await testEmbedder() });
    broad = createPostgresEngine(database.db, { embedder: await testEmbedder(), exactMatchLimit: 100, sampleRows: 250 });
    const documents: SearchDocument[] = generateCorpus(SIZE, 11).map((item, i) => ({
      id: docId(i + 1), kind: item.kind, councilId: COUNCIL.id, councilName: COUNCIL.name, title: item.title,
      summary: item.summary, body: item.body, serviceArea: item.serviceArea, tags: item.tags, status: 'open',
      region: 'North West', councilKind: 'unitary', phase: null, outcome: null, publishedAt: Date.UTC(2024, 0, 1) + i * 3_600_000, updatedAt: Date.UTC(2025, 0, 1),
    }));
    for (let i = 0; i < documents.length; i += 200) await exact.upsert(documents.slice(i, i + 200));
    // The sample is sized from the planner's row count.
    await sql`analyze search_documents`.execute(database.db);
  });
  afterAll(async () => database?.close());

  const both = async (query: string, extra: Partial<SearchRequest> = {}) => {
    const request = { query, offset: 0, limit: 20, ...extra };
    return { exact: await exact.search(request), broad: await broad.search(request) };
  };
  const ids = (result: { hits: readonly { document: { id: string } }[] }) => result.hits.map((h) => h.document.id);

  it('ranks a broad query as the exact path does when every match is a candidate, on every page and in both orders', async () => {
    for (const query of ['paper forms', 'residents', '']) {
      // A broad query is ranked by its words only (meaning adds nothing to common words), so
      // the exact path is compared with words only too.
      for (const extra of [{ semanticRatio: 0 }, { offset: 20, semanticRatio: 0 }, { sort: 'newest' as const, semanticRatio: 0 }]) {
        const { exact: e, broad: b } = await both(query, extra);
        expect(e.total, query).toBeGreaterThan(100);
        expect(e.countsAreEstimates).toBe(false);
        expect(b.countsAreEstimates, query).toBe(true);
        expect(ids(b), `${query} ${JSON.stringify(extra)}`).toEqual(ids(e));
        expect(b.hits[0]?.highlights).toEqual(e.hits[0]?.highlights);
      }
    }
  });

  it('estimates the total and the facet counts near the true ones, the same on every page', async () => {
    const { exact: e, broad: b } = await both('paper forms');
    expect(Math.abs(b.total - e.total) / e.total).toBeLessThan(0.4);
    const kinds = (facets: typeof e.facets) => Object.fromEntries(facets.kind.map((f) => [f.value, f.count]));
    for (const [kind, count] of Object.entries(kinds(e.facets))) {
      expect(Math.abs((kinds(b.facets)[kind] ?? 0) - count), kind).toBeLessThan(Math.max(0.5 * count, 30));
    }
    const again = await broad.search({ query: 'paper forms', offset: 20, limit: 20 });
    expect(again.total).toBe(b.total);
    expect(again.facets).toEqual(b.facets);
  });

  it('keeps narrow queries exact', async () => {
    const { exact: e, broad: b } = await both('pothole repairs');
    expect(e.total).toBeGreaterThan(0);
    expect(e.total).toBeLessThan(100);
    expect(b.countsAreEstimates).toBe(false);
    expect(b).toEqual({ ...e, processingTimeMs: b.processingTimeMs });
  });

  it('answers a query no item fully matches with the items that have some of its words, as the exact path does, and says so', async () => {
    const extra = (n: number, title: string): SearchDocument => ({
      id: docId(SIZE + n), kind: 'problem', councilId: COUNCIL.id, councilName: COUNCIL.name, title, summary: title, body: '',
      serviceArea: 'waste', tags: [], status: 'open', region: 'North West', councilKind: 'unitary', phase: null, outcome: null,
      publishedAt: Date.UTC(2024, 6, 1) + n, updatedAt: Date.UTC(2025, 0, 1),
    });
    await exact.upsert([extra(1, 'Zebra crossing survey'), extra(2, 'Quokka count at the depot'), extra(3, 'Zebra and marmot signage')]);
    try {
      // Words only: each engine's vector index catches up on its own clock, so right after
      // the upsert their semantic candidates may differ.
      const words = { semanticRatio: 0 };
      // No item has both words: the sample cannot hold one, so the search for some of the
      // words comes first, without a search for all of them.
      const none = await both('zebra quokka', words);
      expect(none.broad.partialMatches).toBe(true);
      expect(ids(none.broad).slice(0, 3).sort()).toEqual([docId(SIZE + 1), docId(SIZE + 2), docId(SIZE + 3)]);
      // One item has both: it comes first, and the results are not called partial.
      const one = await both('zebra marmot', words);
      expect(one.broad.partialMatches).toBe(false);
      expect(ids(one.broad).slice(0, 2)).toEqual([docId(SIZE + 3), docId(SIZE + 1)]);
      for (const { exact: e, broad: b } of [none, one]) {
        expect(b.countsAreEstimates).toBe(false);
        expect({ ...b, processingTimeMs: 0 }).toEqual({ ...e, processingTimeMs: 0 });
      }
    } finally {
      await exact.delete([docId(SIZE + 1), docId(SIZE + 2), docId(SIZE + 3)]);
    }
  });

  it('applies filters to the estimates and to the candidates', async () => {
    const filter = { serviceAreas: ['waste'] };
    const { exact: e, broad: b } = await both('', { filter });
    expect(b.hits.every((h) => h.document.serviceArea === 'waste')).toBe(true);
    expect(ids(b)).toEqual(ids(e));
    expect(b.facets.serviceArea.map((f) => f.value)).toEqual(['waste']);
  });
});
