import { describe, expect, it } from 'vitest';
import { createPushIterator } from '../../server/events/push-iterator.js';

describe('push iterator', () => {
  it('yields pushed values in order and ends after the queue drains', async () => {
    const it = createPushIterator<number>();
    it.push(1);
    it.push(2);
    it.end();
    it.push(3);
    const got: number[] = [];
    for await (const value of it) got.push(value);
    expect(got).toEqual([1, 2]);
  });

  it('releases a pending next() at once when the consumer returns, and closes once', async () => {
    let closes = 0;
    const it = createPushIterator<number>({ onClose: () => { closes++; } });
    const pending = it.next();
    await it.return();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await it.return();
    expect(closes).toBe(1);
    it.push(1);
    expect(it.size).toBe(0);
  });

  it('fails a waiting consumer, drops the queue and ignores later pushes', async () => {
    const it = createPushIterator<number>();
    it.push(1);
    it.fail(new Error('too slow'));
    it.push(2);
    await expect(it.next()).rejects.toThrow('too slow');
    await expect(it.next()).resolves.toMatchObject({ done: true });
    const waiting = createPushIterator<number>();
    const next = waiting.next();
    waiting.fail(new Error('gone'));
    await expect(next).rejects.toThrow('gone');
  });

  it('reports taken values and resolves drained() when the queue shrinks', async () => {
    const taken: number[] = [];
    const it = createPushIterator<number>({ onTake: (v) => taken.push(v) });
    for (let i = 0; i < 5; i++) it.push(i);
    let drained = false;
    void it.drained(3).then(() => { drained = true; });
    await it.next();
    await it.next();
    await Promise.resolve();
    expect(drained).toBe(false);
    await it.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(true);
    expect(taken).toEqual([0, 1, 2]);
  });
});
