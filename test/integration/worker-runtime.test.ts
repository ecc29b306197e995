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
