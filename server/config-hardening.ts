/**
 * The protective settings of the hub: operation and request limits, rate limits, WebSocket
 * limits, CSRF prevention, persisted operations and shutdown. Read by `loadConfig`, which
 * passes in its parsers so this module never touches the environment itself.
 */

export interface OperationLimits {
  /** Deepest nesting of fields in an operation (introspection fields excluded). @default 12 */
  readonly maxDepth: number;
  /** Aliased fields in an operation, counting each use of a fragment. @default 30 */
  readonly maxAliases: number;
  /** Lexical tokens in a document; parsing stops at the limit. @default 2000 */
  readonly maxTokens: number;
  /** Directives in an operation, counting each use of a fragment. @default 50 */
  readonly maxDirectives: number;
  /**
   * Cost budget per operation: each object field costs 1, and a connection multiplies the
   * cost of its `edges`/`nodes` by `first` or `last` (20 when neither is given). @default 10000
   */
  readonly maxCost: number;
  /** Characters in a query document. @default 20000 */
  readonly maxQueryLength: number;
  /**
   * Objects one execution (a query, a mutation, one event of a subscription) may resolve,
   * counted as they resolve, each list item one; past it the result is one LIMIT_EXCEEDED
   * error. Bounds memory where the estimate cannot: trusted documents, surprising data.
   * @default 20000
   */
  readonly maxResolvedObjects: number;
  /** Values in any one list given in the variables (ids, filter values). @default 1000 */
  readonly maxListInput: number;
}

export interface RequestLimits {
  /** Bytes in an HTTP request body. @default 1048576 (1 MiB) */
  readonly maxBodyBytes: number;
  /** Operations in one HTTP request; 1 turns batching off. @default 1 */
  readonly maxBatchSize: number;
  /** Time a client has to send a whole request, body included; then 408. @default 30000 */
  readonly requestTimeoutMs: number;
  /** Time a client has to send a request's headers; then 408. @default 10000 */
  readonly headersTimeoutMs: number;
}

export interface RateLimit {
  /** Sustained requests per second; 0 turns this limit off. */
  readonly perSecond: number;
  /** Requests allowed at once after a quiet spell (the bucket's size). */
  readonly burst: number;
}

/**
 * Where rate-limit counters live: `memory`, in each process; `postgres`, in the hub's
 * database, shared by every server process (rate-limit-store.ts).
 */
export type RateLimitStore = 'memory' | 'postgres';

export interface RateLimits {
  /** Per API token, for tokens that have authenticated. @default 20/s, burst 100 in server mode; off embedded */
  readonly perToken: RateLimit;
  /** Per client address, for requests without a known token. @default 10/s, burst 50 in server mode; off embedded */
  readonly perAddress: RateLimit;
  /** Take the client address from the last X-Forwarded-For entry (behind one proxy). @default false */
  readonly trustProxy: boolean;
  /** @default postgres in server mode; memory embedded */
  readonly store: RateLimitStore;
}

export interface WebSocketLimits {
  /** Time a socket has to send `connection_init` before it is closed with 4408. @default 3000 */
  readonly initTimeoutMs: number;
  /** Bytes in one WebSocket message; a larger one closes the socket with 1009. @default 262144 */
  readonly maxMessageBytes: number;
  /** Operations running at once on one connection. @default 20 */
  readonly maxSubscriptionsPerConnection: number;
  /** Open connections per API token. @default 10 */
  readonly maxConnectionsPerToken: number;
  /** Open anonymous connections per client address. @default 50 */
  readonly maxConnectionsPerAddress: number;
  /**
   * Cost units (operation-cost.ts) the events of one connection's subscriptions may spend:
   * each event a subscriber receives is charged its subscription's cost.
   * @default 2000/s, burst 20000
   */
  readonly eventCostPerConnection: RateLimit;
  /** The same, for all connections of one API token or anonymous address. @default 5000/s, burst 50000 */
  readonly eventCostPerClient: RateLimit;
}

/**
 * `post`: POST requests must force a CORS preflight (a JSON content type, or an
 * Authorization or CSRF header); `all`: GET requests too (yoga's plugin); `off`.
 */
export type CsrfPrevention = 'post' | 'all' | 'off';

export interface HardeningConfig {
  readonly operationLimits: OperationLimits;
  readonly requestLimits: RequestLimits;
  readonly rateLimits: RateLimits;
  readonly webSocketLimits: WebSocketLimits;
  /** @default post */
  readonly csrfPrevention: CsrfPrevention;
  /** A JSON file of `{ "<id>": "<document>" }` that trusted clients may run by id. */
  readonly persistedOperationsFile: string | undefined;
  /** Refuse every document that is not in the persisted operations file. @default false */
  readonly persistedOperationsOnly: boolean;
  /**
   * Total characters of query text whose parsed documents are kept for reuse; bounds the
   * parser cache's memory (a document's AST weighs up to 100 times its text). @default 262144
   */
  readonly documentCacheChars: number;
  /** How long SIGTERM waits for in-flight requests before cutting connections. @default 10000 */
  readonly shutdownGraceMs: number;
  /**
   * Origins (e.g. `https://app.example.gov.uk`) whose pages may send credentials over CORS
   * and open WebSockets; other pages get CORS without credentials, and cross-origin WebSockets
   * are refused. `*` admits WebSockets from any origin. @default none
   */
  readonly trustedOrigins: readonly string[];
}

