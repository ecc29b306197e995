import { Meilisearch, MeilisearchApiError, type Hit, type IndexSwap, type SearchParams, type SearchResponse, type Settings } from 'meilisearch';
import {
  FACETS, SearchEngineError, type IndexRebuild, type SearchDocument, type SearchEngine, type SearchHit, type SearchRequest,
  type SearchResult, type SimilarRequest,
} from './engine.js';
import { MATCH_END, MATCH_START, escapeHtml, toHighlightHtml } from './highlight.js';
import { documentText, dot, type Embedder } from './embeddings/embedder.js';
import { sendInBatches } from './meilisearch-batches.js';
import { facetCounts, searchSomeWords, totalOf } from './meilisearch-query.js';
import { isUnavailable, withRetries, type RetryPolicy } from './meilisearch-retry.js';
import { EMBEDDER, filterExpression, hasSettings, MEILISEARCH_SETTINGS, meilisearchSettings } from './meilisearch-settings.js';
import { createTaskRunner } from './meilisearch-tasks.js';
import { assertSupportedVersion } from './meilisearch-version.js';
import { keyWords, MAX_QUERY_WORDS } from './query-plan.js';
import { SearchUnavailableError } from './search-unavailable.js';

export interface MeilisearchEngineOptions {
  readonly url: string;
  /**
   * The admin key: index, settings, document, swap and task calls (workers and reindex), and
   * searches when `searchKey` is absent. Absent with a `searchKey`: this engine cannot write.
   */
  readonly apiKey?: string | undefined;
  /** For searches only (`search` and `version` actions): all a server process needs. @default apiKey */
  readonly searchKey?: string | undefined;
  /** @default 'content' */
  readonly indexUid?: string;
  /** Longest wait for one HTTP request: a stalled server costs a search at most about this. @default 5000 */
  readonly timeoutMs?: number;
  /** How long to wait for one task before treating it as failed. @default 60000 */
  readonly taskTimeoutMs?: number;
  /** @default 50 */
  readonly taskPollMs?: number;
  /** Largest JSON body of documents sent at once, under Meilisearch's 100 MB payload limit. @default 50000000 */
  readonly maxPayloadBytes?: number;
  /** How searches (fail fast) and writes (wait as asked) retry a 429 or 503. */
  readonly searchRetry?: RetryPolicy;
  readonly writeRetry?: RetryPolicy;
  /**
   * Computes each document's `_vectors` and each query's vector (a `userProvided` embedder).
   * The hub always gives one; without it (fault and wire doubles) search is by words alone.
   */
  readonly embedder?: Embedder | undefined;
}

// As in the Postgres engine (bench:relevance): meaning counts for 0.3 of the ranking.
const SEMANTIC_RATIO = 0.3;

type Document = Omit<SearchDocument, 'body'>;
const RETRIEVE = ['id', 'kind', 'councilId', 'councilName', 'title', 'summary', 'serviceArea', 'tags', 'status', 'region', 'councilKind', 'phase', 'outcome', 'publishedAt', 'updatedAt'];

/**
 * Meilisearch through the official client. Meilisearch applies writes asynchronously, as
 * tasks; every write here waits for its task and throws unless the task `succeeded`, so the
 * indexer's cursor never moves past a write Meilisearch has not applied (a failed task is
 * retried by the worker, never skipped). Searches that Meilisearch cannot answer in time
 * throw SearchUnavailableError.
 */
