/**
 * The search port. Two adapters implement it (postgres-engine.ts, meilisearch-engine.ts)
 * and pass one contract suite (test/contract/). Only published, unarchived items are
 * indexed, so everything an engine returns is public.
 */

/** The outbox consumer that keeps the engine's index in step (workers/search-indexer.ts). */
export const SEARCH_INDEXER = 'search-indexer';

export const SEARCH_KINDS = ['problem', 'solution', 'case_study'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** What the index holds for one item: enough to list it without touching the content tables. */
export interface SearchDocument {
  readonly id: string;
  readonly kind: SearchKind;
  readonly councilId: string;
  readonly councilName: string;
  readonly title: string;
  readonly summary: string;
  /** Markdown body plus kind-specific text (a case study's outcome and lessons). */
  readonly body: string;
  readonly serviceArea: string;
  readonly tags: readonly string[];
  readonly status: string;
  /** The owning council's region (`Council.region`); a council's facts are public. */
  readonly region: string;
  /** The owning council's kind (`Council.kind`, e.g. `unitary`). */
  readonly councilKind: string;
  /** A solution's delivery phase; null for problems and case studies. */
  readonly phase: string | null;
  /** A case study's outcome; null for problems and solutions. */
  readonly outcome: string | null;
  /** Milliseconds since the epoch (sortable in both engines). */
  readonly publishedAt: number | null;
  readonly updatedAt: number;
  /** A freshness nudge about it went unanswered (problems and solutions). @default false */
  readonly outOfDate?: boolean | undefined;
}

export interface SearchFilter {
  readonly kinds?: readonly SearchKind[] | undefined;
  readonly serviceAreas?: readonly string[] | undefined;
  readonly councilIds?: readonly string[] | undefined;
  /** Items carrying any of these tags. */
  readonly tags?: readonly string[] | undefined;
  readonly statuses?: readonly string[] | undefined;
  /** Items of councils in any of these regions (spelled as `Council.region`). */
  readonly regions?: readonly string[] | undefined;
  /** Items of councils of any of these kinds. */
  readonly councilKinds?: readonly string[] | undefined;
  /** Solutions in any of these phases (so nothing of another kind matches). */
  readonly phases?: readonly string[] | undefined;
  /** Case studies with any of these outcomes (so nothing of another kind matches). */
  readonly outcomes?: readonly string[] | undefined;
  /** Only these items (a saved search asks whether new items match it). */
  readonly ids?: readonly string[] | undefined;
  /** true: only items that may be out of date (`outOfDate`). */
  readonly mayBeOutOfDate?: boolean | undefined;
}

export type SearchSort = 'relevance' | 'newest';

export interface SearchRequest {
  /** Free text; empty lists everything that matches the filter (newest first). */
  readonly query: string;
  readonly filter?: SearchFilter | undefined;
  /** @default 'relevance' */
  readonly sort?: SearchSort | undefined;
  readonly offset: number;
  readonly limit: number;
  /** Count facet values (costs a pass over every match). @default true */
  readonly facets?: boolean | undefined;
  /**
   * How much meaning counts against words in the ranking: 0 is words only, 1 meaning only.
   * @default 0.3
   */
  readonly semanticRatio?: number | undefined;
}

export interface SearchHit {
  readonly document: Omit<SearchDocument, 'body'>;
  /**
   * Title and summary as HTML: the text is escaped and each match is wrapped in `<mark>`.
   */
  readonly highlights: { readonly title: string; readonly summary: string };
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export const FACETS = ['kind', 'serviceArea', 'councilId', 'tags', 'status', 'region', 'councilKind', 'phase', 'outcome'] as const;
export type Facet = (typeof FACETS)[number];

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  /** Matches in all (Meilisearch: its estimate, capped at MAX_TOTAL_HITS). */
  readonly total: number;
  /**
   * Counts per facet value over all matches, most frequent first (empty if not asked for).
   * `phase` counts solutions only and `outcome` case studies only: others have no value.
   */
  readonly facets: Readonly<Record<Facet, readonly FacetCount[]>>;
  /**
   * True when `total` or the facet counts are estimates rather than exact counts:
   * Meilisearch's `estimatedTotalHits`; the Postgres engine's sample for broad queries.
   */
  readonly countsAreEstimates: boolean;
  /** True when no item had every query word, so the results match some of them (or only in meaning). */
  readonly partialMatches: boolean;
  readonly processingTimeMs: number;
}

export interface SimilarRequest {
  /** The text to compare with, typically a title and summary. */
  readonly text: string;
  readonly kinds?: readonly SearchKind[] | undefined;
  readonly excludeIds?: readonly string[] | undefined;
  readonly limit: number;
}

export interface SimilarHit {
  readonly document: Omit<SearchDocument, 'body'>;
  /** 0 to 1; comparable within one engine only. */
  readonly score: number;
}

/** A rebuild fills a fresh copy of the index while the live one keeps serving searches. */
export interface IndexRebuild {
  upsert(documents: readonly SearchDocument[]): Promise<void>;
  /**
   * Makes the rebuilt index the live one, dropping documents the rebuild did not write.
   * `onSwapEnqueued` runs as soon as the switch can no longer be undone (Meilisearch: the
   * swap task is queued), even if waiting for it then fails.
   */
  finish(onSwapEnqueued?: () => Promise<void>): Promise<void>;
}

export interface SearchEngine {
  readonly name: 'postgres' | 'meilisearch';
  /**
   * Score from which `moreLikeThis` calls an item a likely duplicate; engines score
   * differently, so each one says where its line is.
   */
  readonly duplicateThreshold: number;
  /**
   * Creates the index and applies settings (an engine with search rights only checks what it
   * can); idempotent, run when a worker or server process starts.
   */
  ensureSettings(): Promise<void>;
  /** Adds or replaces documents; resolves once they are durable and searchable. */
  upsert(documents: readonly SearchDocument[]): Promise<void>;
  /** Removes documents by id; ids not in the index are ignored. */
  delete(ids: readonly string[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchResult>;
  moreLikeThis(request: SimilarRequest): Promise<SimilarHit[]>;
  beginRebuild(): Promise<IndexRebuild>;
}

/** Deepest result a search can page to; Meilisearch's `maxTotalHits` has the same value. */
export const MAX_TOTAL_HITS = 1_000;

export class SearchEngineError extends Error {}
