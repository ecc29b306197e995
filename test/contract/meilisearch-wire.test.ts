import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { consumerStatus } from '../../server/events/consumer-cursors.js';
import { createLocalSignal } from '../../server/events/signal.js';
import { createLogger } from '../../server/logger.js';
import { createProblemService } from '../../server/domain/problems.js';
import { SEARCH_INDEXER, type SearchEngine } from '../../server/search/engine.js';
import { MATCH_END, MATCH_START } from '../../server/search/highlight.js';
import { createMeilisearchEngine } from '../../server/search/meilisearch-engine.js';
import { meilisearchSettings } from '../../server/search/meilisearch-settings.js';
import { createConsumerWorker } from '../../workers/runtime.js';
import { createSearchIndexer } from '../../workers/search-indexer.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils } from '../support/factories.js';
import { startRecordingMeilisearch, type RecordingMeilisearch } from '../support/recording-meilisearch.js';
import { waitFor } from '../support/wait-for.js';
import { COUNCILS, CORPUS, IDS } from './contract-corpus.js';
import { testEmbedder } from '../support/embedder.js';

// Every request the adapter makes goes to a recording double that checks it against
// Meilisearch's documented API. This is not a Meilisearch server: relevance is tested by
// the contract suite, which runs against Meilisearch only when MEILISEARCH_URL is set.
describe('the Meilisearch adapter at the wire (recording double checked against the documented API)', () => {
  let double: RecordingMeilisearch;
  let engine: SearchEngine;
  const routes = (from = 0) => double.requests.slice(from).map((r) => `${r.method} ${r.path}`);

  beforeEach(async () => {
    double = await startRecordingMeilisearch({ apiKey: 'wire-test-key' });
    engine = createMeilisearchEngine({ url: double.url, apiKey: 'wire-test-key', taskPollMs: 1, embedder: await testEmbedder() });
  });
  afterEach(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
  });

  it('creates the index and applies its settings once, waiting for each task to succeed', async () => {
    await engine.ensureSettings();
    expect(routes()).toEqual([
      'GET /version', 'GET /indexes/content', 'POST /indexes', 'GET /tasks/0', 'GET /tasks/0',
      'GET /indexes/content/settings', 'PATCH /indexes/content/settings', 'GET /tasks/1', 'GET /tasks/1',
    ]);
    expect(double.requests[2]!.body).toEqual({ uid: 'content', primaryKey: 'id' });
    expect(double.requests[6]!.body).toEqual(meilisearchSettings(100));
    expect(double.requests[6]!.body).toMatchObject({ embedders: { default: { source: 'userProvided', dimensions: 100 } } });
    expect(double.tasks.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    // The double answers settings as Meilisearch stores them (defaults filled in, sets
    // sorted), and they still count as applied.
    const before = double.requests.length;
    await engine.ensureSettings();
    expect(routes(before)).toEqual(['GET /indexes/content', 'GET /indexes/content/settings']);
  });

  it('resolves writes only after their task has succeeded, and throws when one fails', async () => {
    await engine.ensureSettings();
    const before = double.requests.length;
    await engine.upsert(CORPUS);
    const add = double.requests[before]!;
    expect(`${add.method} ${add.path}`).toBe('POST /indexes/content/documents');
    expect(add.query).toEqual({ primaryKey: 'id' });
    expect(routes(before).at(-1)).toMatch(/^GET \/tasks\/\d+$/);
    expect(double.tasks.at(-1)).toMatchObject({ type: 'documentAdditionOrUpdate', status: 'succeeded' });
    expect(double.indexes.get('content')!.documents.size).toBe(CORPUS.length);
    // Each document carries the vector the indexer computed, of length 1.
    const vector = (add.body as { _vectors: { default: number[] } }[])[0]!._vectors.default;
    expect(vector).toHaveLength(100);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 4);

    double.failTasks('documentDeletion', 1);
    await expect(engine.delete([IDS.potholes])).rejects.toThrow(/documentDeletion\) failed: scripted failure/);
    expect(double.indexes.get('content')!.documents.has(IDS.potholes)).toBe(true);
    await engine.delete([IDS.potholes]);
    expect(double.requests.at(-3)!.body).toEqual([IDS.potholes]);
    expect(double.indexes.get('content')!.documents.has(IDS.potholes)).toBe(false);
  });

  it('sends a documented search and maps hits, highlights, facets and timing', async () => {
    await engine.ensureSettings();
    const selected = {
      serviceArea: { housing: 9 }, councilId: { [COUNCILS.kent.id]: 8 }, tags: { 'say "hi"': 3 }, status: { open: 7 },
      region: { 'South East': 6 }, councilKind: { county: 6 }, phase: { beta: 2 }, outcome: { worked: 1 },
    };
    double.respondToSearch((_, body) => (body.limit === 0 ? {
      hits: [], query: body.q, processingTimeMs: 1, limit: 0, offset: 0, estimatedTotalHits: 9, facetDistribution: selected,
    } : {
      hits: [{ ...CORPUS[0], body: undefined, _formatted: { title: `Housing ${MATCH_START}repairs${MATCH_END} <b>now</b>`, summary: 'plain & simple' } }],
      query: body.q, processingTimeMs: 7, limit: body.limit, offset: body.offset, estimatedTotalHits: 31,
      facetDistribution: { kind: { problem: 30, solution: 1 }, tags: { b: 2, a: 2, c: 5 } },
    }));
    const filter = `kind IN ["problem"] AND serviceArea IN ["housing"] AND councilId IN ["${COUNCILS.kent.id}"] AND tags IN ["say \\"hi\\""] AND status IN ["open"]`
      + ' AND region IN ["South East"] AND councilKind IN ["county"] AND phase IN ["beta"] AND outcome IN ["worked"] AND outOfDate = true';
    const result = await engine.search({
      query: 'housing repairs', offset: 20, limit: 10, sort: 'newest',
      filter: {
        kinds: ['problem'], councilIds: [COUNCILS.kent.id], tags: ['say "hi"'], serviceAreas: ['housing'], statuses: ['open'],
        regions: ['South East'], councilKinds: ['county'], phases: ['beta'], outcomes: ['worked'], mayBeOutOfDate: true,
      },
    });
    const request = double.requests.find((r) => r.path === '/indexes/content/search')!;
    expect(request.body).toMatchObject({
      q: 'housing repairs', offset: 20, limit: 10, matchingStrategy: 'all', sort: ['publishedAt:desc'],
      facets: ['kind', 'serviceArea', 'councilId', 'tags', 'status', 'region', 'councilKind', 'phase', 'outcome'], attributesToHighlight: ['title', 'summary'],
      highlightPreTag: MATCH_START, highlightPostTag: MATCH_END, filter,
    });
    expect((request.body as { attributesToRetrieve: string[] }).attributesToRetrieve).not.toContain('body');
    // Hybrid: the query's own vector, meaning weighted 0.3 against words.
    expect(request.body).toMatchObject({ hybrid: { embedder: 'default', semanticRatio: 0.3 } });
    expect((request.body as { vector: number[] }).vector).toHaveLength(100);
    expect(result.partialMatches).toBe(false);
    expect(result.total).toBe(31);
    expect(result.countsAreEstimates).toBe(false);
    expect(result.processingTimeMs).toBe(7);
    expect(result.hits[0]!.highlights).toEqual({ title: 'Housing <mark>repairs</mark> &lt;b&gt;now&lt;/b&gt;', summary: 'plain &amp; simple' });
    expect(result.hits[0]!.document.id).toBe(CORPUS[0]!.id);
    // Selected values missing from the distribution (past Meilisearch's cut) are counted in
    // one multi-search, each narrowed to its value.
    const counts = double.requests.at(-1)!;
    expect(routes().at(-1)).toBe('POST /multi-search');
    expect((counts.body as { queries: unknown[] }).queries).toEqual([
      ['serviceArea', 'serviceArea IN ["housing"]'], ['councilId', `councilId IN ["${COUNCILS.kent.id}"]`],
      ['tags', 'tags IN ["say \\"hi\\""]'], ['status', 'status IN ["open"]'], ['region', 'region IN ["South East"]'],
      ['councilKind', 'councilKind IN ["county"]'], ['phase', 'phase IN ["beta"]'], ['outcome', 'outcome IN ["worked"]'],
    ].map(([facet, clause]) => ({
      indexUid: 'content', q: 'housing repairs', limit: 0, matchingStrategy: 'all', facets: [facet], filter: `${filter} AND ${clause}`,
      // Counted over the same hybrid hits as the page.
      hybrid: { embedder: 'default', semanticRatio: 0.3 }, vector: (request.body as { vector: number[] }).vector,
    })));
    expect(result.facets.tags).toEqual([{ value: 'c', count: 5 }, { value: 'say "hi"', count: 3 }, { value: 'a', count: 2 }, { value: 'b', count: 2 }]);
    expect(result.facets.councilId).toEqual([{ value: COUNCILS.kent.id, count: 8 }]);
    expect(result.facets.region).toEqual([{ value: 'South East', count: 6 }]);
    expect(result.facets.phase).toEqual([{ value: 'beta', count: 2 }]);
    expect(result.hits[0]!.document).toMatchObject({ region: CORPUS[0]!.region, councilKind: CORPUS[0]!.councilKind, phase: null, outcome: null });
  });

  it('relaxes to matching some words when no document has them all, and says the matches are partial', async () => {
    await engine.ensureSettings();
    double.respondToSearch((_, body) => ({
      hits: body.matchingStrategy === 'last' ? [CORPUS[2]] : [], query: body.q, processingTimeMs: 1, limit: body.limit,
      offset: body.offset, estimatedTotalHits: body.matchingStrategy === 'last' ? 1 : 0, facetDistribution: {},
    }));
    const result = await engine.search({ query: 'missed gritting', offset: 0, limit: 20, facets: false });
    expect(double.requests.at(-1)!.body).not.toHaveProperty('facets');
    expect(double.requests.slice(-2).map((r) => (r.body as { matchingStrategy: string }).matchingStrategy)).toEqual(['all', 'last']);
    expect(result.hits.map((h) => h.document.id)).toEqual([IDS.missedBins]);
    expect(result.partialMatches).toBe(true);
    // Words only when asked: no vector is sent.
    await engine.search({ query: 'missed bins', offset: 0, limit: 20, facets: false, semanticRatio: 0 });
    expect(double.requests.at(-1)!.body).not.toHaveProperty('hybrid');
    expect(double.requests.at(-1)!.body).not.toHaveProperty('vector');
  });

  it('fills a page that too few full matches leave short with the items having the rarer words (frequency), not called partial', async () => {
    await engine.ensureSettings();
    double.respondToSearch((_, body) => ({
      hits: body.matchingStrategy === 'frequency' ? [CORPUS[2], CORPUS[0]] : [CORPUS[2]], query: body.q, processingTimeMs: 1, limit: body.limit,
      offset: body.offset, estimatedTotalHits: body.matchingStrategy === 'frequency' ? 2 : 1, facetDistribution: {},
    }));
    const before = double.requests.length;
    const result = await engine.search({ query: 'missed bin calls', offset: 0, limit: 20, facets: false });
    expect(double.requests.slice(before).map((r) => (r.body as { matchingStrategy: string }).matchingStrategy)).toEqual(['all', 'frequency']);
    expect(result.hits.map((h) => h.document.id)).toEqual([IDS.missedBins, CORPUS[0]!.id]);
    expect(result.partialMatches).toBe(false);
    // A page the full matches fill is not searched again.
    const filled = double.requests.length;
    await engine.search({ query: 'missed bin calls', offset: 0, limit: 1, facets: false });
    expect(double.requests.length - filled).toBe(1);
  });

  it('drops words that match nothing when even the first word is missing (two-word query, first word absent)', async () => {
    await engine.ensureSettings();
    // A scripted stand-in for ranking: an item matches when it has the words the strategy keeps.
    const known = new Set(['missed', 'bins']);
    const matches = (q: string, strategy: string) => {
      const words = q.split(' ');
      return strategy === 'all' ? words.every((w) => known.has(w)) : known.has(words[0]!);
    };
    double.respondToSearch((_, body) => {
      const hit = matches(body.q, body.matchingStrategy ?? 'last');
      return { hits: hit && body.limit > 0 ? [CORPUS[2]] : [], query: body.q, processingTimeMs: 1, limit: body.limit, offset: body.offset ?? 0, estimatedTotalHits: hit ? 1 : 0, facetDistribution: {} };
    });
    const before = double.requests.length;
    const result = await engine.search({ query: 'gritting bins', offset: 0, limit: 20, facets: false });
    expect(double.requests.slice(before).map((r) => {
      const body = r.body as { q?: string; matchingStrategy?: string; queries?: { q: string }[] };
      return body.queries ? `multi ${body.queries.map((q) => q.q).join(',')}` : `${body.q} ${body.matchingStrategy}`;
    })).toEqual(['gritting bins all', 'gritting bins last', 'multi gritting,bins', 'bins last']);
    expect(result.hits.map((h) => h.document.id)).toEqual([IDS.missedBins]);
    expect(result.total).toBe(1);
  });

  it('finds more-like-this by meaning, scoring hits by the cosine of their stored vectors', async () => {
    await engine.ensureSettings();
    const embedder = await testEmbedder();
    const text = 'Missed bins typed in by the contact centre';
    const same = Array.from(embedder.embed(text));
    const other = Array.from(embedder.embed('Sandbag stock levels at depots'));
    double.respondToSearch((_, body) => ({
      hits: [
        { ...CORPUS[2], _vectors: { default: { embeddings: [same], regenerate: false } } },
        { ...CORPUS[13], _vectors: { default: { embeddings: [other], regenerate: false } } },
      ],
      query: body.q, processingTimeMs: 1, limit: body.limit, offset: 0, estimatedTotalHits: 2,
    }));
    const similar = await engine.moreLikeThis({ text, kinds: ['problem'], excludeIds: [IDS.housingRepairs], limit: 5 });
    expect(double.requests.at(-1)!.body).toMatchObject({
      q: '', limit: 5, hybrid: { embedder: 'default', semanticRatio: 1 }, retrieveVectors: true,
      filter: `kind IN ["problem"] AND id NOT IN ["${IDS.housingRepairs}"]`,
    });
    expect(similar[0]).toEqual({ document: expect.objectContaining({ id: IDS.missedBins }), score: 1 });
    expect(similar[1]!.score).toBeLessThan(0.6);
  });

  it('rebuilds into a fresh index and swaps it in atomically', async () => {
    await engine.ensureSettings();
    await engine.upsert(CORPUS);
    const before = double.requests.length;
    const rebuild = await engine.beginRebuild();
    await rebuild.upsert(CORPUS.slice(0, 3));
    expect(double.indexes.get('content')!.documents.size).toBe(CORPUS.length);
    await rebuild.finish();
    const writes = routes(before).filter((r) => !r.startsWith('GET'));
    expect(writes).toEqual([
      'DELETE /indexes/content_rebuild', 'POST /indexes', 'PATCH /indexes/content_rebuild/settings',
      'POST /indexes/content_rebuild/documents', 'POST /swap-indexes', 'DELETE /indexes/content_rebuild',
    ]);
    expect(double.requests.find((r) => r.path === '/swap-indexes')!.body).toEqual([{ indexes: ['content', 'content_rebuild'] }]);
    expect([...double.indexes.get('content')!.documents.keys()]).toEqual(CORPUS.slice(0, 3).map((d) => d.id));
    expect(double.indexes.has('content_rebuild')).toBe(false);
  });
});

