import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../server/http/limits/rate-limiter.js';
import { createTokenBuckets } from '../../server/http/limits/token-bucket.js';

// A clock the test moves by hand: the buckets' arithmetic is about elapsed time.
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

describe('token buckets', () => {
  it('allows a burst, then refills at the sustained rate and says when to retry', () => {
    const time = clock();
    const buckets = createTokenBuckets({ perSecond: 2, burst: 3 }, time.now);
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('b').ok).toBe(true);
    time.advance(499);
    expect(buckets.take('a').ok).toBe(false);
    time.advance(1);
    expect(buckets.take('a').ok).toBe(true);
    time.advance(60_000);
    expect([1, 2, 3, 4].map(() => buckets.take('a').ok)).toEqual([true, true, true, false]);
  });

  it('rounds Retry-After up to whole seconds at slow rates', () => {
    const buckets = createTokenBuckets({ perSecond: 0.1, burst: 1 }, clock().now);
    buckets.take('a');
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('does nothing when the rate is 0', () => {
    const buckets = createTokenBuckets({ perSecond: 0, burst: 1 }, clock().now);
    expect(Array.from({ length: 100 }, () => buckets.take('a').ok).every(Boolean)).toBe(true);
    expect(buckets.size).toBe(0);
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const buckets = createTokenBuckets({ perSecond: 1, burst: 1 }, clock().now, 3);
    for (const key of ['a', 'b', 'c']) buckets.take(key);
    buckets.take('a');
    buckets.take('d');
    expect(buckets.size).toBe(3);
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.take('b').ok).toBe(true);
  });
});

describe('rate limiter', () => {
  const limits = { perToken: { perSecond: 1, burst: 5 }, perAddress: { perSecond: 1, burst: 2 }, trustProxy: false };

  it('charges unknown tokens to the address, and known ones to themselves', () => {
    const limiter = createRateLimiter(limits, clock().now);
    const token = limiter.tokenKey('Bearer cc_genuine')!;
    const forged = limiter.tokenKey('Bearer cc_forged')!;
    expect(token).not.toContain('genuine');
    expect(limiter.take(forged, '10.0.0.1').ok).toBe(true);
    expect(limiter.take(token, '10.0.0.1').ok).toBe(true);
    expect(limiter.take(limiter.tokenKey('Bearer cc_another'), '10.0.0.1')).toMatchObject({ ok: false, limit: 'perAddress' });
    limiter.recognise(token);
    const own = Array.from({ length: 6 }, () => limiter.take(token, '10.0.0.1'));
    expect(own.map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    expect(own[5]).toMatchObject({ limit: 'perToken' });
    limiter.forget(token);
    expect(limiter.take(token, '10.0.0.1')).toMatchObject({ ok: false, limit: 'perAddress' });
  });

  it('reads only Bearer tokens', () => {
    const limiter = createRateLimiter(limits);
    expect(limiter.tokenKey(undefined)).toBeUndefined();
    expect(limiter.tokenKey('Basic abc')).toBeUndefined();
    expect(limiter.tokenKey('bearer  abc ')).toBe(limiter.tokenKey('Bearer abc'));
  });
});
