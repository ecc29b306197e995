import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { canSee, isMember, type Viewer } from '../auth/viewer.js';
import { consumerStatus } from '../events/consumer-cursors.js';
import { loadItemText } from '../search/documents.js';
import {
  FACETS, MAX_TOTAL_HITS, SEARCH_INDEXER, type SearchEngine, type SearchFilter, type SearchKind, type SearchResult, type SearchSort, type SimilarHit,
} from '../search/engine.js';
import { createDuplicateWarning, type PossibleDuplicate, type WarningSubject } from './duplicate-warning.js';
import { NotFoundError, UnauthenticatedError } from '../kernel/errors.js';
import { InputChecker } from './input-checker.js';
import { checkRegions } from './region-filter.js';
import { checkSystemFilter, isSystemFilterEmpty, type SystemFilter } from './systems/system-filter.js';
import { createSystemReader } from './systems/system-reads.js';
import { LIST_CAPS } from './list-caps.js';

export interface SearchInput {
  query: string;
  filter?: SearchFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  sort?: SearchSort | null | undefined;
  /** Whether the caller reads facet counts; they cost a pass over every match. */
  facets?: boolean;
  semanticRatio?: number | null | undefined;
  /** Items from councils running a matching system. */
  systems?: SystemFilter | null | undefined;
}

export interface SearchPage extends SearchResult {
  /** Position of the first hit in the whole result list (the cursor of hit i is offset + i + 1). */
  readonly offset: number;
  readonly hasNextPage: boolean;
  readonly engine: SearchEngine['name'];
}

export interface SimilarInput {
  text?: string | null | undefined;
  item?: { kind: SearchKind; id: string } | null | undefined;
  kinds?: readonly SearchKind[] | null | undefined;
  first?: number | null | undefined;
}

/** The page sizes `search` and `similar` accept (the API says so on their `first`). */
export const SEARCH_PAGE = { min: 1, max: 50 } as const;
export const SIMILAR_PAGE = { min: 1, max: LIST_CAPS.similar } as const;

export const QUERY_LIMIT = 200;
export const SIMILAR_TEXT_LIMIT = 5_000;

/**
 * Search, "more like this" and the indexer's health. The index holds published items
 * only, so results are the same for every viewer and drafts never leak (invariant 5).
 */
