import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createResultCache } from '../../server/http/result-cache.js';

// A result whose JSON is exactly `chars` long: {"data":{"x":"…"}} is 17 characters around the text.
const result = (chars: number): ExecutionResult => ({ data: { x: 'a'.repeat(chars - 17) } });
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('a group result cache', () => {
  it('keeps at most maxEntries results, oldest out first', async () => {
    const cache = createResultCache({ maxEntries: 3, maxChars: 1_000_000 });
    for (const key of ['1', '2', '3', '4']) cache.set(key, Promise.resolve(result(100)));
    await settled();
    expect([cache.get('1'), cache.size, cache.chars]).toEqual([undefined, 3, 300]);
    expect(await cache.get('4')).toEqual(result(100));
  });

  it('keeps the JSON of its results within maxChars, however few they are', async () => {
    const cache = createResultCache({ maxEntries: 256, maxChars: 1_000 });
    for (const key of ['1', '2', '3']) cache.set(key, Promise.resolve(result(400)));
    await settled();
    expect(JSON.stringify(result(400))).toHaveLength(400);
    expect([cache.get('1'), cache.size, cache.chars]).toEqual([undefined, 2, 800]);
    // A result over the whole budget is not kept, and pushes nothing out.
    cache.set('big', Promise.resolve(result(5_000)));
    await settled();
    expect([cache.get('big'), cache.size, cache.chars]).toEqual([undefined, 2, 800]);
    // Many small results still fit by count.
    for (let i = 0; i < 50; i++) cache.set(`s${i}`, Promise.resolve(result(20)));
    await settled();
    expect([cache.size, cache.chars]).toEqual([50, 1_000]);
  });

  it('hands a running execution to every asker, and forgets one that failed', async () => {
    const cache = createResultCache({ maxEntries: 8, maxChars: 1_000 });
    let finish!: (r: ExecutionResult) => void;
    const running = new Promise<ExecutionResult>((resolve) => { finish = resolve; });
    cache.set('1', running);
    expect(cache.get('1')).toBe(running);
    expect(cache.chars).toBe(0);
    finish(result(100));
    await settled();
    expect(cache.chars).toBe(100);
    cache.set('2', Promise.reject(new Error('gone')));
    await settled();
    expect([cache.get('2'), cache.size]).toEqual([undefined, 1]);
  });
});
