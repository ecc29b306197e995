/**
 * The oldest Meilisearch the adapter works with: `matchingStrategy: 'frequency'` (used by
 * "more like this" and the duplicate check) arrived in 1.9, and older servers answer 400
 * `invalid_search_matching_strategy`. Everything else the adapter sends is older.
 */
export const MIN_MEILISEARCH_VERSION = '1.9.0';

/** The server is reachable but too old (or says a version we cannot read): an operator's fix. */
export class MeilisearchVersionError extends Error {}

/** Throws MeilisearchVersionError unless `pkgVersion` (from GET /version) is new enough. */
export function assertSupportedVersion(pkgVersion: unknown, url: string): void {
  const found = parse(pkgVersion);
  if (!found) throw new MeilisearchVersionError(`Meilisearch at ${url} reports version ${JSON.stringify(pkgVersion)}, which cannot be read; Council Commons needs ${MIN_MEILISEARCH_VERSION} or later`);
  if (compare(found, parse(MIN_MEILISEARCH_VERSION)!) < 0) {
    throw new MeilisearchVersionError(`Meilisearch at ${url} is version ${String(pkgVersion)}; Council Commons needs ${MIN_MEILISEARCH_VERSION} or later (upgrade Meilisearch, or unset MEILISEARCH_URL to search with PostgreSQL)`);
  }
}

function parse(version: unknown): [number, number, number] | undefined {
  const match = typeof version === 'string' ? /^v?(\d+)\.(\d+)\.(\d+)/.exec(version) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
