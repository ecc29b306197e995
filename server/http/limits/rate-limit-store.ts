import { CompiledQuery, type Kysely } from 'kysely';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimit, RateLimitStore } from '../../config-hardening.js';

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** One limit (per token, per address) over the chosen store. */
export interface Limit {
  readonly enabled: boolean;
  take(key: string): Promise<Take>;
}

/**
 * A limit's burst reserve refills over this window: `perSecond` requests each second, plus up
 * to `burst - perSecond` more in any minute. After a quiet spell a client may send `burst` at
 * once, as with the token buckets this replaced, and over a long run at most a little more
 * than `perSecond` (`(burst - perSecond) / 60` more per second).
 */
export const BURST_WINDOW_SECONDS = 60;

/** The counters' table, created by migration 0016 (unlogged). */
const TABLE = 'rate_limits';

/**
 * Builds limits on rate-limiter-flexible. `memory` keeps the counters in this process (the
 * embedded default: one process, nothing to share). `postgres` keeps them in the hub's
 * database, so N server processes behind a load balancer share one allowance per client,
 * not N. Each PostgreSQL limiter has an in-memory insurance limiter with the same limits:
 * when the database cannot answer, each process falls back to limiting on its own rather
 * than failing or waving requests through. A key over its limit is also blocked in memory
 * until its window ends, so a client hammering past its limit costs no database statements.
 */
export function createRateLimitStore(store: RateLimitStore, db: Kysely<any> | undefined) {
  const client = store === 'postgres' && db ? kyselyClient(db) : undefined;

  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    if (!client) return memory;
    return new RateLimiterPostgres({
      storeClient: client, storeType: 'client', tableName: TABLE, tableCreated: true, keyPrefix, points, duration,
      inMemoryBlockOnConsumed: points + 1, insuranceLimiter: memory,
    });
  };

  return {
    kind: client ? 'postgres' as const : 'memory' as const,

    limit(name: string, limit: RateLimit): Limit {
      if (limit.perSecond <= 0) return { enabled: false, take: async () => ({ ok: true }) };
      const sustained = limiter(name, limit.perSecond, 1);
      const reserve = limit.burst - limit.perSecond;
      const bursty = reserve > 0 ? new BurstyRateLimiter(sustained, limiter(`${name}-burst`, reserve, BURST_WINDOW_SECONDS)) : sustained;
      return {
        enabled: true,
        async take(key: string): Promise<Take> {
          try {
            await bursty.consume(key);
            return { ok: true };
          } catch (refusal) {
            // Anything but a refusal is a store error the insurance limiter did not absorb.
            if (!(refusal instanceof RateLimiterRes)) throw refusal;
            return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1_000)) };
          }
        },
      };
    },
  };
}

export type RateLimitStoreHandle = ReturnType<typeof createRateLimitStore>;

/**
 * The library's PostgreSQL limiter needs something with pg's `query({ text, values })`: the
 * hub's own Kysely instance serves, so the limiter shares its pool and works on PGlite too.
 */
function kyselyClient(db: Kysely<any>) {
  return {
    async query({ text, values = [] }: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows, rowCount: result.rows.length || Number(result.numAffectedRows ?? 0) };
    },
  };
}
