import { afterEach, describe, expect, it } from 'vitest';
import { MeilisearchApiError } from 'meilisearch';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { createSearchEngine, prepareSearchEngine } from '../../server/search/create-engine.js';
import type { SearchEngine } from '../../server/search/engine.js';
import { createMeilisearchEngine, type MeilisearchEngineOptions } from '../../server/search/meilisearch-engine.js';
import { MeilisearchVersionError } from '../../server/search/meilisearch-version.js';
import { SearchUnavailableError } from '../../server/search/search-unavailable.js';
import { PROXY_BAD_GATEWAY, TOO_MANY_SEARCH_REQUESTS } from '../support/meilisearch-faults.js';
import { startRecordingMeilisearch, type DoubleOptions, type RecordingMeilisearch } from '../support/recording-meilisearch.js';
import { CORPUS } from './contract-corpus.js';
import { testEmbedder } from '../support/embedder.js';

// The recording double made to fail as Meilisearch (or what stands in front of it) does.
// It is not Meilisearch: these tests check what the adapter does with each failure.
describe('the Meilisearch adapter when Meilisearch fails (recording double)', () => {
  let double: RecordingMeilisearch;
  const start = async (options: DoubleOptions = {}, engineOptions: Partial<MeilisearchEngineOptions> = {}) => {
    double = await startRecordingMeilisearch(options);
    const engine = createMeilisearchEngine({ url: double.url, apiKey: options.apiKey, taskPollMs: 1, ...engineOptions });
    return engine;
  };
  const routes = () => double.requests.map((r) => `${r.method} ${r.path}`);
  const search = (engine: SearchEngine, query = 'housing repairs') => engine.search({ query, offset: 0, limit: 20 });
  afterEach(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
  });

  describe('version (problem 4)', () => {
    it('refuses a Meilisearch older than 1.9 at start-up, with a clear message, before writing anything', async () => {
      const engine = await start({ version: '1.8.2' });
      const failure = engine.ensureSettings();
      await expect(failure).rejects.toThrow(MeilisearchVersionError);
      await expect(failure).rejects.toThrow(/is version 1\.8\.2; Council Commons needs 1\.9\.0 or later/);
      expect(routes()).toEqual(['GET /version']);
      await expect(prepareSearchEngine(engine, createLogger('silent'))).rejects.toThrow(MeilisearchVersionError);
      // What it would have met: 1.8 does not know the duplicate check's matching strategy.
      await expect(engine.moreLikeThis({ text: 'missed bins', limit: 5 })).rejects.toThrow(/invalid_search_matching_strategy|does not know/);
    });

    it('accepts 1.9, and "more like this" is no longer refused', async () => {
      const engine = await start({ version: '1.9.0' });
      await engine.ensureSettings();
      expect(double.indexes.has('content')).toBe(true);
      await expect(engine.moreLikeThis({ text: 'missed bins', limit: 5 })).resolves.toEqual([]);
    });
  });

  describe('a slow or overloaded server (problem 6)', () => {
    it('gives up on a stalled search after its timeout with SEARCH_UNAVAILABLE', async () => {
      const engine = await start({}, { timeoutMs: 1_000 });
      await engine.ensureSettings();
      double.faults.delay({ path: /\/search$/ }, 30_000);
      const started = performance.now();
      const error = await search(engine).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchUnavailableError);
      expect((error as SearchUnavailableError).code).toBe('SEARCH_UNAVAILABLE');
      // Bounded by the timeout, not by the server: the stall lasts 30 s.
      expect(performance.now() - started).toBeLessThan(10_000);
      double.faults.clear();
    });

    it('gives a whole search one time budget, however many requests its fallbacks make', async () => {
      const engine = await start({}, { timeoutMs: 1_000 });
      await engine.ensureSettings();
      // Each request answers inside the timeout, but the some-words fallback makes several.
      double.faults.delay({ path: /search$/ }, 600);
      await expect(search(engine, 'gritting bins')).rejects.toBeInstanceOf(SearchUnavailableError);
      double.faults.clear();
    });

    it('retries a 503 no sooner than its Retry-After, and fails fast when Retry-After is longer than a search can wait', async () => {
      const engine = await start();
      await engine.ensureSettings();
      const before = double.requests.length;
      double.faults.respondWith({ path: /\/search$/ }, { ...TOO_MANY_SEARCH_REQUESTS, headers: { 'retry-after': '1' } });
      await expect(search(engine)).resolves.toMatchObject({ total: 0 });
      const [refused, retried] = double.requests.slice(before);
      expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(950);

      // Meilisearch itself always says Retry-After: 10; a page cannot wait that long.
      const after = double.requests.length;
      double.faults.respondWith({ path: /\/search$/ }, TOO_MANY_SEARCH_REQUESTS);
      await expect(search(engine)).rejects.toBeInstanceOf(SearchUnavailableError);
      expect(double.requests.length - after).toBe(1);
    });

    it('retries a write refused with 429 after Retry-After', async () => {
      const engine = await start();
      await engine.ensureSettings();
      double.faults.respondWith({ method: 'POST', path: /\/documents$/ }, { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down', code: 'too_many_requests', type: 'system', link: '' } });
      await engine.upsert(CORPUS);
      const posts = double.requests.filter((r) => r.path === '/indexes/content/documents');
      expect(posts).toHaveLength(2);
      expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
      expect(double.indexes.get('content')!.documents.size).toBe(CORPUS.length);
    });

    it('turns a proxy\'s HTML error page into SEARCH_UNAVAILABLE rather than a parse error', async () => {
      const engine = await start();
      await engine.ensureSettings();
      double.faults.respondWith({ path: /\/search$/ }, PROXY_BAD_GATEWAY);
      await expect(search(engine)).rejects.toBeInstanceOf(SearchUnavailableError);
    });
  });

  describe('tasks (problem 6)', () => {
    it('after a timed-out wait, a retry of the same write waits for the first task instead of enqueueing it again', async () => {
      // 1 s, not less: the wait after the release below must outlast a loaded machine's polls.
      const engine = await start({}, { taskTimeoutMs: 1_000 });
      await engine.ensureSettings();
      double.holdTasks('documentAdditionOrUpdate');
      await expect(engine.upsert(CORPUS)).rejects.toThrow(/timeout of 1000ms/);
      await expect(engine.upsert(CORPUS)).rejects.toThrow(/timeout of 1000ms/);
      double.releaseTasks();
      await engine.upsert(CORPUS);
      expect(double.tasks.filter((t) => t.type === 'documentAdditionOrUpdate')).toHaveLength(1);
      expect(double.indexes.get('content')!.documents.size).toBe(CORPUS.length);
      // A different write is a new task.
      await engine.upsert(CORPUS.slice(0, 1));
      expect(double.tasks.filter((t) => t.type === 'documentAdditionOrUpdate')).toHaveLength(2);
    });

    it('treats a canceled task as not applied', async () => {
      const engine = await start();
      await engine.ensureSettings();
      double.cancelTasks('documentDeletion', 1);
      await engine.upsert(CORPUS);
      await expect(engine.delete([CORPUS[0]!.id])).rejects.toThrow(/documentDeletion\) canceled/);
      expect(double.indexes.get('content')!.documents.has(CORPUS[0]!.id)).toBe(true);
      await engine.delete([CORPUS[0]!.id]);
      expect(double.indexes.get('content')!.documents.has(CORPUS[0]!.id)).toBe(false);
    });
  });

  describe('payload size (problem 6)', () => {
    const bytes = (r: { body: unknown }) => Buffer.byteLength(JSON.stringify(r.body));

    it('sends documents in batches under its payload limit', async () => {
      const engine = await start({}, { maxPayloadBytes: 4_000 });
      await engine.ensureSettings();
      await engine.upsert(CORPUS);
      const posts = double.requests.filter((r) => r.path === '/indexes/content/documents');
      expect(posts.length).toBeGreaterThan(1);
      for (const post of posts) expect(bytes(post)).toBeLessThanOrEqual(4_000);
      expect(double.indexes.get('content')!.documents.size).toBe(CORPUS.length);
    });

    it('halves a batch Meilisearch refuses with 413 until it fits', async () => {
      // With the hub's embedder: above the settings' body (6.7 kB, with the wider synonym
      // list and the embedder) and each half of the corpus (18 kB with its vectors), below
      // the whole corpus (36 kB).
      const engine = await start({ payloadLimitBytes: 25_000 }, { embedder: await testEmbedder() });
      await engine.ensureSettings();
      await engine.upsert(CORPUS);
      const posts = double.requests.filter((r) => r.path === '/indexes/content/documents');
      expect(posts.map((r) => r.body === undefined)).toEqual([true, false, false]); // refused whole, then two halves
      expect(double.indexes.get('content')!.documents.size).toBe(CORPUS.length);
    });
  });

  describe('keys (problem 8)', () => {
    const env = (url: string) => loadConfig({ MEILISEARCH_URL: url, MEILISEARCH_API_KEY: 'admin-key', MEILISEARCH_SEARCH_KEY: 'search-key' });

    it('a server process searches with the search key alone and cannot write', async () => {
      await start({ apiKey: 'admin-key', searchKey: 'search-key' });
      const admin = createSearchEngine(env(double.url), undefined as never, 'admin');
      await admin.ensureSettings();
      const server = createSearchEngine(env(double.url), undefined as never, 'search');
      const before = double.requests.length;
      await server.ensureSettings();
      await search(server, 'repairs');
      await expect(server.upsert(CORPUS)).rejects.toThrow(/only a search key/);
      expect(double.requests.slice(before).map((r) => r.headers.authorization)).toEqual(['Bearer search-key', 'Bearer search-key']);
    });

    it('workers and reindex write with the admin key and search with the search key', async () => {
      await start({ apiKey: 'admin-key', searchKey: 'search-key' });
      const admin = createSearchEngine(env(double.url), undefined as never, 'admin');
      await admin.ensureSettings();
      await admin.upsert(CORPUS);
      await search(admin);
      const keyOf = (path: string) => new Set(double.requests.filter((r) => r.path === path).map((r) => r.headers.authorization));
      expect(keyOf('/indexes/content/documents')).toEqual(new Set(['Bearer admin-key']));
      expect(keyOf('/indexes/content/search')).toEqual(new Set(['Bearer search-key']));
    });

    it('the double refuses the search key on admin routes, as Meilisearch does', async () => {
      await start({ apiKey: 'admin-key', searchKey: 'search-key' });
      const wrong = createMeilisearchEngine({ url: double.url, apiKey: 'search-key', taskPollMs: 1 });
      const error = await wrong.ensureSettings().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MeilisearchApiError);
      expect((error as MeilisearchApiError).response.status).toBe(403);
      expect(double.violations).toEqual(['GET /indexes/content: missing Authorization: Bearer <key>']);
      double.violations.length = 0;
    });
  });

  describe('before the first indexing (problem 9)', () => {
    it('answers an empty result, not an error, when the index does not exist yet', async () => {
      const engine = await start({ searchKey: 'search-key' }, { searchKey: 'search-key' });
      await expect(search(engine)).resolves.toMatchObject({ hits: [], total: 0, countsAreEstimates: false });
      await expect(engine.moreLikeThis({ text: 'missed bins', limit: 5 })).resolves.toEqual([]);
    });

    it('a server process with the admin key creates the index and its settings at start-up', async () => {
      const engine = await start();
      await prepareSearchEngine(engine, createLogger('silent'));
      expect(double.indexes.get('content')?.settings).toMatchObject({ sortableAttributes: ['publishedAt'] });
    });

    it('a server process starts even when Meilisearch is down, and searches then fail with SEARCH_UNAVAILABLE', async () => {
      const engine = await start({}, { timeoutMs: 1_000 });
      double.faults.respondWith({ path: /.*/ }, PROXY_BAD_GATEWAY, 100);
      await prepareSearchEngine(engine, createLogger('silent'));
      await expect(search(engine)).rejects.toBeInstanceOf(SearchUnavailableError);
      double.faults.clear();
    });
  });
});
