import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../server/db/connect.js';
import { createTransact, type Transact } from '../../server/db/transact.js';
import { createWritesInFlight, type WritesInFlight } from '../../server/db/writes-in-flight.js';
import type { StoredEvent } from '../../server/events/catalogue.js';
import { appendEvent } from '../../server/events/outbox.js';
import { createPostgresSignal, type PostgresSignal } from '../../server/events/postgres-signal.js';
import { createEventTail, type EventTail } from '../../server/events/tail.js';
import { createLogger } from '../../server/logger.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logger = createLogger('silent');
// Long enough that a process which waited for it could not pass the latency checks below.
const BATCH_WAIT_MS = 4_000;

/** What a server process puts together: its own connection pool, doorbell, writes and tail. */
interface Hub {
  readonly writes: WritesInFlight;
  readonly transact: Transact;
  readonly batches: StoredEvent[][];
  notifies: number;
  close(): Promise<void>;
}

// Several server processes on one PostgreSQL: each one's tail must fan out a burst in one
// batch whether the burst was published by itself, by another process or by several at once,
// and a lone publish must reach every process without waiting for the batch window.
describe('event batches across processes on PostgreSQL', () => {
  let database: TestDatabaseHandle;
  let councilId: string;
  const hubs: Hub[] = [];

  beforeAll(async () => {
    database = await postgresDatabase.create();
    councilId = (await createCouncil(database.db)).id;
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
    await database?.close();
  });

  async function startHub(): Promise<Hub> {
    const handle: DatabaseHandle = await connectDatabase({ url: database.url! });
    const writes = createWritesInFlight();
    const hub: Hub = { writes, transact: undefined as never, batches: [], notifies: 0, close: async () => {} };
    const signal: PostgresSignal = createPostgresSignal({
      clientConfig: handle.pgConfig!, db: handle.db, logger, writes, batchWaitMs: BATCH_WAIT_MS, onNotify: () => { hub.notifies++; },
    });
    await signal.listening();
    const tail: EventTail = createEventTail({ db: handle.db, signal, logger, pollIntervalMs: 60_000, writes, batchWaitMs: BATCH_WAIT_MS });
    await tail.start();
    tail.subscribe((events) => { hub.batches.push([...events]); });
    Object.assign(hub, {
      transact: createTransact(handle.db, () => signal.notify(), writes),
      close: async () => { await tail.stop(); await signal.close(); await handle.close(); },
    });
    hubs.push(hub);
    return hub;
  }

  const publish = (hub: Hub, lingerMs = 0) => hub.transact(async (trx) => {
    const position = await appendEvent(trx, { type: 'problem.published', subjectType: 'problem', subjectId: randomUUID(), councilId, visibility: 'published', payload: {} });
    // Lingering after the append keeps this transaction in flight while others commit.
    await sleep(lingerMs);
    return position;
  });
  const reset = (all: Hub[]) => { for (const hub of all) { hub.batches.length = 0; hub.notifies = 0; } };

  it('fans out a burst published on one process in one batch on every process, with two NOTIFYs', async () => {
    const [a, b] = [await startHub(), await startHub()];
    reset([a, b]);
    const positions = await Promise.all([60, 10, 40, 0, 25].map((ms) => publish(a, ms)));
    const sorted = [...positions].sort((x, y) => x - y);
    await waitFor(() => b.batches.flat().length === 5 && a.batches.flat().length === 5, { what: 'the burst on both processes' });
    for (const hub of [a, b]) {
      expect(hub.batches).toHaveLength(1);
      expect(hub.batches[0]!.map((e) => e.position)).toEqual(sorted);
    }
    // "busy" as the burst began, "done" when its last transaction ended.
    expect(a.notifies).toBe(2);
    await Promise.all([a.close(), b.close()]);
    hubs.length = 0;
  });

  it('fans out a burst spread over two publishing processes in one batch on a third', async () => {
    const [a, c, b] = [await startHub(), await startHub(), await startHub()];
    reset([a, b, c]);
    const positions = await Promise.all([
      publish(a, 80), publish(a, 10), publish(c, 50), publish(c, 0), publish(a, 30), publish(c, 20),
    ]);
    await waitFor(() => b.batches.flat().length === 6, { what: 'the burst on the third process' });
    expect(b.batches).toHaveLength(1);
    expect(b.batches[0]!.map((e) => e.position)).toEqual([...positions].sort((x, y) => x - y));
    // The publishers wait for each other too.
    await waitFor(() => a.batches.flat().length === 6 && c.batches.flat().length === 6, { what: 'the burst on the publishers' });
    expect(a.batches).toHaveLength(1);
    expect(c.batches).toHaveLength(1);
    await Promise.all([a.close(), b.close(), c.close()]);
    hubs.length = 0;
  });

  it('does not hold a lone publish back for the batch window on any process', async () => {
    const [a, b] = [await startHub(), await startHub()];
    for (let i = 0; i < 3; i++) {
      reset([a, b]);
      const started = performance.now();
      const position = await publish(a);
      await waitFor(() => b.batches.length === 1 && a.batches.length === 1, { what: 'the lone event on both processes' });
      // Waiting for the window would take BATCH_WAIT_MS (4 s); a NOTIFY takes milliseconds.
      expect(performance.now() - started).toBeLessThan(BATCH_WAIT_MS / 2);
      expect(b.batches[0]!.map((e) => e.position)).toEqual([position]);
    }
    await Promise.all([a.close(), b.close()]);
    hubs.length = 0;
  });

  it('does not wait for a process that said it was busy and was never heard of again', async () => {
    const writes = createWritesInFlight({ remoteTtlMs: 100 });
    writes.setRemote('gone', true);
    const started = performance.now();
    await writes.settled(BATCH_WAIT_MS);
    expect(performance.now() - started).toBeLessThan(BATCH_WAIT_MS / 2);
    // Another process still busy is waited for, and "done" releases the wait at once.
    writes.setRemote('other', true);
    let settled = false;
    const waiting = writes.settled(BATCH_WAIT_MS).then(() => { settled = true; });
    await sleep(20);
    expect(settled).toBe(false);
    writes.setRemote('other', false);
    await waiting;
    expect(performance.now() - started).toBeLessThan(BATCH_WAIT_MS / 2);
  });
});
