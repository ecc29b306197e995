import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../server/logger.js';
import { createLeaderLock } from '../../workers/leader-lock.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

/** A real logger whose lines land in an array, to check what the lock warns about. */
function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { logger: createLogger('warn', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), lines };
}

describe.each(testDatabases())('the consumer leader lock on $engine', (engine) => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await engine.create(); });
  afterAll(async () => database?.close());

  it('is held only between taking it and releasing it; taking it again while held keeps it', async () => {
    const { logger, lines } = recordingLogger();
    const lock = createLeaderLock(database, `plain-${randomUUID()}`, logger);
    expect(lock.held).toBe(false);
    await lock.release(); // nothing to release yet: resolves
    expect(await lock.tryAcquire()).toBe(true);
    expect(lock.held).toBe(true);
    expect(await lock.tryAcquire()).toBe(true);
    expect(lock.held).toBe(true);
    await lock.release();
    expect(lock.held).toBe(false);
    await lock.release(); // idempotent
    expect(lines).toEqual([]);
  });

  describe.skipIf(engine.engine === 'pglite')('on its own connection (PostgreSQL only: PGlite is one process, so the lock is trivially held)', () => {
    /** The backends of this database named after the consumer's lock connection. */
    async function lockBackends(consumer: string): Promise<number[]> {
      const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity
        where datname = current_database() and application_name = ${`cc-worker:${consumer}`}`.execute(database.db);
      return rows.map((row) => row.pid);
    }

    /** Backends holding this database's advisory locks. */
    async function advisoryHolders(): Promise<number[]> {
      const { rows } = await sql<{ pid: number }>`select pid from pg_locks
        where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`.execute(database.db);
      return rows.map((row) => row.pid);
    }

    it('excludes a second instance until released, on one connection named after the consumer', async () => {
      const name = `named-${randomUUID()}`;
      const { logger, lines } = recordingLogger();
      const [lock, rival] = [createLeaderLock(database, name, logger), createLeaderLock(database, name, logger)];
      expect(await lock.tryAcquire()).toBe(true);
      const [pid] = await lockBackends(name);
      expect(await advisoryHolders()).toEqual([pid]);
      // Asking again while held neither opens a connection nor gives the lock up.
      expect(await lock.tryAcquire()).toBe(true);
      expect(await lockBackends(name)).toEqual([pid]);

      expect(await rival.tryAcquire()).toBe(false);
      expect(rival.held).toBe(false);
      // The rival's failed attempt closed its connection.
      await waitFor(async () => (await lockBackends(name)).length === 1, { what: 'the rival to close its connection' });

      await lock.release();
      expect(lock.held).toBe(false);
      await waitFor(async () => (await lockBackends(name)).length === 0, { what: 'the lock connection to close' });
      expect(await rival.tryAcquire()).toBe(true);
      await rival.release();
      expect(lines).toEqual([]);
    });

    it('gives leadership up, with one warning, when its connection is killed, and can take it again', async () => {
      const name = `killed-${randomUUID()}`;
      const { logger, lines } = recordingLogger();
      const [lock, rival] = [createLeaderLock(database, name, logger), createLeaderLock(database, name, createLogger('silent'))];
      expect(await lock.tryAcquire()).toBe(true);
      const [pid] = await lockBackends(name);
      await sql`select pg_terminate_backend(${pid}::int)`.execute(database.db);
      await waitFor(() => !lock.held, { what: 'the lock to notice its connection died' });
      await waitFor(async () => (await lockBackends(name)).length === 0, { what: 'the killed backend to go' });
      // Every signal of the one lost connection (its error, then its end) is one warning.
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.map((line) => [line.level, line.msg, line.consumer])).toEqual([['warn', 'lost the consumer lock connection', name]]);

      // The lock is really free: another instance takes it, and the first stands by.
      expect(await rival.tryAcquire()).toBe(true);
      expect(await lock.tryAcquire()).toBe(false);
      await rival.release();
      expect(await lock.tryAcquire()).toBe(true);
      const [next] = await lockBackends(name);
      expect(next).not.toBe(pid);
      expect(await advisoryHolders()).toEqual([next]);
      await lock.release();
      await waitFor(async () => (await lockBackends(name)).length === 0, { what: 'the lock connection to close' });
      // Release after a lost connection, or twice, is quiet.
      await lock.release();
      expect(lines).toHaveLength(1);
    });

    it('warns and stays a standby when its connection cannot be opened', async () => {
      const name = `unreachable-${randomUUID()}`;
      const { logger, lines } = recordingLogger();
      const url = new URL(database.url!);
      url.pathname = '/cc_no_such_database';
      const lock = createLeaderLock({ ...database, pgConfig: { ...database.pgConfig, connectionString: url.toString() } }, name, logger);
      expect(await lock.tryAcquire()).toBe(false);
      expect(lock.held).toBe(false);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', msg: 'could not try the consumer lock', consumer: name, error: { code: '3D000' } });
      await lock.release();
    });

    it('is trivially held when the handle has no connection settings of its own', async () => {
      const name = `configless-${randomUUID()}`;
      const handle = { ...database, pgConfig: undefined };
      const [lock, other] = [createLeaderLock(handle, name, createLogger('silent')), createLeaderLock(handle, name, createLogger('silent'))];
      expect([await lock.tryAcquire(), await other.tryAcquire()]).toEqual([true, true]);
      expect(await lockBackends(name)).toEqual([]);
      await Promise.all([lock.release(), other.release()]);
      expect(lock.held).toBe(false);
    });
  });
});
