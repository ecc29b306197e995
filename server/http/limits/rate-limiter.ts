import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { GraphQLError } from 'graphql';
import type { RateLimits } from '../../config-hardening.js';
import { createRateLimitStore } from './rate-limit-store.js';

export type RateLimitName = 'perToken' | 'perAddress';
export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number; readonly limit: RateLimitName };

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const MAX_KNOWN_TOKENS = 100_000;

/**
 * Per-token and per-address rate limits, kept by rate-limiter-flexible in the configured store
 * (rate-limit-store.ts; `db` serves the `postgres` store). A token gets its own allowance only
 * once it has authenticated in this process: until then (and for forged or revoked tokens)
 * requests are charged to their address, so inventing tokens buys no extra requests.
 */
export function createRateLimiter(limits: RateLimits, db?: Kysely<any>) {
  const store = createRateLimitStore(limits.store, db);
  const tokens = store.limit('token', limits.perToken);
  const addresses = store.limit('address', limits.perAddress);
  const known = new Set<string>();

  const decide = async (key: string, limit: RateLimitName): Promise<RateDecision> => {
    const take = await (limit === 'perToken' ? tokens : addresses).take(key);
    return take.ok ? take : { ...take, limit };
  };

  return {
    limits,
    store: store.kind,
    enabled: tokens.enabled || addresses.enabled,

    /** A short, non-secret key for the bearer token of an Authorization header. */
    tokenKey(authorization: string | null | undefined): string | undefined {
      const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
      return token ? createHash('sha256').update(token).digest('base64url') : undefined;
    },

    take(token: string | undefined, address: string): Promise<RateDecision> {
      return token !== undefined && known.has(token) ? decide(token, 'perToken') : decide(address, 'perAddress');
    },

    /** The token authenticated: from now on it is charged to its own allowance. */
    recognise(token: string | undefined): void {
      if (token === undefined || known.has(token)) return;
      if (known.size >= MAX_KNOWN_TOKENS) known.delete(known.values().next().value!);
      known.add(token);
    },

    /**
     * The token failed to authenticate (revoked, say): charge its requests to the address
     * again. Its spent allowance is left to expire: it may be shared with other processes.
     */
    forget(token: string | undefined): void {
      if (token !== undefined) known.delete(token);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export function rateLimitMessage(limiter: RateLimiter, decision: Extract<RateDecision, { ok: false }>): string {
  const { perSecond, burst } = limiter.limits[decision.limit];
  const who = decision.limit === 'perToken' ? 'this API token' : 'your address';
  return `Too many requests: ${who} may make ${perSecond} per second (bursts of ${burst}); retry after ${decision.retryAfterSeconds} s`;
}

export function rateLimitError(limiter: RateLimiter, decision: Extract<RateDecision, { ok: false }>): GraphQLError {
  return new GraphQLError(rateLimitMessage(limiter, decision), {
    extensions: {
      code: 'RATE_LIMITED', limit: decision.limit, retryAfter: decision.retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(decision.retryAfterSeconds) } },
    },
  });
}
