import { MeilisearchApiError, MeilisearchRequestError, MeilisearchTaskTimeOutError } from 'meilisearch';

export interface RetryPolicy {
  /** Further attempts after the first. */
  readonly retries: number;
  /** A Retry-After longer than this is not waited for: the error is thrown at once. */
  readonly maxWaitMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a request again when Meilisearch answers 503 (`too_many_search_requests`, always with
 * `Retry-After: 10`) or a proxy answers 429, no sooner than Retry-After says. Other errors,
 * and waits longer than the policy allows, are thrown at once.
 */
export async function withRetries<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const waitMs = retryAfterMs(error);
      if (waitMs === undefined || attempt >= policy.retries || waitMs > policy.maxWaitMs) throw error;
      await sleep(waitMs);
    }
  }
}

/** The wait a 429 or 503 asks for (one second when it names none); undefined for other errors. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!(error instanceof MeilisearchApiError) || (error.response.status !== 429 && error.response.status !== 503)) return undefined;
  const header = error.response.headers.get('retry-after');
  if (header === null || header.trim() === '') return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1_000 : Math.max(0, date - now);
}

/**
 * True when Meilisearch could not give an answer: unreachable, timed out, overloaded,
 * failing (5xx), or answering something that is not JSON (a proxy's error page). A 4xx
 * other than 429 is a request the adapter got wrong, so it stays a bug.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof MeilisearchApiError) return error.response.status === 429 || error.response.status >= 500;
  if (error instanceof MeilisearchTaskTimeOutError) return true;
  // The client parses every body before it checks the status, so a non-JSON body is a SyntaxError.
  return error instanceof SyntaxError || error instanceof MeilisearchRequestError;
}
