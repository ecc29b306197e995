import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { loadEmbedder } from '../../server/search/embeddings/load-embedder.js';
import { adminQuery, databaseUrl } from './databases.js';
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
  const name = `cc_template_${randomBytes(6).toString('hex')}`;
  try {
    await adminQuery(`create database ${name}`);
  } catch {
    return undefined;
  }
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

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
