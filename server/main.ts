import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createApp, type App } from './app.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { requestTimeoutOptions } from './http/limits/request-timeouts.js';
import { answerStarting } from './http/starting.js';
import { createLogger } from './logger.js';
import { MeilisearchVersionError } from './search/meilisearch-version.js';
import { seedIfEmpty } from '../seeds/seed.js';

// The entry point: the only place that reads the environment, handles signals and exits.
const started = performance.now();
const config = orExit(() => loadConfig(process.env), ConfigError, 2);
const logger = createLogger(config.logLevel);

// Listen first: while the database is opened, migrated and seeded, /healthz says the process
// is up and everything else answers 503 "starting", rather than refusing connections.
const server = createServer(requestTimeoutOptions(config.requestLimits), answerStarting);
const port = await listen(server, config);
logger.info('council commons is starting', { url: `http://localhost:${port}/graphql` });

let app: App | undefined;
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Stopped while starting: nothing is served yet, and an unfinished seed is one
    // transaction that never commits, so the next start seeds again.
    if (!app) process.exit(1);
    app.close().then(
      () => process.exit(0),
      (error) => { logger.error('shutdown failed', { error }); process.exit(1); },
    );
  });
}

app = await orExitAsync(() => createApp(config, { logger, server }), [DataDirLockedError, MeilisearchVersionError], 1);
if (config.seedOnFirstStart) {
  const seeded = await seedIfEmpty({ db: app.db, transact: app.transact, dataDir: config.dataDir });
  if (seeded.created) logger.info('loaded seed data', seeded.counts);
  if (seeded.demoToken) {
    logger.info('demo token ready', { council: seeded.demoToken.council, role: seeded.demoToken.role });
    console.log(`\nDemo API token for ${seeded.demoToken.council} (${seeded.demoToken.role}):\n  ${seeded.demoToken.token}\n` +
      `Send it as "Authorization: Bearer <token>" (GraphiQL: Headers tab).\n`);
  }
}
app.markReady();
logger.info('council commons is serving', {
  url: `http://localhost:${port}/graphql`,
  database: app.database.engine,
  startupMs: Math.round(performance.now() - started),
});

function listen(http: Server, { port, host }: Config): Promise<number> {
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => exitWith(error.code === 'EADDRINUSE'
      ? `port ${port} on ${host} is in use by another process (set PORT to use another)`
      : `cannot listen on ${host}:${port}: ${error.message}`, 1);
    http.once('error', failed);
    http.listen(port, host, () => {
      http.off('error', failed);
      resolve((http.address() as AddressInfo).port);
    });
  });
}

/** A failure the operator can fix (bad settings, a locked data directory) is one clear line, not a stack trace. */
function orExit<T>(run: () => T, expected: abstract new (...args: never[]) => Error, code: number): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof expected) exitWith(error.message, code);
    throw error;
  }
}

async function orExitAsync<T>(run: () => Promise<T>, expected: readonly (abstract new (...args: never[]) => Error)[], code: number): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (expected.some((type) => error instanceof type)) exitWith((error as Error).message, code);
    throw error;
  }
}

function exitWith(message: string, code: number): never {
  console.error(`council commons cannot start: ${message}`);
  process.exit(code);
}
