import { loadConfig } from '../server/config.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createSearchEngine } from '../server/search/create-engine.js';
import { loadEmbedder } from '../server/search/embeddings/load-embedder.js';
import { reindex, type ReindexProgress } from '../server/search/reindex.js';

// `npm run reindex`: rebuilds the search index from the database while search stays up.
const config = loadConfig(process.env);
if (!config.databaseUrl && !process.argv.includes('--server-stopped')) {
  // Two processes must never open one PGlite data directory.
  console.error('Embedded mode: stop the server first, then run `npm run reindex -- --server-stopped`.');
  process.exit(1);
}

const database = await connectDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
await migrateToLatest(database.db);
const engine = createSearchEngine(config, database.db, 'admin', await loadEmbedder(config.modelDir));
const started = performance.now();
const bar = progressBar(process.stderr);
try {
  const { documents } = await reindex({ db: database.db, engine, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - started) / 1000;
  console.log(`reindexed ${documents} documents into ${engine.name} in ${seconds.toFixed(1)} s (${Math.round(documents / seconds)} docs/s)`);
} catch (error) {
  bar.done();
  console.error('reindex failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}

function progressBar(out: NodeJS.WriteStream) {
  let lastLine = '';
  let lastPercent = -10;
  return {
    update({ done, total }: ReindexProgress) {
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      const width = 30;
      const filled = Math.round(fraction * width);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%  ${done}/${total} documents`;
      if (out.isTTY) {
        out.write(`\r${line}`);
        lastLine = line;
      } else if (fraction * 100 >= lastPercent + 10 || done === total) {
        // Not a terminal (CI logs): a line per tenth rather than a wall of carriage returns.
        lastPercent = Math.floor(fraction * 10) * 10;
        out.write(`${line}\n`);
      }
    },
    done() {
      if (out.isTTY && lastLine) out.write('\n');
    },
  };
}
