import { COUNCIL_KINDS, NATIONS_AND_REGIONS } from '../../server/domain/councils.js';

export const DIRECTORY_PAGE_SIZE = 50;

export const COUNCIL_DIRECTORY_QUERY = `query CouncilDirectory($first: Int, $after: String, $last: Int, $before: String, $kinds: [CouncilKind!], $regions: [String!]) {
  councils(first: $first, after: $after, last: $last, before: $before, kinds: $kinds, regions: $regions) {
    edges { node { id slug name kind region counts { problems solutions caseStudies supports adopted } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

export interface DirectoryCouncil {
  id: string; slug: string; name: string; kind: string; region: string;
  counts: { problems: number; solutions: number; caseStudies: number; supports: number; adopted: number };
}

export interface CouncilDirectoryData {
  councils: {
    edges: { node: DirectoryCouncil }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

/** The directory's filters and page, from its URL: unknown values are dropped, never sent on. */
export interface DirectoryState {
  readonly regions: readonly string[];
  /** CouncilKind enum values, e.g. LONDON_BOROUGH. */
  readonly kinds: readonly string[];
  readonly after?: string;
  readonly before?: string;
}

export const DIRECTORY_KINDS: readonly string[] = COUNCIL_KINDS.map((kind) => kind.toUpperCase());
const CURSOR = /^[A-Za-z0-9+/_=-]{1,100}$/;

export function parseDirectory(params: URLSearchParams): DirectoryState {
  const cursor = (name: string) => {
    const value = params.get(name);
    return value && CURSOR.test(value) ? { [name]: value } : {};
  };
  return {
    regions: params.getAll('region').filter((r) => (NATIONS_AND_REGIONS as readonly string[]).includes(r)),
    kinds: params.getAll('kind').filter((k) => DIRECTORY_KINDS.includes(k)),
    ...cursor('after'),
    ...(params.has('after') ? {} : cursor('before')),
  };
}

export function directoryVariables(state: DirectoryState) {
  const page = state.before ? { last: DIRECTORY_PAGE_SIZE, before: state.before } : { first: DIRECTORY_PAGE_SIZE, ...(state.after ? { after: state.after } : {}) };
  return { ...page, ...(state.kinds.length ? { kinds: state.kinds } : {}), ...(state.regions.length ? { regions: state.regions } : {}) };
}

/** The directory's address with these filters and, optionally, a page cursor. */
export function directoryUrl(state: DirectoryState, page: { after?: string; before?: string } = {}): string {
  const params = new URLSearchParams();
  for (const region of state.regions) params.append('region', region);
  for (const kind of state.kinds) params.append('kind', kind);
  if (page.after) params.set('after', page.after);
  if (page.before) params.set('before', page.before);
  const query = params.toString();
  return query ? `/councils?${query}` : '/councils';
}
