/**
 * The parts of Meilisearch's documented HTTP API that the adapter may use, written from
 * the API reference (https://www.meilisearch.com/docs/reference/api) and its OpenAPI
 * document: routes, methods, query parameters and body shapes. The wire test checks every
 * request the adapter makes against this; a request matching no route, or a body with an
 * undocumented key or a wrongly typed value, is a violation.
 */

type Check = (value: unknown, path: string, problems: string[]) => void;

const fail = (problems: string[], path: string, message: string) => problems.push(`${path}: ${message}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const string: Check = (v, p, out) => { if (typeof v !== 'string') fail(out, p, 'must be a string'); };
export const boolean: Check = (v, p, out) => { if (typeof v !== 'boolean') fail(out, p, 'must be a boolean'); };
export const nonNegativeInt: Check = (v, p, out) => { if (!Number.isInteger(v) || (v as number) < 0) fail(out, p, 'must be a non-negative integer'); };
export const nullable = (check: Check): Check => (v, p, out) => { if (v !== null) check(v, p, out); };
export const oneOf = (...values: string[]): Check => (v, p, out) => { if (!values.includes(v as string)) fail(out, p, `must be one of ${values.join(', ')}`); };
export const arrayOf = (check: Check): Check => (v, p, out) => {
  if (!Array.isArray(v)) return fail(out, p, 'must be an array');
  v.forEach((item, i) => check(item, `${p}[${i}]`, out));
};
export const recordOf = (check: Check): Check => (v, p, out) => {
  if (!isObject(v)) return fail(out, p, 'must be an object');
  for (const [k, item] of Object.entries(v)) check(item, `${p}.${k}`, out);
};
/** An object with documented keys only; `required` keys must be present. */
export const object = (keys: Record<string, Check>, required: string[] = []): Check => (v, p, out) => {
  if (!isObject(v)) return fail(out, p, 'must be an object');
  for (const key of required) if (!(key in v)) fail(out, `${p}.${key}`, 'is required');
  for (const [key, item] of Object.entries(v)) {
    const check = keys[key];
    if (!check) fail(out, `${p}.${key}`, 'is not a documented field');
    else check(item, `${p}.${key}`, out);
  }
};

// https://www.meilisearch.com/docs/learn/resources/known_limitations: document ids are
// integers or strings of a-z A-Z 0-9 - _ of at most 511 bytes.
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,511}$/;
export const documentId: Check = (v, p, out) => {
  if (!(Number.isInteger(v) || (typeof v === 'string' && DOCUMENT_ID.test(v)))) fail(out, p, 'is not a valid document id');
};

const unitNumber: Check = (v, p, out) => { if (typeof v !== 'number' || v < 0 || v > 1) fail(out, p, 'must be a number from 0 to 1'); };
const finiteNumber: Check = (v, p, out) => { if (typeof v !== 'number' || !Number.isFinite(v)) fail(out, p, 'must be a finite number'); };

// An embedder (reference/api/settings#embedders). A `userProvided` one takes `dimensions`
// and no `documentTemplate` or model: the documents bring their own vectors.
const EMBEDDER: Check = (v, p, out) => {
  object({
    source: oneOf('openAi', 'huggingFace', 'ollama', 'userProvided', 'rest', 'composite'),
    dimensions: nonNegativeInt,
    model: string,
    apiKey: string,
    documentTemplate: string,
    url: string,
    distribution: object({ mean: unitNumber, sigma: unitNumber }, ['mean', 'sigma']),
    binaryQuantized: boolean,
  }, ['source'])(v, p, out);
  const e = v as Record<string, unknown>;
  if (e?.source === 'userProvided') {
    if (!('dimensions' in e)) fail(out, `${p}.dimensions`, 'is required for a userProvided embedder');
    for (const key of ['documentTemplate', 'model', 'url', 'apiKey']) if (key in e) fail(out, `${p}.${key}`, 'is not allowed for a userProvided embedder');
  }
};

// A document's `_vectors` (learn/ai_powered_search/search_with_user_provided_embeddings):
// per embedder an array of numbers, an array of such arrays, null, or { embeddings, regenerate }.
export const DOCUMENT_VECTORS = recordOf((v, p, out) => {
  if (v === null) return;
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? arrayOf(finiteNumber)(v, p, out) : arrayOf(arrayOf(finiteNumber))(v, p, out);
  object({ embeddings: nullable(arrayOf(finiteNumber)), regenerate: boolean }, ['regenerate'])(v, p, out);
});

const RANKING_RULE = /^(words|typo|proximity|attribute|sort|exactness|[A-Za-z0-9_.]+:(asc|desc))$/;

// PATCH /indexes/{index_uid}/settings (reference/api/settings#update-settings).
export const SETTINGS = object({
  displayedAttributes: nullable(arrayOf(string)),
  searchableAttributes: nullable(arrayOf(string)),
  filterableAttributes: nullable(arrayOf(string)),
  sortableAttributes: nullable(arrayOf(string)),
  rankingRules: nullable(arrayOf((v, p, out) => { if (typeof v !== 'string' || !RANKING_RULE.test(v)) fail(out, p, 'is not a ranking rule'); })),
  stopWords: nullable(arrayOf(string)),
  synonyms: nullable(recordOf(arrayOf(string))),
  distinctAttribute: nullable(string),
  typoTolerance: nullable(object({
    enabled: boolean,
    minWordSizeForTypos: object({ oneTypo: nonNegativeInt, twoTypos: nonNegativeInt }),
    disableOnWords: arrayOf(string),
    disableOnAttributes: arrayOf(string),
    disableOnNumbers: boolean,
  })),
  faceting: nullable(object({ maxValuesPerFacet: nonNegativeInt, sortFacetValuesBy: recordOf(oneOf('alpha', 'count')) })),
  pagination: nullable(object({ maxTotalHits: nonNegativeInt })),
  proximityPrecision: nullable(oneOf('byWord', 'byAttribute')),
  separatorTokens: nullable(arrayOf(string)),
  nonSeparatorTokens: nullable(arrayOf(string)),
  dictionary: nullable(arrayOf(string)),
  searchCutoffMs: nullable(nonNegativeInt),
  embedders: nullable(recordOf(EMBEDDER)),
});

// POST /indexes/{index_uid}/search (reference/api/search#search-in-an-index-with-post).
const SEARCH_FIELDS: Record<string, Check> = {
  q: nullable(string),
  offset: nonNegativeInt,
  limit: nonNegativeInt,
  hitsPerPage: nonNegativeInt,
  page: nonNegativeInt,
  filter: nullable((v, p, out) => { if (typeof v !== 'string' && !Array.isArray(v)) fail(out, p, 'must be a string or an array'); }),
  facets: nullable(arrayOf(string)),
  distinct: string,
  attributesToRetrieve: arrayOf(string),
  attributesToCrop: nullable(arrayOf(string)),
  cropLength: nonNegativeInt,
  cropMarker: string,
  attributesToHighlight: nullable(arrayOf(string)),
  highlightPreTag: string,
  highlightPostTag: string,
  showMatchesPosition: boolean,
  sort: nullable(arrayOf((v, p, out) => { if (typeof v !== 'string' || !/^[A-Za-z0-9_.]+:(asc|desc)$/.test(v)) fail(out, p, 'must be attribute:asc or attribute:desc'); })),
  matchingStrategy: oneOf('last', 'all', 'frequency'),
  showRankingScore: boolean,
  showRankingScoreDetails: boolean,
  rankingScoreThreshold: (v, p, out) => { if (typeof v !== 'number' || v < 0 || v > 1) fail(out, p, 'must be a number from 0 to 1'); },
  attributesToSearchOn: nullable(arrayOf(string)),
  // reference/api/search#hybrid-search and #vector: a userProvided embedder needs `vector`.
  hybrid: object({ embedder: string, semanticRatio: unitNumber }, ['embedder']),
  vector: arrayOf(finiteNumber),
  retrieveVectors: boolean,
};
export const SEARCH = object(SEARCH_FIELDS);

// POST /multi-search (reference/api/multi_search): each query names its index.
export const MULTI_SEARCH = object({ queries: arrayOf(object({ ...SEARCH_FIELDS, indexUid: string }, ['indexUid'])) }, ['queries']);

/**
 * What older servers refuse, read from Meilisearch's source and changelog: a parameter or
 * value they do not know is a 400 (deserr rejects unknown fields and values), a route they
 * lack a 404. The double answers so when it pretends to be such a version.
 */
export const INTRODUCED: readonly { since: string; code: string; status: 400 | 404; applies(method: string, path: string, body: any): boolean }[] = [
  { since: '1.9.0', code: 'invalid_search_matching_strategy', status: 400,
    applies: (_, path, body) => path.endsWith('/search') && body?.matchingStrategy === 'frequency'
      || path === '/multi-search' && body?.queries?.some((q: any) => q.matchingStrategy === 'frequency') },
  { since: '1.3.0', code: 'invalid_settings_faceting', status: 400,
    applies: (method, path, body) => method === 'PATCH' && path.endsWith('/settings') && body?.faceting?.sortFacetValuesBy !== undefined },
  { since: '1.3.0', code: 'bad_request', status: 400, applies: (_, path, body) => path.endsWith('/search') && body?.showRankingScore !== undefined },
  { since: '1.1.0', code: 'not_found', status: 404, applies: (_, path) => path === '/multi-search' },
];

export function versionAtLeast(version: string, since: string): boolean {
  const [a, b] = [version, since].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a![i] !== b![i]) return a![i]! > b![i]!;
  return true;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: RegExp;
  readonly doc: string;
  readonly query?: readonly string[];
  /** Absent: the route takes no body. */
  readonly body?: Check;
  /** The route answers 202 with a summarized task (the write is asynchronous). */
  readonly enqueues?: string;
}

const UID = '[A-Za-z0-9_-]+';
const REF = 'https://www.meilisearch.com/docs/reference/api';

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: new RegExp(`^/indexes/${UID}$`), doc: `${REF}/indexes#get-one-index` },
  { method: 'POST', path: /^\/indexes$/, doc: `${REF}/indexes#create-an-index`, enqueues: 'indexCreation',
    body: object({ uid: (v, p, out) => { if (typeof v !== 'string' || !new RegExp(`^${UID}$`).test(v)) fail(out, p, 'is not an index uid'); }, primaryKey: nullable(string) }, ['uid']) },
  { method: 'DELETE', path: new RegExp(`^/indexes/${UID}$`), doc: `${REF}/indexes#delete-an-index`, enqueues: 'indexDeletion' },
  { method: 'GET', path: new RegExp(`^/indexes/${UID}/settings$`), doc: `${REF}/settings#get-settings` },
  { method: 'PATCH', path: new RegExp(`^/indexes/${UID}/settings$`), doc: `${REF}/settings#update-settings`, enqueues: 'settingsUpdate', body: SETTINGS },
  { method: 'POST', path: new RegExp(`^/indexes/${UID}/documents$`), doc: `${REF}/documents#add-or-replace-documents`, enqueues: 'documentAdditionOrUpdate',
    query: ['primaryKey', 'csvDelimiter', 'customMetadata'], body: arrayOf((v, p, out) => {
      if (!isObject(v)) return fail(out, p, 'must be a document object');
      if ('_vectors' in v) DOCUMENT_VECTORS(v._vectors, `${p}._vectors`, out);
    }) },
  { method: 'POST', path: new RegExp(`^/indexes/${UID}/documents/delete-batch$`), doc: `${REF}/documents#delete-documents-by-batch`, enqueues: 'documentDeletion',
    body: arrayOf(documentId) },
  { method: 'POST', path: new RegExp(`^/indexes/${UID}/search$`), doc: `${REF}/search#search-in-an-index-with-post`, body: SEARCH },
  { method: 'POST', path: /^\/swap-indexes$/, doc: `${REF}/indexes#swap-indexes`, enqueues: 'indexSwap',
    body: arrayOf(object({ indexes: (v, p, out) => { arrayOf(string)(v, p, out); if (!Array.isArray(v) || v.length !== 2) fail(out, p, 'must name exactly two indexes'); }, rename: boolean }, ['indexes'])) },
  { method: 'GET', path: /^\/tasks\/\d+$/, doc: `${REF}/tasks#get-one-task` },
  { method: 'GET', path: /^\/version$/, doc: `${REF}/version#get-version-of-meilisearch` },
  { method: 'POST', path: /^\/multi-search$/, doc: `${REF}/multi_search#perform-a-multi-search`, body: MULTI_SEARCH },
];

export function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.find((r) => r.method === method && r.path.test(path));
}
