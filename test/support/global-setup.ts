import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { loadEmbedder } from '../../server/search/embeddings/load-embedder.js';
import { TEST_MODEL_DIR } from './embedder.js';

/**
 * Creating a PGlite database takes seconds; loading a dump takes under one. Migrate one
 * template per run and let every test file start from a copy of it.
 */
export default async function setup({ provide }: { provide: (key: 'pgliteTemplate', value: string) => void }) {
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
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
