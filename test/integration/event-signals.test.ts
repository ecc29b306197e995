import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { appendEvent } from '../../server/events/outbox.js';
import { createPgliteSignal } from '../../server/events/pglite-signal.js';
import { createPostgresSignal } from '../../server/events/postgres-signal.js';
import { createLocalSignal } from '../../server/events/signal.js';
import { createEventTail } from '../../server/events/tail.js';
import { createLogger } from '../../server/logger.js';
import { pgliteDatabase, POSTGRES_ADMIN_URL, postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger('silent');

describe('the PostgreSQL doorbell (NOTIFY after commit, LISTEN on a dedicated connection)', () => {
  let database: TestDatabaseHandle;
  const statements: string[] = [];
  beforeAll(async () => { database = await postgresDatabase.create({ onQuery: (text) => statements.push(text.trim().toLowerCase()) }); });
  afterAll(async () => { await database?.close(); });

  const createSignal = () => createPostgresSignal({ clientConfig: database.pgConfig!, db: database.db, logger, minBackoffMs: 20, maxBackoffMs: 200 });

  it('rings listeners in another process-like signal, and keeps ringing after its connection is killed', async () => {
    const [writer, reader] = [createSignal(), createSignal()];
    try {
      await Promise.all([writer.listening(), reader.listening()]);
      let rings = 0;
      reader.subscribe(() => { rings++; });
      writer.notify();
      await waitFor(() => rings >= 1, { what: 'a ring through NOTIFY' });

      // A database restart, as far as one connection can tell: its backend is terminated.
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const killed = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'cc-event-signal' and datname = current_database()`);
      await admin.end();
      expect(killed.rowCount).toBe(2);
      const beforeReconnect = rings;
      await waitFor(async () => { await reader.listening(); return rings > beforeReconnect; }, { what: 'the reconnect ring' });

      const afterReconnect = rings;
      writer.notify();
      await waitFor(() => rings > afterReconnect, { what: 'a ring after reconnecting' });
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it('does not ring a process twice for its own commit: its NOTIFY echo is ignored, others\' NOTIFYs are not', async () => {
    const [writer, other] = [createSignal(), createSignal()];
    try {
      await Promise.all([writer.listening(), other.listening()]);
      let own = 0;
      let others = 0;
      writer.subscribe(() => { own++; });
      other.subscribe(() => { others++; });
      writer.notify();
      expect(own).toBe(1); // rung at once, in process
      await waitFor(() => others >= 1, { what: 'the NOTIFY reaching the other signal' });
      // The other signal's LISTEN got the NOTIFY; the writer's own LISTEN got it as well, at
      // the same time, and must not have rung again. A NOTIFY the other sends still rings it.
      await writer.listening();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(own).toBe(1);
      other.notify();
      await waitFor(() => own >= 2, { what: 'a NOTIFY from another signal' });
    } finally {
      await Promise.all([writer.close(), other.close()]);
    }
  });

  it('sends NOTIFY through the pool after the writing transaction has committed, never inside it', async () => {
    const logged = database;
    const signal = createPostgresSignal({ clientConfig: logged.pgConfig!, db: logged.db, logger });
    const listener = new pg.Client({ connectionString: logged.url });
    try {
      await listener.connect();
      let heard = 0;
      listener.on('notification', () => { heard++; });
      await listener.query('listen cc_outbox');
      const councilId = (await createCouncil(logged.db)).id;
      const transact = createTransact(logged.db, () => signal.notify());
      statements.length = 0;
      await transact(async (trx) => {
        await appendEvent(trx, { type: 'council.updated', subjectType: 'council', subjectId: councilId, councilId, visibility: 'published', payload: {} });
      });
      await waitFor(() => heard === 1, { what: 'the NOTIFY' });
      const commit = statements.indexOf('commit');
      const notify = statements.findIndex((s) => s.includes('pg_notify'));
      expect(statements[0]).toBe('begin');
      expect(commit).toBeGreaterThan(0);
      expect(notify).toBeGreaterThan(commit);
      // A transaction that rolls back rings nobody.
      await expect(transact(async (trx) => {
        await appendEvent(trx, { type: 'council.updated', subjectType: 'council', subjectId: councilId, councilId, visibility: 'published', payload: {} });
        throw new Error('roll back');
      })).rejects.toThrow('roll back');
      await signal.close();
      expect(statements.filter((s) => s.includes('pg_notify'))).toHaveLength(1);
    } finally {
      await listener.end();
      await signal.close();
    }
  });

  it('keeps reconnecting with back-off while the database refuses connections', async () => {
    const unreachable = new URL(POSTGRES_ADMIN_URL);
    unreachable.pathname = '/cc_database_that_does_not_exist';
    // Each failed attempt logs the delay before the next one.
    const delays: number[] = [];
    const recording = createLogger('warn', {}, (line) => {
      const entry = JSON.parse(line) as { msg: string; inMs?: number };
      if (entry.msg.includes('reconnecting')) delays.push(entry.inMs!);
    });
    const signal = createPostgresSignal({ clientConfig: { connectionString: unreachable.toString() }, db: database.db, logger: recording, minBackoffMs: 10, maxBackoffMs: 40 });
    let settled = false;
    void signal.listening().then(() => { settled = true; });
    await waitFor(() => delays.length >= 5, { what: 'five failed attempts' });
    expect(settled).toBe(false);
    await signal.close();
    // The delay doubles from the first and stops at the cap: 10, 20, 40, 40, ...
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 40, 40]);
  });
});

describe('the PGlite doorbell (LISTEN and NOTIFY on the embedded database)', () => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await pgliteDatabase.create(); });
  afterAll(async () => { await database?.close(); });

  it('rings every listener after notify', async () => {
    const [one, two] = [await createPgliteSignal(database.pglite!, logger), await createPgliteSignal(database.pglite!, logger)];
    const rings = [0, 0, 0];
    one.subscribe(() => { rings[0]!++; });
    two.subscribe(() => { rings[1]!++; });
    const unsubscribed = two.subscribe(() => { rings[2]!++; });
    one.notify();
    await waitFor(() => rings.every((n) => n >= 1), { what: 'a ring for every listener of both signals' });
    // One that unsubscribed hears nothing more; the others still hear every ring.
    unsubscribed();
    const before = [...rings];
    two.notify();
    await waitFor(() => rings[0]! > before[0]! && rings[1]! > before[1]!, { what: 'the second ring' });
    expect(rings[2]).toBe(before[2]);
    await Promise.all([one.close(), two.close()]);
  });

  it('the tail without any doorbell still delivers every event by polling: a lost ring delays, never loses', async () => {
    const silent = createLocalSignal(); // never rung
    const tail = createEventTail({ db: database.db, signal: silent, logger, pollIntervalMs: 50 });
    await tail.start();
    const seen: number[] = [];
    tail.subscribe((events) => seen.push(...events.map((e) => e.position)));
    const councilId = (await createCouncil(database.db)).id;
    const positions: number[] = [];
    for (let i = 0; i < 3; i++) {
      positions.push(await database.db.transaction().execute((trx) => appendEvent(trx, {
        type: 'council.updated', subjectType: 'council', subjectId: councilId, councilId, visibility: 'published', payload: { i },
      })));
    }
    await waitFor(() => seen.length === 3, { what: 'the polled events' });
    expect(seen).toEqual(positions);
    await tail.stop();
  });
});
