import { encodeSearchCursor } from '../server/domain/search.js';
import { isServiceArea } from '../server/domain/service-areas.js';
import { CASE_STUDY_OUTCOMES } from '../server/domain/case-studies.js';
import { COUNCIL_KINDS, NATIONS_AND_REGIONS } from '../server/domain/councils.js';
import { SOLUTION_PHASES } from '../server/domain/solution-input.js';
import { decodeGlobalId } from '../server/kernel/global-id.js';
import { KINDS, type Kind } from './vocabulary.js';

export const PAGE_SIZE = 20;
/** The search API reaches the first 1,000 matches. */
export const LAST_PAGE = 50;
const MAX_VALUES = 20;

/** Everything a search is, as the URL holds it, so a search can be shared as a link. */
export interface SearchState {
  readonly q: string;
  readonly kinds: readonly Kind[];
  readonly areas: readonly string[];
  readonly councils: readonly string[];
  readonly statuses: readonly string[];
  readonly tags: readonly string[];
  /** Regions as `Council.region` spells them. */
  readonly regions: readonly string[];
  /** CouncilKind, SolutionPhase and CaseStudyOutcome enum names. */
  readonly councilKinds: readonly string[];
  readonly phases: readonly string[];
  readonly outcomes: readonly string[];
  /** ['MAY_BE_OUT_OF_DATE'] narrows to items whose freshness nudge went unanswered. */
  readonly freshness: readonly string[];
  readonly page: number;
}

export type FilterName = 'kinds' | 'areas' | 'councils' | 'statuses' | 'tags' | 'regions' | 'councilKinds' | 'phases' | 'outcomes' | 'freshness';
export const FILTER_PARAMS: Record<FilterName, string> = {
  kinds: 'kind', areas: 'area', councils: 'council', statuses: 'status', tags: 'tag',
  regions: 'region', councilKinds: 'council_type', phases: 'phase', outcomes: 'outcome', freshness: 'freshness',
};

export const OUT_OF_DATE = 'MAY_BE_OUT_OF_DATE';

const enumNames = (values: readonly string[]) => values.map((v) => v.toUpperCase());

const values = (params: URLSearchParams, name: string, valid: (v: string) => boolean) =>
  [...new Set(params.getAll(name).map((v) => v.trim()).filter((v) => v !== '' && v.length <= 100 && valid(v)))].slice(0, MAX_VALUES);

/** Reads a search from a query string; values that cannot be right are dropped, not errors. */
export function parseSearch(params: URLSearchParams): SearchState {
  const page = Number(params.get('page') ?? '1');
  return {
    q: (params.get('q') ?? '').trim().slice(0, 200),
    kinds: values(params, 'kind', (v) => (KINDS as readonly string[]).includes(v)) as Kind[],
    areas: values(params, 'area', (v) => /^[A-Z_]+$/.test(v) && isServiceArea(v.toLowerCase())),
    councils: values(params, 'council', isCouncilId),
    statuses: values(params, 'status', (v) => (STATUSES as readonly string[]).includes(v)),
    tags: values(params, 'tag', () => true),
    regions: values(params, 'region', (v) => (NATIONS_AND_REGIONS as readonly string[]).includes(v)),
    councilKinds: values(params, 'council_type', (v) => enumNames(COUNCIL_KINDS).includes(v)),
    phases: values(params, 'phase', (v) => enumNames(SOLUTION_PHASES).includes(v)),
    outcomes: values(params, 'outcome', (v) => enumNames(CASE_STUDY_OUTCOMES).includes(v)),
    freshness: values(params, 'freshness', (v) => v === OUT_OF_DATE),
    page: Number.isInteger(page) && page >= 1 && page <= LAST_PAGE ? page : 1,
  };
}

export function hasFilters(state: SearchState): boolean {
  return (Object.keys(FILTER_PARAMS) as FilterName[]).some((name) => state[name].length > 0);
}

/** The URL of a search; page 1 is left out so equal searches have equal links. */
export function searchUrl(state: SearchState, changes: Partial<SearchState> = {}): string {
  const next = { ...state, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.set('q', next.q);
  for (const name of Object.keys(FILTER_PARAMS) as FilterName[]) {
    for (const value of next[name]) params.append(FILTER_PARAMS[name], value);
  }
  if (next.page > 1) params.set('page', String(next.page));
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

/** The same search without one filter value (or without every filter). */
export function withoutFilter(state: SearchState, name?: FilterName, value?: string): string {
  if (!name) return searchUrl(state, { kinds: [], areas: [], councils: [], statuses: [], tags: [], regions: [], councilKinds: [], phases: [], outcomes: [], freshness: [], page: 1 });
  return searchUrl(state, { [name]: state[name].filter((v) => v !== value), page: 1 });
}

/** The ContentStatus enum's values: the search filter refuses any other. */
const STATUSES = ['OPEN', 'EXPLORING', 'SOLVED', 'ACTIVE', 'ARCHIVED'] as const;

/** The `filter` argument of the search query, or null when nothing narrows it. */
export function searchFilter(state: SearchState) {
  if (!hasFilters(state)) return null;
  return {
    ...(state.kinds.length ? { kinds: state.kinds } : {}),
    ...(state.areas.length ? { serviceAreas: state.areas } : {}),
    ...(state.councils.length ? { councilIds: state.councils } : {}),
    ...(state.statuses.length ? { statuses: state.statuses } : {}),
    ...(state.tags.length ? { tags: state.tags } : {}),
    ...(state.regions.length ? { regions: state.regions } : {}),
    ...(state.councilKinds.length ? { councilKinds: state.councilKinds } : {}),
    ...(state.phases.length ? { phases: state.phases } : {}),
    ...(state.outcomes.length ? { outcomes: state.outcomes } : {}),
    ...(state.freshness.includes(OUT_OF_DATE) ? { mayBeOutOfDate: true } : {}),
  };
}

/** Search cursors are offsets, so a page number maps to the cursor that ends the page before. */
export function pageCursor(page: number): string | null {
  return page > 1 ? encodeSearchCursor((page - 1) * PAGE_SIZE) : null;
}

function isCouncilId(value: string): boolean {
  try {
    return decodeGlobalId(value).typename === 'Council';
  } catch {
    return false;
  }
}

/** The variables of the search page's GraphQL request (web/pages/search-query.ts) for a search. */
export function searchPageVariables(state: SearchState) {
  return {
    q: state.q, filter: searchFilter(state), first: PAGE_SIZE, after: pageCursor(state.page),
    filtered: hasFilters(state), councils: state.councils,
  };
}