export function createMeilisearchEngine(options: MeilisearchEngineOptions): SearchEngine {
  const timeout = options.timeoutMs ?? 5_000;
  const connect = (apiKey: string | undefined) => new Meilisearch({ host: options.url, timeout, ...(apiKey ? { apiKey } : {}) });
  // With no keys at all (a development server without a master key) every call is allowed.
  const canWrite = options.apiKey !== undefined || options.searchKey === undefined;
  const reader = connect(options.searchKey ?? options.apiKey);
  const writer = connect(options.apiKey);
  const uid = options.indexUid ?? 'content';
  const run = createTaskRunner(writer, { timeout: options.taskTimeoutMs ?? 60_000, interval: options.taskPollMs ?? 50 });
  const maxPayloadBytes = options.maxPayloadBytes ?? 50_000_000;
  const searchRetry = options.searchRetry ?? { retries: 1, maxWaitMs: 2_000 };
  const writeRetry = options.writeRetry ?? { retries: 5, maxWaitMs: 60_000 };
  let versionChecked = false;
  const { embedder } = options;
  const settings = embedder ? meilisearchSettings(embedder.dimensions) : MEILISEARCH_SETTINGS;
  const vectorOf = (text: string) => {
    const vector = embedder?.embed(text);
    return vector?.some((x) => x !== 0) ? Array.from(vector) : undefined;
  };

  function write(key: string, enqueue: () => Promise<{ taskUid: number }>, allowedErrorCode?: string) {
    if (!canWrite) throw new SearchEngineError('this process has only a search key for Meilisearch (workers and reindex need MEILISEARCH_API_KEY, the admin key)');
    return withRetries(() => run(key, enqueue, allowedErrorCode), writeRetry);
  }

  async function checkVersion(): Promise<void> {
    if (versionChecked) return;
    assertSupportedVersion((await withRetries(() => reader.getVersion(), searchRetry)).pkgVersion, options.url);
    versionChecked = true;
  }

  async function ensureIndex(indexUid: string): Promise<void> {
    await checkVersion();
    try {
      await withRetries(() => writer.getRawIndex(indexUid), writeRetry);
    } catch (error) {
      if (!isIndexNotFound(error)) throw error;
      await write(`create ${indexUid}`, () => writer.createIndex(indexUid, { primaryKey: 'id' }), 'index_already_exists');
    }
    const index = writer.index(indexUid);
    const current = await withRetries(() => index.getSettings(), writeRetry);
    if (!hasSettings(current as Record<string, unknown>, settings)) await write(`settings ${indexUid}`, () => index.updateSettings(settings as Settings));
  }

  async function upsertInto(indexUid: string, documents: readonly SearchDocument[]): Promise<void> {
    // Each document carries its vector; a document with no known word has none (null). The
    // vectors are part of each batch, so batches are sized with them.
    const sent = embedder
      ? documents.map((doc) => ({ ...doc, _vectors: { [EMBEDDER]: vectorOf(documentText(doc)) ?? null } }))
      : documents;
    await sendInBatches(sent, maxPayloadBytes, async (batch) => {
      await write(`add ${indexUid} ${JSON.stringify(batch)}`, () => writer.index(indexUid).addDocuments(batch, { primaryKey: 'id' }));
    });
  }

  /** A search Meilisearch cannot answer becomes SEARCH_UNAVAILABLE; before the first indexing, an empty result. */
  async function reading<T>(call: () => Promise<T>, empty: T): Promise<T> {
    try {
      return await withRetries(call, searchRetry);
    } catch (error) {
      if (isIndexNotFound(error)) return empty;
      if (isUnavailable(error)) throw new SearchUnavailableError(error);
      throw error;
    }
  }

  return {
    name: 'meilisearch',
    // The same cosine line as the Postgres engine: both score more-like-this by the vectors.
    duplicateThreshold: 0.6,

    // A search-only engine can check only the version; a worker creates the index.
    ensureSettings: () => (canWrite ? ensureIndex(uid) : checkVersion()),

    upsert: (documents) => upsertInto(uid, documents),

    async delete(ids) {
      if (ids.length === 0) return;
      await write(`delete ${uid} ${JSON.stringify(ids)}`, () => writer.index(uid).deleteDocuments([...ids]));
    },

    search: (request: SearchRequest) => reading(async (): Promise<SearchResult> => {
      const filter = filterExpression(request.filter);
      const q = request.query.trim();
      const ratio = request.semanticRatio ?? SEMANTIC_RATIO;
      const vector = q && ratio > 0 ? vectorOf(q) : undefined;
      const semantic = vector ? { hybrid: { embedder: EMBEDDER, semanticRatio: ratio }, vector } : {};
      const params: SearchParams = {
        ...semantic,
        offset: request.offset,
        limit: request.limit,
        ...(filter ? { filter } : {}),
        ...(request.facets === false ? {} : { facets: [...FACETS] }),
        attributesToRetrieve: RETRIEVE,
        attributesToHighlight: ['title', 'summary'],
        highlightPreTag: MATCH_START,
        highlightPostTag: MATCH_END,
        ...(request.sort === 'newest' || q === '' ? { sort: ['publishedAt:desc'] } : {}),
      };
      // One budget for every request a search makes, not one per request.
      const init = { signal: AbortSignal.timeout(timeout) };
      const { response, partial, ...asked } = await searchSomeWords<Document>(reader, reader.index(uid), q, params, init);
      const counted = request.facets !== false;
      // Selected values past the facet cut are counted by the same hybrid query.
      const facets = await facetCounts(reader, uid, { ...asked, ...semantic }, counted ? request.filter : undefined, response.facetDistribution, init);
      return {
        hits: response.hits.map(toHit),
        ...totalOf(response.estimatedTotalHits, counted ? facets.kind : undefined),
        facets,
        // As the Postgres engine does: no item has every word, so those with some are ranked.
        partialMatches: partial ?? asked.matchingStrategy !== 'all',
        processingTimeMs: response.processingTimeMs,
      };
    }, emptyResult()),

    // Nearest by meaning (semanticRatio 1); the score is the cosine of the vectors, read
    // back from the hits, so it means the same as the Postgres engine's. Without an embedder,
    // the text's key words and `_rankingScore`.
    async moreLikeThis(request: SimilarRequest) {
      const filter = filterExpression({ kinds: request.kinds }, request.excludeIds);
      const empty = { hits: [] } as unknown as SearchResponse<Document, SearchParams>;
      if (embedder) {
        const vector = embedder.embed(request.text);
        if (!vector.some((x) => x !== 0)) return [];
        const response = await reading(() => reader.index(uid).search<Document, SearchParams>('', {
          limit: request.limit,
          ...(filter ? { filter } : {}),
          attributesToRetrieve: RETRIEVE,
          hybrid: { embedder: EMBEDDER, semanticRatio: 1 },
          vector: Array.from(vector),
          retrieveVectors: true,
        }, { signal: AbortSignal.timeout(timeout) }), empty);
        return response.hits.map((hit) => ({ document: toDocument(hit), score: Math.round(Math.max(0, cosine(vector, hit)) * 1000) / 1000 }));
      }
      const words = keyWords(request.text, MAX_QUERY_WORDS);
      if (words.length === 0) return [];
      const response = await reading(() => reader.index(uid).search<Document, SearchParams>(words.join(' '), {
        limit: request.limit,
        ...(filter ? { filter } : {}),
        attributesToRetrieve: RETRIEVE,
        // Drops the commonest words first until something matches: suits a long text.
        matchingStrategy: 'frequency',
        showRankingScore: true,
      }), empty);
      return response.hits.map((hit) => ({ document: toDocument(hit), score: Math.round((hit._rankingScore ?? 0) * 1000) / 1000 }));
    },

    // A fresh index is filled beside the live one, then swapped in atomically
    // (POST /swap-indexes): searches never see a half-built index.
    async beginRebuild(): Promise<IndexRebuild> {
      const next = `${uid}_rebuild`;
      await ensureIndex(uid);
      await write(`drop ${next}`, () => writer.deleteIndex(next), 'index_not_found');
      await ensureIndex(next);
      return {
        upsert: (documents) => upsertInto(next, documents),
        async finish(onSwapEnqueued) {
          // `rename` (Meilisearch 1.18+) is optional and defaults to a swap; leaving it out
          // keeps older servers, which reject unknown fields, working.
          const swap = await withRetries(() => writer.swapIndexes([{ indexes: [uid, next] } as IndexSwap]), writeRetry);
          // Meilisearch runs an index's tasks in the order they were enqueued: once the swap is
          // queued, every later write to `uid` lands in the rebuilt index, whatever follows.
          await onSwapEnqueued?.();
          await write(`swap ${uid} ${next}`, async () => swap);
          await write(`drop ${next}`, () => writer.deleteIndex(next));
        },
      };
    },
  };
}

