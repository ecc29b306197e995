/**
 * Faults the recording double (recording-meilisearch.ts) can be told to show, each one a
 * behaviour of a real Meilisearch or of what stands in front of it: 503
 * `too_many_search_requests` with `Retry-After: 10` (meilisearch-types/src/error.rs), a
 * proxy's 429 or HTML error page, a server that stalls.
 */
export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** A string is sent as text/html (not JSON); anything else as JSON. */
  readonly body?: unknown;
}

export interface RequestMatch {
  readonly method?: string;
  readonly path: RegExp;
}

export function createFaults() {
  const scripted: { match: RequestMatch; remaining: number; response: ScriptedResponse }[] = [];
  const delays: { match: RequestMatch; ms: number }[] = [];
  const matches = (m: RequestMatch, method: string, path: string) => (m.method === undefined || m.method === method) && m.path.test(path);

  return {
    /** The next `count` matching requests get this answer instead of the real one. */
    respondWith(match: RequestMatch, response: ScriptedResponse, count = 1): void {
      scripted.push({ match, remaining: count, response });
    },
    /** Matching requests are answered only after `ms` (a stalled server), until `clear()`. */
    delay(match: RequestMatch, ms: number): void {
      delays.push({ match, ms });
    },
    clear(): void {
      scripted.length = 0;
      delays.length = 0;
    },
    /** For the double: the scripted answer for this request, if any (used up as it is taken). */
    take(method: string, path: string): ScriptedResponse | undefined {
      const found = scripted.find((s) => s.remaining > 0 && matches(s.match, method, path));
      if (found) found.remaining--;
      return found?.response;
    },
    delayFor(method: string, path: string): number {
      return delays.filter((d) => matches(d.match, method, path)).reduce((ms, d) => ms + d.ms, 0);
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;

/** Meilisearch's 503 when its search queue is full (search_queue.rs), with the header it always sends. */
export const TOO_MANY_SEARCH_REQUESTS: ScriptedResponse = {
  status: 503,
  headers: { 'retry-after': '10' },
  body: { message: 'Too many search requests running at the same time: 1000. Retry after 10s.', code: 'too_many_search_requests', type: 'system', link: 'https://docs.meilisearch.com/errors#too_many_search_requests' },
};

/** What a reverse proxy answers when Meilisearch is down: HTML, not JSON. */
export const PROXY_BAD_GATEWAY: ScriptedResponse = { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