describe('the search indexer over the Meilisearch adapter (recording double)', () => {
  let database: TestDatabaseHandle;
  let double: RecordingMeilisearch;
  beforeAll(async () => {
    database = await pgliteDatabase.create();
    double = await startRecordingMeilisearch();
  });
  afterAll(async () => {
    await double?.close();
    await database?.close();
  });

  it('keeps its cursor while Meilisearch tasks fail, retries, and moves on once they succeed', async () => {
    const people = await createTwoCouncils(database.db);
    const problems = createProblemService({ db: database.db, transact: createTransact(database.db) });
    const problem = await problems.create(people.a.editor.viewer, { title: 'Parking permits renewed on paper', summary: 'Residents post forms.', serviceArea: 'highways_transport' });
    await problems.publish(people.a.editor.viewer, problem.id);
    const engine = createMeilisearchEngine({ url: double.url, taskPollMs: 1, embedder: await testEmbedder() });
    double.failTasks('documentAdditionOrUpdate', 1_000);
    const worker = createConsumerWorker(createSearchIndexer({ db: database.db, engine }), {
      database, signal: createLocalSignal(), logger: createLogger('silent'), initialBackoffMs: 5, maxBackoffMs: 20, pollIntervalMs: 20,
    });
    worker.start();
    try {
      const failed = () => double.tasks.filter((t) => t.type === 'documentAdditionOrUpdate' && t.status === 'failed').length;
      await waitFor(() => failed() >= 3, { what: 'three failed document tasks' });
      const stuck = await consumerStatus(database.db, SEARCH_INDEXER);
      expect(stuck.lag).toBeGreaterThan(0);
      expect(stuck.lastError).toMatch(/failed: scripted failure/);
      double.stopFailing();
      await waitFor(async () => (await consumerStatus(database.db, SEARCH_INDEXER)).lag === 0, { what: 'the indexer to catch up' });
      expect(double.indexes.get('content')!.documents.get(problem.id)).toMatchObject({ title: 'Parking permits renewed on paper', kind: 'problem' });
      expect((await consumerStatus(database.db, SEARCH_INDEXER)).lastError).toBeNull();
      expect(double.violations).toEqual([]);
    } finally {
      await worker.stop();
    }
  });
});