function isIndexNotFound(error: unknown): boolean {
  return error instanceof MeilisearchApiError && error.cause?.code === 'index_not_found';
}

function emptyResult(): SearchResult {
  return { hits: [], total: 0, facets: Object.fromEntries(FACETS.map((f) => [f, []])) as unknown as SearchResult['facets'], countsAreEstimates: false, partialMatches: false, processingTimeMs: 0 };
}

function toDocument(hit: Hit<Document>): Document {
  return {
    id: hit.id, kind: hit.kind, councilId: hit.councilId, councilName: hit.councilName, title: hit.title,
    summary: hit.summary, serviceArea: hit.serviceArea, tags: hit.tags ?? [], status: hit.status,
    // Absent from a document indexed before the upgrade, until `npm run reindex`.
    region: hit.region ?? '', councilKind: hit.councilKind ?? '', phase: hit.phase ?? null, outcome: hit.outcome ?? null,
    publishedAt: hit.publishedAt ?? null, updatedAt: hit.updatedAt,
  };
}

function toHit(hit: Hit<Document>): SearchHit {
  const formatted = hit._formatted as Partial<Record<'title' | 'summary', unknown>> | undefined;
  const marked = (field: 'title' | 'summary') =>
    typeof formatted?.[field] === 'string' ? toHighlightHtml(formatted[field] as string) : escapeHtml(hit[field]);
  return { document: toDocument(hit), highlights: { title: marked('title'), summary: marked('summary') } };
}

/** The cosine between a query vector and a hit's stored vector (both of length 1). */
function cosine(vector: Float32Array, hit: Hit<Document>): number {
  const stored = ((hit as Record<string, unknown>)._vectors as Record<string, { embeddings?: number[][] } | number[] | undefined> | undefined)?.[EMBEDDER];
  const embedding = Array.isArray(stored) ? stored : stored?.embeddings?.[0];
  return embedding ? dot(vector, Float32Array.from(embedding)) : 0;
}
