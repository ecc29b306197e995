import type { RateLimit } from '../../config-hardening.js';

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets in this process's memory, one per key: each holds up to `burst` units and
 * refills at `perSecond`. They meter subscription events (event-allowance.ts), which a
 * connection's own process executes and charges many times a second: a shared store on
 * every event would cost more than the work it guards. Request rate limits, which must hold
 * across processes, use rate-limiter-flexible instead (rate-limit-store.ts).
 *
 * At most `maxKeys` buckets are kept, least recently used first out. Evicting a bucket forgets
 * a partly spent allowance, so a client cycling through more keys than that gains a little.
 */
export function createTokenBuckets(limit: RateLimit, now: () => number = Date.now, maxKeys = 100_000) {
  const buckets = new Map<string, Bucket>();
  return {
    get enabled(): boolean {
      return limit.perSecond > 0;
    },
    /** Takes `amount` from the key's bucket; refused (taking nothing) when it holds less. */
    take(key: string, amount = 1): Take {
      if (limit.perSecond <= 0) return { ok: true };
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at };
      buckets.delete(key);
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((at - bucket.at) / 1_000) * limit.perSecond);
      bucket.at = at;
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens >= amount) {
        bucket.tokens -= amount;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((amount - bucket.tokens) / limit.perSecond)) };
    },
    /** What the key's bucket holds now, refill included, without taking anything. */
    available(key: string): number {
      if (limit.perSecond <= 0) return Infinity;
      const bucket = buckets.get(key);
      if (!bucket) return limit.burst;
      return Math.min(limit.burst, bucket.tokens + ((now() - bucket.at) / 1_000) * limit.perSecond);
    },
    forget(key: string): void {
      buckets.delete(key);
    },
    get size(): number {
      return buckets.size;
    },
  };
}

export type TokenBuckets = ReturnType<typeof createTokenBuckets>;
