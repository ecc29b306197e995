/**
 * Index settings as Meilisearch stores and returns them (GET /indexes/{uid}/settings), read
 * from its source (meilisearch-types settings.rs, milli update/settings.rs): every setting
 * is present with its default filled in; filterable and sortable attributes and stop words
 * are sets and come back sorted; synonyms come back with their keys sorted and each list
 * sorted and deduplicated; nested settings (typo tolerance, faceting, pagination) are
 * updated field by field.
 */
const DEFAULTS = {
  displayedAttributes: ['*'], searchableAttributes: ['*'], filterableAttributes: [], sortableAttributes: [],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'], stopWords: [], nonSeparatorTokens: [],
  separatorTokens: [], dictionary: [], synonyms: {}, distinctAttribute: null, proximityPrecision: 'byWord',
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [] },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' } },
  pagination: { maxTotalHits: 1000 }, searchCutoffMs: null,
};

const NESTED = new Set(['typoTolerance', 'faceting', 'pagination']);
const SETS = ['filterableAttributes', 'sortableAttributes', 'stopWords'];

type Settings = Record<string, unknown>;

/** Applies a PATCH body: a null resets a setting, a nested object updates only the fields it names. */
export function updateSettings(stored: Settings, patch: Settings): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete stored[key];
    else if (NESTED.has(key)) stored[key] = merge(stored[key] as Settings | undefined, value as Settings);
    else stored[key] = structuredClone(value);
  }
}

export function storedSettings(stored: Settings): Settings {
  const settings = merge(structuredClone(DEFAULTS) as Settings, stored);
  for (const key of SETS) settings[key] = [...new Set(settings[key] as string[])].sort();
  const synonyms = settings.synonyms as Record<string, string[]>;
  settings.synonyms = Object.fromEntries(Object.keys(synonyms).sort().map((k) => [k, [...new Set(synonyms[k])].sort()]));
  return settings;
}

function merge(base: Settings | undefined, patch: Settings): Settings {
  const out: Settings = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    out[key] = isObject && out[key] && typeof out[key] === 'object' ? merge(out[key] as Settings, value as Settings) : structuredClone(value);
  }
  return out;
}
