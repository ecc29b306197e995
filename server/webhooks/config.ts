import type { EnvReaders } from '../config-hardening.js';
import { readPublicUrl } from '../public-url.js';

/** Outbound webhooks: safety limits, retry schedule and secret rotation. */
export interface WebhookConfig {
  /**
   * Allow http:// URLs and targets on loopback, private, link-local or metadata addresses.
   * For tests and local development only. @default false
   */
  readonly allowPrivate: boolean;
  /** PUBLIC_URL, for the item link in each body. @default http://localhost:<PORT> */
  readonly publicUrl: string;
  /** Time to open the TCP (and TLS) connection. @default 5000 */
  readonly connectTimeoutMs: number;
  /** Time for the whole request, from DNS lookup to the end of the response. @default 15000 */
  readonly timeoutMs: number;
  /** Response bytes read before the connection is cut (the body is only logged). @default 65536 */
  readonly maxResponseBytes: number;
  /** Delay before the first retry; each later retry waits 4 times longer. @default 10000 */
  readonly retryInitialMs: number;
  /** Longest delay between two attempts. @default 36000000 (10 hours) */
  readonly retryMaxMs: number;
  /** Attempts before a delivery fails and its endpoint is disabled (9 ≈ a day). @default 9 */
  readonly maxAttempts: number;
  /** Endpoints with a delivery in flight at once (each endpoint has at most one). @default 16 */
  readonly concurrency: number;
  /** How long a rotated-out secret keeps signing. @default 86400000 (24 hours) */
  readonly secretGraceMs: number;
  /** Longest wait for due deliveries without a wake-up. @default 1000 */
  readonly pollIntervalMs: number;
  /**
   * Days a delivered or failed delivery (with its attempts) stays in the delivery log before
   * the dispatcher prunes it; pending ones stay until they finish. @default 30
   */
  readonly deliveryRetentionDays: number;
  /**
   * 32 bytes (WEBHOOKS_SECRETS_KEY, base64) that seal signing secrets at rest (see
   * secret-box.ts); every process of a deployment needs the same. @default none: stored as is
   */
  readonly secretsKey: Buffer | undefined;
}

type Env = Record<string, string | undefined>;

const MAX = 2 ** 31 - 1;

export function loadWebhookConfig(env: Env, read: Pick<EnvReaders, 'integer' | 'boolean' | 'nonEmpty' | 'fail'>, port = 4000): WebhookConfig {
  const int = (name: string, fallback: number, min = 1) => read.integer(env, `WEBHOOKS_${name}`, fallback, min, MAX);
  return Object.freeze({
    allowPrivate: read.boolean(env, 'WEBHOOKS_ALLOW_PRIVATE', false),
    publicUrl: readPublicUrl(env, port, read),
    connectTimeoutMs: int('CONNECT_TIMEOUT_MS', 5_000),
    timeoutMs: int('TIMEOUT_MS', 15_000),
    maxResponseBytes: int('MAX_RESPONSE_BYTES', 65_536, 0),
    retryInitialMs: int('RETRY_INITIAL_MS', 10_000),
    retryMaxMs: int('RETRY_MAX_MS', 36_000_000),
    maxAttempts: int('MAX_ATTEMPTS', 9),
    concurrency: int('CONCURRENCY', 16),
    secretGraceMs: int('SECRET_GRACE_MS', 86_400_000, 0),
    pollIntervalMs: int('POLL_INTERVAL_MS', 1_000, 10),
    deliveryRetentionDays: int('DELIVERY_RETENTION_DAYS', 30),
    secretsKey: secretsKey(read.nonEmpty(env.WEBHOOKS_SECRETS_KEY), read.fail),
  });
}

function secretsKey(value: string | undefined, fail: (message: string) => never): Buffer | undefined {
  if (value === undefined) return undefined;
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64') !== value) {
    fail('WEBHOOKS_SECRETS_KEY must be 32 bytes in base64 (for example: openssl rand -base64 32)');
  }
  return key;
}

/** Every default: for processes built without a Config (the admin command line, some tests). */
export const DEFAULT_WEBHOOK_CONFIG: WebhookConfig = loadWebhookConfig({}, {
  integer: (_env, _name, fallback) => fallback,
  boolean: (_env, _name, fallback) => fallback,
  nonEmpty: () => undefined,
  fail: (message) => { throw new Error(message); },
});