type Env = Record<string, string | undefined>;

export interface EnvReaders {
  integer(env: Env, name: string, fallback: number, min: number, max: number): number;
  boolean(env: Env, name: string, fallback: boolean): boolean;
  oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T;
  nonEmpty(value: string | undefined): string | undefined;
  fail(message: string): never;
}

const MAX = 2 ** 31 - 1;

export function loadHardening(env: Env, embedded: boolean, read: EnvReaders): HardeningConfig {
  const int = (name: string, fallback: number, min = 1) => read.integer(env, name, fallback, min, MAX);
  // Embedded mode serves one office or a developer; the public server mode throttles.
  const rate = (name: string, perSecond: number, burst: number): RateLimit => {
    const rps = int(`RATE_LIMIT_${name}`, embedded ? 0 : perSecond, 0);
    return Object.freeze({ perSecond: rps, burst: int(`RATE_LIMIT_${name}_BURST`, Math.max(burst, rps)) });
  };
  // Subscription events are charged in both modes: they are what lets one client multiply work.
  const allowance = (name: string, perSecond: number, burst: number): RateLimit => {
    const rate = int(`SUBSCRIPTION_COST_${name}`, perSecond, 0);
    return Object.freeze({ perSecond: rate, burst: int(`SUBSCRIPTION_COST_${name}_BURST`, Math.max(burst, rate)) });
  };
  const persistedOperationsFile = read.nonEmpty(env.PERSISTED_OPERATIONS_FILE);
  const persistedOperationsOnly = read.boolean(env, 'PERSISTED_OPERATIONS_ONLY', false);
  if (persistedOperationsOnly && !persistedOperationsFile) {
    read.fail('PERSISTED_OPERATIONS_ONLY needs PERSISTED_OPERATIONS_FILE');
  }
  return {
    operationLimits: Object.freeze({
      maxDepth: int('MAX_QUERY_DEPTH', 12),
      maxAliases: int('MAX_QUERY_ALIASES', 30, 0),
      maxTokens: int('MAX_QUERY_TOKENS', 2_000),
      maxDirectives: int('MAX_QUERY_DIRECTIVES', 50, 0),
      maxCost: int('MAX_QUERY_COST', 10_000),
      maxQueryLength: int('MAX_QUERY_LENGTH', 20_000),
      maxResolvedObjects: int('MAX_RESOLVED_OBJECTS', 20_000),
      maxListInput: int('MAX_LIST_INPUT', 1_000),
    }),
    requestLimits: Object.freeze({
      maxBodyBytes: int('MAX_BODY_BYTES', 1_048_576, 1_024),
      maxBatchSize: int('MAX_BATCH_SIZE', 1),
      requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 100),
      headersTimeoutMs: int('HEADERS_TIMEOUT_MS', 10_000, 100),
    }),
    rateLimits: Object.freeze({
      perToken: rate('PER_TOKEN', 20, 100),
      perAddress: rate('PER_ADDRESS', 10, 50),
      trustProxy: read.boolean(env, 'TRUST_PROXY', false),
      store: read.oneOf(env, 'RATE_LIMIT_STORE', ['memory', 'postgres'] as const, embedded ? 'memory' : 'postgres'),
    }),
    webSocketLimits: Object.freeze({
      initTimeoutMs: int('WS_INIT_TIMEOUT_MS', 3_000),
      maxMessageBytes: int('WS_MAX_MESSAGE_BYTES', 262_144, 1_024),
      maxSubscriptionsPerConnection: int('WS_MAX_SUBSCRIPTIONS', 20),
      maxConnectionsPerToken: int('WS_MAX_CONNECTIONS_PER_TOKEN', 10),
      maxConnectionsPerAddress: int('WS_MAX_CONNECTIONS_PER_ADDRESS', 50),
      eventCostPerConnection: allowance('PER_CONNECTION', 2_000, 20_000),
      eventCostPerClient: allowance('PER_CLIENT', 5_000, 50_000),
    }),
    csrfPrevention: read.oneOf(env, 'CSRF_PREVENTION', ['post', 'all', 'off'] as const, 'post'),
    persistedOperationsFile,
    persistedOperationsOnly,
    documentCacheChars: int('DOCUMENT_CACHE_CHARS', 262_144, 0),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0),
    trustedOrigins: Object.freeze((read.nonEmpty(env.TRUSTED_ORIGINS) ?? '').split(',').map((o) => o.trim()).filter(Boolean)),
  };
}
