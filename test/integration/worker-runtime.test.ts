import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../server/events/catalogue.js';
import { consumerStatus, readCursor, rewindConsumer } from '../../server/events/consumer-cursors.js';
import { appendEvent } from '../../server/events/outbox.js';
import { headPosition } from '../../server/events/reader.js';
import { createLocalSignal } from '../../server/events/signal.js';
import { createLogger } from '../../server/logger.js';
import { createConsumerWorker, type Consumer, type WorkerOptions } from '../../workers/runtime.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

describe.each(testDatabases())('the consumer runtime on $engine', (engine) => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await engine.create(); });
  afterAll(async () => database?.close());

  async function append(count: number): Promise<number[]> {
    const positions: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      positions.push(await database.db.transaction().execute((trx) => appendEvent(trx, {
        type: 'council.created', subjectType: 'council', subjectId: id, councilId: id, visibility: 'published', payload: {},
      })));
    }
    return positions;
  }

  function worker(consumer: Consumer, options: Partial<WorkerOptions> = {}) {
    return createConsumerWorker(consumer, {
      database, signal: createLocalSignal(), logger: createLogger('silent'), pollIntervalMs: 20, initialBackoffMs: 10, maxBackoffMs: 200, ...options,
    });
  }

  it('hands over every event once, in order and in batches, moving the cursor only after each batch', async () => {
    const name = `ordered-${randomUUID()}`;
    const start = await headPosition(database.db);
    const positions = await append(10);
    const batches: number[][] = [];
    const cursorsSeenDuringHandle: number[] = [];
    const w = worker({
      name,
      async handle(events) {
        cursorsSeenDuringHandle.push((await readCursor(database.db, name)).position);
        batches.push(events.map((e) => e.position).filter((p) => p > start));
      },
    }, { batchSize: 3 });
    w.start();
    await waitFor(async () => (await readCursor(database.db, name)).position === positions.at(-1));
    await w.stop();
    expect(batches.flat()).toEqual(positions);
    expect(batches.slice(-4).map((b) => b.length)).toEqual([3, 3, 3, 1]);
    // While a batch was in hand, the cursor still pointed before it.
    expect(cursorsSeenDuringHandle.at(-1)).toBe(positions[8]);
  });

  it('retries a failing batch with growing back-off and never skips it', async () => {
    const name = `failing-${randomUUID()}`;
    await database.db.insertInto('consumer_cursors').values({ consumer: name, position: await headPosition(database.db) }).execute();
    const [first] = await append(2);
    const attempts: { at: number; firstPosition: number }[] = [];
    let cursorDuringFailures = -1;
    const w = worker({
      name,
      async handle(events: readonly StoredEvent[]) {
        attempts.push({ at: performance.now(), firstPosition: events[0]!.position });
        if (attempts.length <= 4) {
          cursorDuringFailures = (await readCursor(database.db, name)).position;
          throw new Error(`downstream refused (attempt ${attempts.length})`);
        }
      },
    }, { initialBackoffMs: 40, maxBackoffMs: 1_000 });
    w.start();
    await waitFor(() => attempts.length >= 4);
    expect((await consumerStatus(database.db, name)).lastError).toMatch(/downstream refused/);
    await waitFor(async () => (await readCursor(database.db, name)).position >= first! + 1);
    await w.stop();
    expect(attempts.slice(0, 5).map((a) => a.firstPosition)).toEqual([first, first, first, first, first]);
    expect(cursorDuringFailures).toBe(first! - 1);
    const gaps = attempts.slice(1, 5).map((a, i) => a.at - attempts[i]!.at);
    // The back-off doubles from 40 ms, jittered to [0.5, 1] of each step: every gap is at least
    // half its step (20, 40, 80, 160 ms). Lower bounds only, so a loaded machine cannot fail it,
    // while a back-off that does not grow fails the last one.
    gaps.forEach((gap, i) => expect(gap, `gap ${i + 1}`).toBeGreaterThanOrEqual(40 * 2 ** i * 0.5 - 1));
    expect((await consumerStatus(database.db, name)).lastError).toBeNull();
  });

  it('replays from a rewound position, even when the rewind lands while a batch is in hand', async () => {
    const name = `rewound-${randomUUID()}`;
    const start = await headPosition(database.db);
    const positions = await append(6);
    const seen: number[] = [];
    let rewound = false;
    const w = worker({
      name,
      async handle(events) {
        seen.push(...events.map((e) => e.position).filter((p) => p > start));
        // Rewind mid-batch, as a reindex finishing at this moment would.
        if (!rewound && events.some((e) => e.position === positions[5])) {
          rewound = true;
          await rewindConsumer(database.db, name, positions[1]!);
        }
      },
    }, { batchSize: 2 });
    w.start();
    await waitFor(async () => rewound && (await readCursor(database.db, name)).position === positions[5]);
    await w.stop();
    expect(seen).toEqual([...positions, ...positions.slice(2)]);
  });

  it('wakes on the doorbell instead of waiting for its poll interval', async () => {
    const name = `doorbell-${randomUUID()}`;
    const signal = createLocalSignal();
    const handled: number[] = [];
    const w = worker({ name, async handle(events) { handled.push(...events.map((e) => e.position)); } }, { signal, pollIntervalMs: 60_000 });
    w.start();
    await waitFor(async () => (await readCursor(database.db, name)).position === (await headPosition(database.db)));
    const [position] = await append(1);
    signal.notify();
    await waitFor(() => handled.includes(position!), { timeoutMs: 5_000, what: 'the doorbell to wake the worker' });
    await w.stop();
  });

  it('prepares before its first batch, stops at each fault point in order, and says whose log lines are whose', async () => {
    const name = `cycle-${randomUUID()}`;
    const head = await headPosition(database.db);
    await database.db.insertInto('consumer_cursors').values({ consumer: name, position: head }).execute();
    const seen: string[] = [];
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const w = createConsumerWorker({
      name,
      async prepare() { seen.push('prepare'); },
      async handle(events, midBatch) {
        expect(events.length).toBeGreaterThan(0);
        seen.push(`handle ${events.length}`);
        await midBatch();
      },
    }, {
      database, signal: createLocalSignal(), logger, pollIntervalMs: 20,
      faults: async (consumer, point) => { seen.push(`${point} of ${consumer === name ? 'this consumer' : consumer} at ${(await readCursor(database.db, name)).position}`); },
      onAdvanced: () => seen.push(`advanced to ${w.status().position}`),
    });
    expect(w.name).toBe(name);
    expect(w.status()).toEqual({ active: false, position: null, failures: 0, lastError: null, standbyChecks: 0 });
    const [before] = await append(1);
    w.start();
    await waitFor(() => seen.length >= 6);
    await w.stop();
    expect(seen).toEqual(['prepare', 'handle 1', `mid-batch of this consumer at ${head}`, `after-effect of this consumer at ${head}`,
      `advanced to ${before}`, `after-cursor of this consumer at ${before}`]);
    expect(w.status()).toMatchObject({ active: false, position: before, failures: 0 });
    expect(lines.find((line) => line.msg === 'worker active')).toMatchObject({ level: 'info', consumer: name });
  });

  it('hands over nothing past its horizon, the event at it included, and hears a ring that came while it read', async () => {
    const name = `horizon-${randomUUID()}`;
    await database.db.insertInto('consumer_cursors').values({ consumer: name, position: await headPosition(database.db) }).execute();
    const signal = createLocalSignal();
    const positions = await append(3);
    let horizon = positions[1]!;
    let reads = 0;
    let moveDuringRead = false;
    const handled: number[] = [];
    const w = worker({
      name,
      async horizon() {
        reads++;
        const read = horizon;
        // The horizon moves just after this read, and its ring arrives before the worker idles.
        if (moveDuringRead) { moveDuringRead = false; horizon = positions[2]!; signal.notify(); }
        return read;
      },
      async handle(events) { handled.push(...events.map((e) => e.position)); },
    }, { signal, pollIntervalMs: 60_000 });
    w.start();
    await waitFor(() => handled.length === 2);
    expect(handled).toEqual(positions.slice(0, 2));
    await waitFor(() => w.status().position === positions[1]);
    // Idle now, for a minute's poll. Woken, it finds nothing within its horizon, but the ring that
    // moved the horizon came while it read: it must read again rather than sleep on it.
    const idleReads = reads;
    moveDuringRead = true;
    w.wake();
    await waitFor(() => handled.length === 3, { what: 'the ring heard during the read to be kept' });
    expect(handled).toEqual(positions);
    expect(reads).toBeGreaterThanOrEqual(idleReads + 2);
    await w.stop();
  });

  it('says so when a rewind overtook the batch it handled', async () => {
    const name = `rewind-log-${randomUUID()}`;
    const positions = await append(2);
    await database.db.insertInto('consumer_cursors').values({ consumer: name, position: positions[0]! - 1 }).execute();
    const lines: Record<string, unknown>[] = [];
    let advanced = 0;
    let rewound = false;
    const w = createConsumerWorker({
      name,
      async handle() {
        if (!rewound) { rewound = true; await rewindConsumer(database.db, name, positions[0]! - 1); }
      },
    }, {
      database, signal: createLocalSignal(), pollIntervalMs: 20, onAdvanced: () => { advanced++; },
      logger: createLogger('info', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    });
    w.start();
    await waitFor(() => advanced === 1);
    await w.stop();
    expect(lines.filter((line) => line.msg === 'cursor was rewound; replaying from the new position'))
      .toEqual([expect.objectContaining({ level: 'info', consumer: name })]);
  });

  describe.skipIf(engine.engine === 'pglite')('leadership across processes (PostgreSQL only: PGlite is one process, so leadership is trivially its own)', () => {
    it('keeps one instance active; a standby takes over when it stops', async () => {
      const name = `leader-${randomUUID()}`;
      const handledBy = new Map<string, number>();
      const make = (label: string) => worker(
        { name, async handle(events) { handledBy.set(label, (handledBy.get(label) ?? 0) + events.length); } },
        { standbyRetryMs: 20 },
      );
      const [a, b] = [make('a'), make('b')];
      a.start();
      await waitFor(() => a.status().active);
      b.start();
      // Let the standby try, and fail, to take the lock a few times.
      await waitFor(() => b.status().standbyChecks >= 5, { what: 'the standby to try the lock' });
      expect(b.status().active).toBe(false);
      const [first] = await append(1);
      await waitFor(() => (handledBy.get('a') ?? 0) > 0 && a.status().position === first);
      expect(handledBy.has('b')).toBe(false);
      await a.stop();
      await waitFor(() => b.status().active, { what: 'the standby to take over' });
      const [next] = await append(1);
      await waitFor(() => b.status().position === next, { what: 'the new leader to carry on' });
      await b.stop();
    });
  });
});
