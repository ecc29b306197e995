import { loadConfig } from '../server/config.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createPostgresSignal } from '../server/events/postgres-signal.js';
import { createLogger } from '../server/logger.js';
import { loadEmbedder } from '../server/search/embeddings/load-embedder.js';
import { createSearchEngine, prepareSearchEngine } from '../server/search/create-engine.js';
import { MeilisearchVersionError } from '../server/search/meilisearch-version.js';
import { createMailer } from '../server/email/create-mailer.js';
import { createEmailLinks } from '../server/email/links.js';
import { faultHookFromEnv } from './fault-points.js';
import { createWorkers } from './workers.js';

// Entry point of `npm run worker` (server mode): the outbox consumers in a process of their
// own. Start as many as you like; each consumer is active in one of them at a time.
const config = loadConfig(process.env);
const logger = createLogger(config.logLevel).child({ process: 'worker' });

if (!config.databaseUrl) {
  // PGlite's data directory belongs to one process: the server runs the consumers itself.
  console.error('npm run worker needs DATABASE_URL (PostgreSQL). In embedded mode the server runs the workers in-process.');
  process.exit(1);
}

const database = await connectDatabase({ url: config.databaseUrl, poolSize: 4 });
await migrateToLatest(database.db);
// Servers NOTIFY after each commit, so the worker wakes at once; it also polls, slowly, in
// case a notification is lost.
const signal = createPostgresSignal({ clientConfig: database.pgConfig!, db: database.db, logger });
const searchEngine = createSearchEngine(config, database.db, 'admin', await loadEmbedder(config.modelDir));
try {
  await prepareSearchEngine(searchEngine, logger);
} catch (error) {
  if (!(error instanceof MeilisearchVersionError)) throw error;
  console.error(`council commons worker cannot start: ${error.message}`);
  process.exit(1);
}
const faults = faultHookFromEnv(process.env, logger);
const mailer = createMailer(config.email);
const links = createEmailLinks({ db: database.db, publicUrl: config.email.publicUrl, signingKey: config.email.signingKey });
const workers = createWorkers({
  database, signal, logger, searchEngine, webhooks: config.webhooks, faults, nudges: config.nudges,
  ...(mailer ? { email: { mailer, links, config: config.email } } : {}),
});
workers.start();
logger.info('worker started', { consumers: workers.workers.map((w) => w.name) });

let stopping = false;
for (const name of ['SIGTERM', 'SIGINT'] as const) {
  process.on(name, () => {
    if (stopping) return;
    stopping = true;
    logger.info('worker stopping', { signal: name });
    workers.stop()
      .then(() => mailer?.close())
      .then(() => signal.close())
      .then(() => database.close())
      .then(() => process.exit(0), (error) => { logger.error('worker shutdown failed', { error }); process.exit(1); });
  });
}
