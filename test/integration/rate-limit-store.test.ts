import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter } from '../../server/http/limits/rate-limiter.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { freezeTime } from '../support/frozen-time.js';

const limits = { perToken: { perSecond: 1, burst: 5 }, perAddress: { perSecond: 1, burst: 4 }, trustProxy: false, store: 'postgres' as const };

describe.each(testDatabases())('rate limits kept in the database on $engine', (engine) => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await engine.create(); });
  afterAll(async () => { await database?.close(); });
  let advance: (ms: number) => void;
  beforeEach(() => { ({ advance } = freezeTime()); });
  afterEach(() => { vi.useRealTimers(); });

  it('shares one allowance between limiters of different processes', async () => {
    // Two limiters stand for two server processes: nothing is shared but the database.
    const [a, b] = [createRateLimiter(limits, database.db), createRateLimiter(limits, database.db)];
    expect(a.store).toBe('postgres');
    const taken = [];
    for (let i = 0; i < 6; i++) taken.push((await (i % 2 ? b : a).take(undefined, '192.0.2.7')).ok);
    expect(taken).toEqual([true, true, true, true, false, false]);
    expect(await b.take(undefined, '192.0.2.7')).toEqual({ ok: false, limit: 'perAddress', retryAfterSeconds: 1 });
    expect((await a.take(undefined, '192.0.2.8')).ok).toBe(true);
    const rows = await database.db.selectFrom('rate_limits').select(['key', 'points']).where('key', 'like', 'address%:192.0.2.7').orderBy('key').execute();
    expect(rows.map((r) => r.key)).toEqual(['address-burst:192.0.2.7', 'address:192.0.2.7']);
    advance(1_000);
    expect((await b.take(undefined, '192.0.2.7')).ok).toBe(true);
    expect((await a.take(undefined, '192.0.2.7')).ok).toBe(false);
  });

  it('limits each process on its own, without failing requests, when the database cannot answer', async () => {
    const gone = await engine.create();
    const limiter = createRateLimiter(limits, gone.db);
    await gone.close();
    const taken = [];
    for (let i = 0; i < 5; i++) taken.push(await limiter.take(undefined, '192.0.2.9'));
    expect(taken.map((d) => d.ok)).toEqual([true, true, true, true, false]);
    expect(taken[4]).toMatchObject({ limit: 'perAddress', retryAfterSeconds: 1 });
  });
});
