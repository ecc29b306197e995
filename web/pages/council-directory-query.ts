import { COUNCIL_KINDS, NATIONS_AND_REGIONS } from '../../server/domain/councils.js';

export const DIRECTORY_PAGE_SIZE = 50;

export const COUNCIL_DIRECTORY_QUERY = `query CouncilDirectory($first: Int, $after: String, $last: Int, $before: String, $kinds: [CouncilKind!], $regions: [String!], $system: SystemNameInput, $months: Int) {
  councils(first: $first, after: $after, last: $last, before: $before, kinds: $kinds, regions: $regions, system: $system, contractsEndingWithinMonths: $months) {
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
  /** "Councils on the same system": both given, or neither. */
  readonly supplier: string;
  readonly product: string;
  /** "Contracts ending within N months", one of CONTRACT_MONTHS, or null. */
  readonly months: number | null;
  readonly after?: string;
  readonly before?: string;
}

/** The directory's choices for "contracts ending within": the API takes 1 to 120. */
export const CONTRACT_MONTHS = [6, 12, 18, 24, 36] as const;

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
    ...systemOf(params),
    ...cursor('after'),
    ...(params.has('after') ? {} : cursor('before')),
  };
}

function systemOf(params: URLSearchParams): Pick<DirectoryState, 'supplier' | 'product' | 'months'> {
  const text = (name: string) => (params.get(name) ?? '').trim().slice(0, 120);
  const [supplier, product] = [text('supplier'), text('product')];
  const months = Number(params.get('months'));
  return {
    ...(supplier && product ? { supplier, product } : { supplier: '', product: '' }),
    months: (CONTRACT_MONTHS as readonly number[]).includes(months) ? months : null,
  };
}

export function directoryVariables(state: DirectoryState) {
  const page = state.before ? { last: DIRECTORY_PAGE_SIZE, before: state.before } : { first: DIRECTORY_PAGE_SIZE, ...(state.after ? { after: state.after } : {}) };
  return {
    ...page, ...(state.kinds.length ? { kinds: state.kinds } : {}), ...(state.regions.length ? { regions: state.regions } : {}),
    ...(state.supplier ? { system: { supplier: state.supplier, product: state.product } } : {}), ...(state.months ? { months: state.months } : {}),
  };
}

/** The directory's address with these filters and, optionally, a page cursor. */
export function directoryUrl(state: DirectoryState, page: { after?: string; before?: string } = {}): string {
  const params = new URLSearchParams();
  for (const region of state.regions) params.append('region', region);
  for (const kind of state.kinds) params.append('kind', kind);
  if (state.supplier) {
    params.set('supplier', state.supplier);
    params.set('product', state.product);
  }
  if (state.months) params.set('months', String(state.months));
  if (page.after) params.set('after', page.after);
  if (page.before) params.set('before', page.before);
  const query = params.toString();
  return query ? `/councils?${query}` : '/councils';
}
