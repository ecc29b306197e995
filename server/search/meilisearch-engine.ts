import { Meilisearch, MeilisearchApiError, type EnqueuedTaskPromise, type Hit, type IndexSwap, type Index, type SearchResponse, type Task } from 'meilisearch';
import {
  FACETS, SearchEngineError, type Facet, type FacetCount, type IndexRebuild, type SearchDocument, type SearchEngine,
  type SearchHit, type SearchRequest, type SearchResult, type SimilarRequest,
} from './engine.js';
import { MATCH_END, MATCH_START, escapeHtml, toHighlightHtml } from './highlight.js';
import { filterExpression, hasSettings, MEILISEARCH_SETTINGS } from './meilisearch-settings.js';
import { keyWords, MAX_QUERY_WORDS, normalizeWords } from './query-plan.js';

export interface MeilisearchEngineOptions {
  readonly url: string;
  readonly apiKey?: string | undefined;
  /** @default 'content' */
  readonly indexUid?: string;
  /** How long to wait for one task before treating it as failed. @default 60000 */
  readonly taskTimeoutMs?: number;
  /** @default 50 */
  readonly taskPollMs?: number;
}

type Document = Omit<SearchDocument, 'body'>;
const RETRIEVE = ['id', 'kind', 'councilId', 'councilName', 'title', 'summary', 'serviceArea', 'tags', 'status', 'publishedAt', 'updatedAt'];

/**
 * Meilisearch through the official client. Meilisearch applies writes asynchronously, as
 * tasks; every write here waits for its task and throws unless the task `succeeded`, so the
 * indexer's cursor never moves past a write Meilisearch has not applied (a failed task is
 * retried by the worker, never skipped).
 */
export function createMeilisearchEngine(options: MeilisearchEngineOptions): SearchEngine {
  const client = new Meilisearch({ host: options.url, ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
  const uid = options.indexUid ?? 'content';
  const wait = { timeout: options.taskTimeoutMs ?? 60_000, interval: options.taskPollMs ?? 50 };

  async function succeeded(enqueued: EnqueuedTaskPromise, allowedErrorCode?: string): Promise<Task> {
    const task = await enqueued.waitTask(wait);
    if (task.status === 'succeeded' || (allowedErrorCode && task.error?.code === allowedErrorCode)) return task;
    throw new SearchEngineError(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? 'no reason given'}`);
  }

  async function ensureIndex(indexUid: string): Promise<void> {
    try {
      await client.getRawIndex(indexUid);
    } catch (error) {
      if (!(error instanceof MeilisearchApiError) || error.cause?.code !== 'index_not_found') throw error;
      await succeeded(client.createIndex(indexUid, { primaryKey: 'id' }), 'index_already_exists');
    }
    const index = client.index(indexUid);
    if (!hasSettings(await index.getSettings() as Record<string, unknown>)) await succeeded(index.updateSettings(MEILISEARCH_SETTINGS));
  }

  async function upsertInto(indexUid: string, documents: readonly SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await succeeded(client.index(indexUid).addDocuments([...documents], { primaryKey: 'id' }));
  }

  async function query(index: Index, q: string, params: Record<string, unknown>): Promise<SearchResponse<Document>> {
    const first = await index.search<Document>(q, { ...params, matchingStrategy: 'all' });
    // As the Postgres engine does: if no item has every word, rank those with some.
    if ((first.estimatedTotalHits ?? 0) > 0 || normalizeWords(q).length < 2) return first;
    const relaxed = await index.search<Document>(q, { ...params, matchingStrategy: 'last' });
    return { ...relaxed, processingTimeMs: first.processingTimeMs + relaxed.processingTimeMs };
  }

  return {
    name: 'meilisearch',
    // `_rankingScore` of a search on the text's key words; near-duplicates share most words.
    duplicateThreshold: 0.6,

    ensureSettings: () => ensureIndex(uid),

    upsert: (documents) => upsertInto(uid, documents),

    async delete(ids) {
      if (ids.length === 0) return;
      await succeeded(client.index(uid).deleteDocuments([...ids]));
    },

    async search(request: SearchRequest): Promise<SearchResult> {
      const filter = filterExpression(request.filter);
      const response = await query(client.index(uid), request.query.trim(), {
        offset: request.offset,
        limit: request.limit,
        ...(filter ? { filter } : {}),
        ...(request.facets === false ? {} : { facets: [...FACETS] }),
        attributesToRetrieve: RETRIEVE,
        attributesToHighlight: ['title', 'summary'],
        highlightPreTag: MATCH_START,
        highlightPostTag: MATCH_END,
        ...(request.sort === 'newest' || request.query.trim() === '' ? { sort: ['publishedAt:desc'] } : {}),
      });
      return {
        hits: response.hits.map(toHit),
        total: response.estimatedTotalHits ?? response.totalHits ?? response.hits.length,
        facets: toFacets(response.facetDistribution),
        countsAreEstimates: response.totalHits === undefined,
        processingTimeMs: response.processingTimeMs,
      };
    },

    async moreLikeThis(request: SimilarRequest) {
      const words = keyWords(request.text, MAX_QUERY_WORDS);
      if (words.length === 0) return [];
      const filter = filterExpression({ kinds: request.kinds }, request.excludeIds);
      const response = await client.index(uid).search<Document>(words.join(' '), {
        limit: request.limit,
        ...(filter ? { filter } : {}),
        attributesToRetrieve: RETRIEVE,
        // Drops the commonest words first until something matches: suits a long text.
        matchingStrategy: 'frequency',
        showRankingScore: true,
      });
      return response.hits.map((hit) => ({ document: toDocument(hit), score: Math.round((hit._rankingScore ?? 0) * 1000) / 1000 }));
    },

    // A fresh index is filled beside the live one, then swapped in atomically
    // (POST /swap-indexes): searches never see a half-built index.
    async beginRebuild(): Promise<IndexRebuild> {
      const next = `${uid}_rebuild`;
      await ensureIndex(uid);
      await succeeded(client.deleteIndex(next), 'index_not_found');
      await ensureIndex(next);
      return {
        upsert: (documents) => upsertInto(next, documents),
        async finish() {
          // `rename` (Meilisearch 1.18+) is optional and defaults to a swap; leaving it out
          // keeps older servers, which reject unknown fields, working.
          await succeeded(client.swapIndexes([{ indexes: [uid, next] } as IndexSwap]));
          await succeeded(client.deleteIndex(next));
        },
      };
    },
  };
}

function toDocument(hit: Hit<Document>): Document {
  return {
    id: hit.id, kind: hit.kind, councilId: hit.councilId, councilName: hit.councilName, title: hit.title,
    summary: hit.summary, serviceArea: hit.serviceArea, tags: hit.tags ?? [], status: hit.status,
    publishedAt: hit.publishedAt ?? null, updatedAt: hit.updatedAt,
  };
}

function toHit(hit: Hit<Document>): SearchHit {
  const formatted = hit._formatted as Partial<Record<'title' | 'summary', unknown>> | undefined;
  const marked = (field: 'title' | 'summary') =>
    typeof formatted?.[field] === 'string' ? toHighlightHtml(formatted[field] as string) : escapeHtml(hit[field]);
  return { document: toDocument(hit), highlights: { title: marked('title'), summary: marked('summary') } };
}

function toFacets(distribution: Record<string, Record<string, number>> | undefined): Record<Facet, FacetCount[]> {
  return Object.fromEntries(FACETS.map((facet) => [
    facet,
    Object.entries(distribution?.[facet] ?? {})
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
  ])) as Record<Facet, FacetCount[]>;
}
