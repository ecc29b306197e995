import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { loadEmbedder } from '../../server/search/embeddings/load-embedder.js';
import pg from 'pg';
import { adminQuery, databaseUrl, POSTGRES_ADMIN_URL } from './databases.js';
import { TEST_MODEL_DIR } from './embedder.js';

type Provide = <K extends 'pgliteTemplate' | 'postgresTemplate'>(key: K, value: string) => void;

/**
 * Creating a PGlite database takes seconds; loading a dump takes under one. Migrate one
 * template per run and let every test file start from a copy of it. The same for
 * PostgreSQL: a database created from a migrated template is ready at once.
 */
export default async function setup({ provide }: { provide: Provide }) {
  // Converting the model reads 300 MB of JSON: once here, not in every test process.
  await loadEmbedder(TEST_MODEL_DIR);
  const dir = mkdtempSync(join(tmpdir(), 'cc-template-'));
  const handle = await connectDatabase({});
  await migrateToLatest(handle.db);
  const dump = await handle.pglite!.dumpDataDir('none');
  await handle.close();
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  provide('pgliteTemplate', file);
  const postgresTemplate = await createPostgresTemplate();
  provide('postgresTemplate', postgresTemplate ?? '');
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (postgresTemplate) await adminQuery(`drop database if exists ${postgresTemplate} with (force)`);
  };
}

/** A migrated database to copy, or undefined when PostgreSQL cannot be reached (PGlite-only runs). */
async function createPostgresTemplate(): Promise<string | undefined> {
  // Named by its creation time, so that a run killed before its teardown leaves nothing
  // behind for long: the next run drops templates and test databases (named the same way,
  // databases.ts) over a day old (no run lasts that long).
  const name = `cc_template_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(`create database ${name}`);
  } catch {
    return undefined;
  }
  for (const stale of await staleDatabases(Date.now() / 1000 - 86_400)) await adminQuery(`drop database if exists ${stale} with (force)`);
  const handle = await connectDatabase({ url: databaseUrl(name) });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    await adminQuery(`drop database if exists ${name} with (force)`);
    throw error;
  }
  // CREATE DATABASE … TEMPLATE refuses a template anyone is connected to.
  await handle.close();
  return name;
}

/** Templates and test databases of earlier runs created before `before` (seconds), and those named the old way. */
async function staleDatabases(before: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'cc\\_template\\_%' or datname like 'cc\\_test\\_%'`);
    return rows.map((row) => row.datname).filter((name) => {
      const created = /^cc_(?:template|test)_(\d{10})_/.exec(name);
      return !created || Number(created[1]) < before;
    });
  } finally {
    await client.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