export function createSearchService({ db, engine }: { db: Kysely<Database>; engine: SearchEngine }) {
  const warning = createDuplicateWarning({ db, engine });
  const systems = createSystemReader({ db });
  async function councilsNarrowedBySystems(given: readonly string[] | undefined, filter: SystemFilter): Promise<string[]> {
    const running = await systems.councilIdsMatching(filter);
    return given?.length ? running.filter((id) => given.includes(id)) : running;
  }
  return {
    async search(_viewer: Viewer, input: SearchInput): Promise<SearchPage> {
      const check = new InputChecker();
      const query = check.text('query', input.query, QUERY_LIMIT, { multiline: true }) ?? '';
      const first = input.first ?? 20;
      if (!isPageSize(first, SEARCH_PAGE)) check.fail('first', `must be a whole number from ${SEARCH_PAGE.min} to ${SEARCH_PAGE.max}`);
      const tags = check.tags('filter.tags', input.filter?.tags);
      const regions = checkRegions(check, 'filter.regions', input.filter?.regions);
      const offset = decodeOffset(input.after, check);
      const ratio = input.semanticRatio ?? undefined;
      if (ratio !== undefined && !(ratio >= 0 && ratio <= 1)) check.fail('semanticRatio', 'must be a number from 0 to 1');
      check.check();
      let filter: SearchFilter = { ...input.filter, ...(tags ? { tags } : {}), ...(regions ? { regions } : {}) };
      const limit = Math.max(0, Math.min(first, MAX_TOTAL_HITS - offset));
      if (input.systems && !isSystemFilterEmpty(input.systems)) {
        checkSystemFilter(input.systems, 'filter.contractsEndingWithinMonths');
        // Systems are not in the index: the filter becomes the councils that run them.
        const councilIds = await councilsNarrowedBySystems(filter.councilIds, input.systems);
        if (councilIds.length === 0) return nothingFound(offset, engine.name);
        filter = { ...filter, councilIds };
      }
      const result = await engine.search({ query, filter, sort: input.sort ?? 'relevance', offset, limit, facets: input.facets ?? true, semanticRatio: ratio });
      const reachable = Math.min(result.total, MAX_TOTAL_HITS);
      return { ...result, offset, hasNextPage: offset + result.hits.length < reachable, engine: engine.name };
    },

    async similar(viewer: Viewer, input: SimilarInput): Promise<SimilarHit[]> {
      const check = new InputChecker();
      const text = check.text('text', input.text, SIMILAR_TEXT_LIMIT, { multiline: true });
      const first = input.first ?? 5;
      if (!isPageSize(first, SIMILAR_PAGE)) check.fail('first', `must be a whole number from ${SIMILAR_PAGE.min} to ${SIMILAR_PAGE.max}`);
      if ((text === undefined || text === '') === !input.item) check.fail('input', 'give either text or the id of an item');
      check.check();
      if (input.item) {
        const source = await loadItemText(db, input.item.kind, input.item.id);
        if (!source || !canSee(viewer, source)) throw new NotFoundError(input.item.kind.replace('_', ' '), input.item.id);
        return engine.moreLikeThis({
          text: `${source.title}\n${source.summary}`, kinds: input.kinds ?? undefined, excludeIds: [input.item.id], limit: first,
        });
      }
      return engine.moreLikeThis({ text: text!, kinds: input.kinds ?? undefined, limit: first });
    },

    /**
     * What is already published like this item: shown when a problem, solution or case
     * study is created or published, to its own council only.
     */
    possibleDuplicates: (subject: WarningSubject) => warning.check(subject),

    /** The warning for text being drafted, before it is saved: members only, for their council. */
    async checkDraft(viewer: Viewer, input: { kind: SearchKind; title: string; summary?: string | null | undefined }): Promise<PossibleDuplicate[]> {
      if (!isMember(viewer)) throw new UnauthenticatedError();
      const check = new InputChecker();
      const title = check.text('title', input.title, 200) ?? '';
      const summary = check.text('summary', input.summary, 1_000, { multiline: true }) ?? '';
      if (title.trim() === '') check.fail('title', 'must not be empty');
      check.check();
      return warning.check({ kind: input.kind, councilId: viewer.councilId, title, summary });
    },

    /** The indexer's cursor against the log head; why it last failed only for platform admins. */
    async indexerStatus(viewer: Viewer) {
      const status = await consumerStatus(db, SEARCH_INDEXER);
      const admin = isMember(viewer) && viewer.isPlatformAdmin;
      return { ...status, engine: engine.name, lastError: admin ? status.lastError : null };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;

function nothingFound(offset: number, engine: SearchEngine['name']): SearchPage {
  const facets = Object.fromEntries(FACETS.map((facet) => [facet, []])) as unknown as SearchPage['facets'];
  return { hits: [], total: 0, facets, countsAreEstimates: false, partialMatches: false, processingTimeMs: 0, offset, hasNextPage: false, engine };
}

/** Search cursors are opaque offsets: ranked results have no stable key to seek from. */
export function encodeSearchCursor(position: number): string {
  return Buffer.from(`search:${position}`).toString('base64url');
}

function decodeOffset(after: string | null | undefined, check: InputChecker): number {
  if (after === undefined || after === null) return 0;
  const match = /^search:(\d{1,4})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  const position = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(position) || position > MAX_TOTAL_HITS) {
    check.fail('after', 'is not a cursor from a search result');
    return 0;
  }
  return position;
}

function isPageSize(n: number, size: { readonly min: number; readonly max: number }): boolean {
  return Number.isInteger(n) && n >= size.min && n <= size.max;
}
