import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createPushIterator } from '../../server/events/push-iterator.js';
import { driveIntoSink } from '../../server/http/sink-driver.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Drives a real push iterator (the event feed's stream) into a sink that records what it is sent. */
function drive(options: { flush?: () => Promise<void> | undefined } = {}) {
  const source = createPushIterator<number>();
  const sent: ExecutionResult[] = [];
  let finished = 0;
  let resolvedAt = 0;
  const driven = driveIntoSink({
    source,
    sink: { next: (result) => { sent.push(result); return options.flush?.(); } },
    // A shared execution settles a little later than the event arrives.
    resultOf: async (payload) => { await tick(); resolvedAt++; return { data: { position: payload as number } }; },
    failure: (error) => ({ errors: [{ message: String((error as Error).message) }] as never }),
    onDelivered: () => {},
    finish: async () => { finished++; await source.return(); },
  });
  const positions = () => sent.map((r) => (r.data as { position: number } | undefined)?.position ?? 'error');
  return { source, sent, positions, driven, finished: () => finished, resolved: () => resolvedAt };
}

describe('driving a subscriber\'s events into its socket', () => {
  it('sends every event once and in order, however they arrive, and ends when the stream does', async () => {
    const { source, positions, driven, finished } = drive();
    const ended = driven.next();
    source.push(1);
    source.push(2);
    source.push(3);
    await tick(); await tick(); await tick();
    source.push(4);
    source.end();
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(positions()).toEqual([1, 2, 3, 4]);
    expect(finished()).toBeGreaterThan(0);
  });

  it('sends what it has taken before the failure that ends the stream', async () => {
    const { source, positions, driven, sent, resolved } = drive();
    const ended = driven.next();
    for (const position of [1, 2, 3]) source.push(position);
    // The driver takes all three (their results still executing), then the stream fails: a
    // subscriber told to resume after the last position taken must have had all three.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(source.size).toBe(0);
    expect(resolved()).toBe(0);
    source.fail(new Error('too slow; resume after 3'));
    await ended;
    expect(positions()).toEqual([1, 2, 3, 'error']);
    expect(sent.at(-1)!.errors![0]!.message).toBe('too slow; resume after 3');
  });

  it('waits for a slow socket to drain before it sends more, holding the rest in the stream', async () => {
    let release!: () => void;
    let draining = true;
    const { source, positions, driven } = drive({ flush: () => (draining ? new Promise<void>((resolve) => { release = () => { draining = false; resolve(); }; }) : undefined) });
    void driven.next();
    source.push(1);
    await tick(); await tick();
    source.push(2);
    source.push(3);
    await tick(); await tick();
    expect(positions()).toEqual([1]);
    expect(source.size).toBe(2);
    release();
    await tick(); await tick(); await tick();
    expect(positions()).toEqual([1, 2, 3]);
    await driven.return(undefined);
  });

  it('stops when the transport returns it, and sends nothing after', async () => {
    const { source, positions, driven, finished } = drive();
    void driven.next();
    source.push(1);
    await tick(); await tick();
    await driven.return(undefined);
    source.push(2);
    await tick(); await tick();
    expect(positions()).toEqual([1]);
    expect(finished()).toBeGreaterThan(0);
  });

  it('ends quietly when the socket fails mid-write', async () => {
    const { source, positions, driven, finished } = drive({ flush: () => Promise.reject(new Error('socket closed')) });
    const ended = driven.next();
    source.push(1);
    source.push(2);
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(positions()).toEqual([1]);
    expect(finished()).toBeGreaterThan(0);
  });
});
