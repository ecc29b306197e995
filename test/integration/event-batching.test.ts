import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../server/events/catalogue.js';
import { createTransact, type Transact } from '../../server/db/transact.js';
import { createWritesInFlight } from '../../server/db/writes-in-flight.js';
import { appendEvent } from '../../server/events/outbox.js';
import { createLocalSignal } from '../../server/events/signal.js';
import { createEventTail, type EventTail } from '../../server/events/tail.js';
import { createLogger } from '../../server/logger.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The tail waits for this process's transactions in flight before it fans out, so that a
// burst of publishes leaves in one batch (one write per socket), but never longer than its cap.
describe.each(testDatabases())('event batches on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let councilId: string;
  let tail: EventTail | undefined;
  const signal = createLocalSignal();
  const writes = createWritesInFlight();
  let transact: Transact;

  beforeAll(async () => {
    database = await engine.create();
    councilId = (await createCouncil(database.db)).id;
    transact = createTransact(database.db, () => signal.notify(), writes);
  });
  afterEach(async () => { await tail?.stop(); });
  afterAll(async () => { await database?.close(); });

  /** The batches a listener receives; each must be the one the tail reported (metrics). */
  async function startTail(batchWaitMs: number): Promise<StoredEvent[][]> {
    const reported: (readonly StoredEvent[])[] = [];
    tail = createEventTail({
      db: database.db, signal, logger: createLogger('silent'), pollIntervalMs: 60_000, writes, batchWaitMs, onFanOut: (events) => reported.push(events),
    });
    await tail.start();
    const batches: StoredEvent[][] = [];
    // The tail swallows a listener's errors, so the listener only records; tests assert after.
    tail.subscribe((events) => {
      if (events !== reported[batches.length]) mismatches++;
      batches.push([...events]);
    });
    return batches;
  }
  let mismatches = 0;
  afterEach(() => {
    expect(mismatches, 'a batch handed to listeners was not the one the tail reported').toBe(0);
    mismatches = 0;
  });
  const publish = (work: () => Promise<unknown> = async () => {}) => transact(async (trx) => {
    await work();
    return appendEvent(trx, { type: 'problem.published', subjectType: 'problem', subjectId: randomUUID(), councilId, visibility: 'published', payload: {} });
  });

  it('hands a burst of concurrent transactions\' events to listeners as one batch, in position order', async () => {
    const batches = await startTail(5_000);
    // (On PGlite the tail's read queues behind the transactions on the one connection anyway.)
    // Each transaction lingers a different while, so they commit one by one.
    const positions = await Promise.all([40, 10, 30, 0, 20].map((ms) => publish(() => sleep(ms))));
    await waitFor(() => batches.flat().length === 5, { what: 'the five events' });
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((e) => e.position)).toEqual([...positions].sort((a, b) => a - b));
    expect(writes.count).toBe(0);
  });

  it('fans out a lone transaction\'s event at once, and never waits past its cap for one that stays open', async () => {
    const capMs = 1_500;
    const batches = await startTail(capMs);
    // Alone, it waits for nothing: far sooner than the cap.
    let started = performance.now();
    const alone = await publish();
    await waitFor(() => batches.length === 1, { what: 'the lone event' });
    expect(performance.now() - started).toBeLessThan(capMs / 2);
    expect(batches[0]!.map((e) => e.position)).toEqual([alone]);
    // A transaction of this process that stays open (counted by hand: PGlite's one connection
    // would hold every other transaction behind a real one) delays the next event by the cap,
    // and no longer.
    writes.begin();
    try {
      started = performance.now();
      const next = await publish();
      await waitFor(() => batches.length === 2, { what: 'the event the open transaction must not hold back', timeoutMs: capMs * 4 });
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(capMs * 0.9);
      expect(batches[1]!.map((e) => e.position)).toEqual([next]);
    } finally {
      writes.end();
    }
  });
});
