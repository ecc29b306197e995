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
  let counted: SearchEngine;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await engine.create({ onQuery: (text) => statements.push(text) });
    exact = createPostgresEngine(database.db, { embedder: await testEmbedder() });
    broad = createPostgresEngine(database.db, { embedder: await testEmbedder(), exactMatchLimit: 100, sampleRows: 250 });
    // Every match ranked, the facets counted from the sample above 50 matches.
    counted = createPostgresEngine(database.db, { embedder: await testEmbedder(), exactCountLimit: 50, exactMatchLimit: 1_000_000, sampleRows: 250 });
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

  it('ranks every match of a query of a few thousand, counting its facets from the sample', async () => {
    for (const extra of [{ semanticRatio: 0 }, { offset: 20, semanticRatio: 0 }, { sort: 'newest' as const, semanticRatio: 0 }]) {
      const request = { query: 'paper forms', offset: 0, limit: 20, ...extra };
      const e = await exact.search(request);
      const c = await counted.search(request);
      expect(e.total).toBeGreaterThan(100);
      expect(c.countsAreEstimates).toBe(true);
      expect(ids(c)).toEqual(ids(e));
      expect(c.hits.map((h) => h.highlights)).toEqual(e.hits.map((h) => h.highlights));
      // The total is the exact count; the facets are the sample's, scaled up.
      expect(c.total).toBe(e.total);
      const kinds = (facets: typeof e.facets) => Object.fromEntries(facets.kind.map((f) => [f.value, f.count]));
      for (const [kind, count] of Object.entries(kinds(e.facets))) {
        expect(Math.abs((kinds(c.facets)[kind] ?? 0) - count), kind).toBeLessThan(Math.max(0.5 * count, 30));
      }
    }
    // Under the count limit, everything is exact.
    const narrow = await counted.search({ query: 'pothole repairs', offset: 0, limit: 20 });
    expect(narrow.countsAreEstimates).toBe(false);
    expect(narrow).toEqual({ ...(await exact.search({ query: 'pothole repairs', offset: 0, limit: 20 })), processingTimeMs: narrow.processingTimeMs });
  });

  it('takes the sample once while the index barely changes, and again once a hundredth of it has', async () => {
    const samples = () => statements.filter((text) => text.includes('tablesample system ((select percent from share))')).length;
    const first = await broad.search({ query: 'residents', offset: 0, limit: 20 });
    const taken = samples();
    expect(taken).toBeGreaterThan(0);
    // The next page, and the same search again: the same figures, from the same sample.
    expect((await broad.search({ query: 'residents', offset: 20, limit: 20 })).facets).toEqual(first.facets);
    expect((await broad.search({ query: 'residents', offset: 0, limit: 20 })).total).toBe(first.total);
    expect(samples()).toBe(taken);
    // A hundredth of the index and one more document later, the sample is taken again.
    const added = Array.from({ length: SIZE / 100 + 1 }, (_, i): SearchDocument => ({
      id: docId(SIZE + 100 + i), kind: 'problem', councilId: COUNCIL.id, councilName: COUNCIL.name, title: `Residents survey ${i}`, summary: 'Residents asked',
      body: '', serviceArea: 'waste', tags: [], status: 'open', region: 'North West', councilKind: 'unitary', phase: null, outcome: null,
      publishedAt: Date.UTC(2024, 6, 2) + i, updatedAt: Date.UTC(2025, 0, 1),
    }));
    await exact.upsert(added);
    try {
      // The vector index notices changes on its own clock (at most one read per 200 ms).
      await new Promise((resolve) => setTimeout(resolve, 250));
      await broad.search({ query: 'residents', offset: 0, limit: 20 });
      expect(samples()).toBeGreaterThan(taken);
    } finally {
      await exact.delete(added.map((d) => d.id));
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
