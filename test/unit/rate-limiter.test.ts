import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BURST_WINDOW_SECONDS } from '../../server/http/limits/rate-limit-store.js';
import { createRateLimiter, rateLimitError, rateLimitMessage, type RateDecision, type RateLimiter } from '../../server/http/limits/rate-limiter.js';
import { freezeTime } from '../support/frozen-time.js';
import { createTokenBuckets } from '../../server/http/limits/token-bucket.js';
import { createEventAllowances, EventAllowanceSpentError } from '../../server/http/limits/event-allowance.js';

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

  it('says when a larger take could succeed, forgets a key on request, and reports whether it is on', () => {
    const time = clock();
    const buckets = createTokenBuckets({ perSecond: 1, burst: 5 }, time.now);
    expect(buckets.enabled).toBe(true);
    expect(createTokenBuckets({ perSecond: 0, burst: 5 }, time.now).enabled).toBe(false);
    expect(buckets.take('a', 4).ok).toBe(true);
    // 1 left: 5 more need 4 seconds.
    expect(buckets.take('a', 5)).toEqual({ ok: false, retryAfterSeconds: 4 });
    buckets.forget('a');
    expect(buckets.size).toBe(0);
    expect(buckets.take('a', 5).ok).toBe(true);
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

describe('event allowances', () => {
  // A replay asks how many events it may read before it reads them (event-feed.ts).
  it('say how many events of a cost the connection and its client can pay for, without charging them', () => {
    const time = clock();
    const allowances = createEventAllowances({ perConnection: { perSecond: 10, burst: 100 }, perClient: { perSecond: 20, burst: 60 } }, time.now);
    const [first, second] = [allowances.open('address:a'), allowances.open('address:a')];
    expect(first.affordable(7)).toBe(8);
    expect(first.affordable(7)).toBe(8);
    first.charge(7);
    // The client's 60 are shared by both connections; the connection's own 100 are not the limit.
    expect(second.affordable(7)).toBe(7);
    for (let i = 0; i < 7; i++) second.charge(7);
    expect(() => first.affordable(7)).toThrow(EventAllowanceSpentError);
    time.advance(1_000);
    expect(first.affordable(7)).toBe(3);
  });
});

describe('rate limiter', () => {
  const limits = { perToken: { perSecond: 1, burst: 5 }, perAddress: { perSecond: 1, burst: 2 }, trustProxy: false, store: 'memory' as const };
  let advance: (ms: number) => void;
  beforeEach(() => { ({ advance } = freezeTime()); });
  afterEach(() => { vi.useRealTimers(); });
  const okays = async (limiter: RateLimiter, n: number, token: string | undefined, address = '10.0.0.1') => {
    const decisions: RateDecision[] = [];
    for (let i = 0; i < n; i++) decisions.push(await limiter.take(token, address));
    return decisions;
  };

  it('charges unknown tokens to the address, and known ones to themselves', async () => {
    const limiter = createRateLimiter(limits);
    expect(limiter.store).toBe('memory');
    const token = limiter.tokenKey('Bearer cc_genuine')!;
    const forged = limiter.tokenKey('Bearer cc_forged')!;
    expect(token).not.toContain('genuine');
    expect((await limiter.take(forged, '10.0.0.1')).ok).toBe(true);
    expect((await limiter.take(token, '10.0.0.1')).ok).toBe(true);
    expect(await limiter.take(limiter.tokenKey('Bearer cc_another'), '10.0.0.1')).toEqual({ ok: false, limit: 'perAddress', retryAfterSeconds: 1 });
    limiter.recognise(token);
    const own = await okays(limiter, 6, token);
    expect(own.map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    expect(own[5]).toMatchObject({ limit: 'perToken' });
    limiter.forget(token);
    expect(await limiter.take(token, '10.0.0.1')).toMatchObject({ ok: false, limit: 'perAddress' });
  });

  it('allows perSecond each second plus a burst reserve that refills over a minute', async () => {
    const limiter = createRateLimiter({ ...limits, perAddress: { perSecond: 2, burst: 5 } });
    expect((await okays(limiter, 6, undefined)).map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    advance(999);
    expect((await limiter.take(undefined, '10.0.0.1')).ok).toBe(false);
    // A new second: its two requests, and the reserve is still spent.
    advance(1);
    expect((await okays(limiter, 3, undefined)).map((d) => d.ok)).toEqual([true, true, false]);
    advance(BURST_WINDOW_SECONDS * 1_000);
    expect((await okays(limiter, 6, undefined)).map((d) => d.ok)).toEqual([true, true, true, true, true, false]);
    // Another address, or another /64, has its own allowance.
    expect((await limiter.take(undefined, '2001:db8:0:1::/64')).ok).toBe(true);
  });

  it('does nothing when the rate is 0', async () => {
    const limiter = createRateLimiter({ ...limits, perToken: { perSecond: 0, burst: 1 }, perAddress: { perSecond: 0, burst: 1 } });
    expect(limiter.enabled).toBe(false);
    expect((await okays(limiter, 100, undefined)).every((d) => d.ok)).toBe(true);
  });

  it('reads only Bearer tokens', () => {
    const limiter = createRateLimiter(limits);
    expect(limiter.tokenKey(undefined)).toBeUndefined();
    expect(limiter.tokenKey('Basic abc')).toBeUndefined();
    expect(limiter.tokenKey('bearer  abc ')).toBe(limiter.tokenKey('Bearer abc'));
  });
  it('reads a whole Bearer header only', () => {
    const limiter = createRateLimiter(limits);
    expect(limiter.tokenKey('xBearer abc')).toBeUndefined();
    expect(limiter.tokenKey('Bearer abc def')).toBeUndefined();
  });

  it('is enabled when either limit is', () => {
    const off = { perSecond: 0, burst: 1 };
    expect(createRateLimiter({ ...limits, perToken: off }).enabled).toBe(true);
    expect(createRateLimiter({ ...limits, perAddress: off }).enabled).toBe(true);
  });

  it('keeps each recognised token until 100,000 more have authenticated', async () => {
    const limiter = createRateLimiter({ ...limits, perAddress: { perSecond: 1, burst: 1 } });
    limiter.recognise('first');
    limiter.recognise('second');
    limiter.recognise('first');
    // Both still have their own allowance of 5, while the address has 1.
    expect((await okays(limiter, 3, 'first')).every((d) => d.ok)).toBe(true);
    expect((await okays(limiter, 3, 'second')).every((d) => d.ok)).toBe(true);
    for (let i = 0; i < 99_998; i++) limiter.recognise(`t${i}`);
    // 100,000 known: 'first', the oldest, goes when one more arrives, and is charged to its
    // address again, whose one request is spent.
    expect(await limiter.take('first', '10.0.0.9')).toMatchObject({ ok: true });
    expect(await limiter.take(undefined, '10.0.0.9')).toMatchObject({ ok: true });
    // A token it already knows takes no room.
    limiter.recognise('second');
    expect(await limiter.take('first', '10.0.0.9')).toMatchObject({ ok: true });
    limiter.recognise('one more');
    expect(await limiter.take('first', '10.0.0.9')).toMatchObject({ ok: false, limit: 'perAddress' });
    expect(await limiter.take('second', '10.0.0.9')).toMatchObject({ ok: true });
  });

  it('tells the client which allowance ran out and when to retry, with a 429', () => {
    const limiter = createRateLimiter(limits);
    expect(rateLimitMessage(limiter, { ok: false, limit: 'perToken', retryAfterSeconds: 3 }))
      .toBe('Too many requests: this API token may make 1 per second (bursts of 5); retry after 3 s');
    const error = rateLimitError(limiter, { ok: false, limit: 'perAddress', retryAfterSeconds: 2 });
    expect(error.message).toBe('Too many requests: your address may make 1 per second (bursts of 2); retry after 2 s');
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', limit: 'perAddress', retryAfter: 2, http: { status: 429, headers: { 'retry-after': '2' } } });
  });
});
