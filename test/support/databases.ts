import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseEngine, type DatabaseHandle, type DatabaseOptions } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';

/** Where test databases are created; each test file gets a fresh one, dropped afterwards. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly engine: DatabaseEngine;
  /** Connects a fresh, migrated database. `onQuery` sees every statement (statement counts). */
  create(options?: Pick<DatabaseOptions, 'onQuery' | 'poolSize'>): Promise<TestDatabaseHandle>;
}

export interface TestDatabaseHandle extends DatabaseHandle {
  /** The PostgreSQL connection string, for tests that start more processes. */
  readonly url: string | undefined;
}

export const pgliteDatabase: TestDatabase = {
  engine: 'pglite',
  async create(options = {}) {
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const handle = await connectDatabase({ ...options, loadDataDir: template });
    return { ...handle, url: undefined, close: () => handle.close() };
  },
};

export const postgresDatabase: TestDatabase = {
  engine: 'postgres',
  async create(options = {}) {
    // Named by its creation time: a run killed before closing it leaves it to the next run,
    // which drops it once a day old (global-setup.ts).
    const name = `cc_test_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString('hex')}`;
    // A copy of the run's migrated template (global-setup.ts) takes a tenth of the time of
    // migrating; without one (PostgreSQL was down when the run began), migrate here.
    const template = inject('postgresTemplate');
    await adminQuery(`create database ${name}${template ? ` template ${template}` : ''}`);
    const url = databaseUrl(name);
    const handle = await connectDatabase({ ...options, url });
    if (!template) await migrateToLatest(handle.db);
    return {
      ...handle,
      url,
      async close() {
        await handle.close();
        await adminQuery(`drop database if exists ${name} with (force)`);
      },
    };
  },
};

/**
 * Both engines; every integration suite runs on each (STYLE.md, do and don't 7).
 * TEST_DATABASES (a comma list, e.g. "pglite") narrows the matrix: CI's second Node version
 * runs the engine matrix on one engine, since the first run has already crossed it with both.
 */
export function testDatabases(): TestDatabase[] {
  const all = [pgliteDatabase, postgresDatabase];
  const wanted = process.env.TEST_DATABASES?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!wanted?.length) return all;
  const chosen = all.filter((database) => wanted.includes(database.engine));
  if (chosen.length !== wanted.length) throw new Error(`TEST_DATABASES must name pglite and/or postgres, not "${process.env.TEST_DATABASES}"`);
  return chosen;
}

/** The connection string of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
