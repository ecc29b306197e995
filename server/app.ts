import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { connectDatabase, type DatabaseHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createTransact } from './db/transact.js';
import { createWritesInFlight } from './db/writes-in-flight.js';
import { createPgliteSignal } from './events/pglite-signal.js';
import { createPostgresSignal } from './events/postgres-signal.js';
import { createEventTail } from './events/tail.js';
import { createHttpServer } from './http/server.js';
import { createProtections } from './http/limits/protections.js';
import { createMetrics } from './kernel/metrics.js';
import { attachWebSocket } from './http/websocket.js';
import { createHubYoga } from './http/yoga.js';
import { createLogger, type Logger } from './logger.js';
import { createServices } from './services.js';
import { createLiveInbox } from './notifications/live-inbox.js';
import { createMailer } from './email/create-mailer.js';
import { createEmailLinks } from './email/links.js';
import type { Mailer } from './email/mailer.js';
import { createUnsubscribeRoute } from './email/unsubscribe-route.js';
import { createNudgeRoute } from '../web/nudge-route.js';
import { registerSearchMetrics } from './search/metrics.js';
import { indexerHealth } from './search/indexer-health.js';
import { registerWebhookMetrics } from './webhooks/metrics.js';
import { createSecretBox, sealStoredSecrets } from './webhooks/secret-box.js';
import { createSearchEngine, prepareSearchEngine } from './search/create-engine.js';
import type { Embedder } from './search/embeddings/embedder.js';
import { loadEmbedder } from './search/embeddings/load-embedder.js';
import type { SearchEngine } from './search/engine.js';
import type { ResolvedAddress } from './webhooks/http-post.js';
import { createWorkers } from '../workers/workers.js';
import { buildSchema } from '../schema/index.js';
import { createWebRoutes } from '../web/routes.js';
import { createDownloadRoute } from '../web/open-data/download-route.js';

export interface AppOverrides {
  logger?: Logger;
  /** An already-connected database (tests share one per file); the app will not close it. */
  database?: DatabaseHandle;
  onQuery?: (sql: string) => void;
  /**
   * Milliseconds since the epoch, for subscription event allowances and web sessions; tests
   * move time by hand. (The rate limiter's library reads Date.now.) @default Date.now
   */
  clock?: () => number;
  /**
   * Leave out the limits, rate limits, CSRF prevention and WebSocket guard: only for
   * measuring what they cost (bench/limits.ts). @default true
   */
  protections?: boolean;
  /** The embedder, already loaded (tests share one per process). @default loaded from config.modelDir */
  embedder?: Embedder;
  /** A search engine to use instead of the configured one (tests). */
  searchEngine?: SearchEngine;
  /** DNS for webhook hosts, instead of the system resolver (tests point names at loopback). */
  resolveHost?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
  /**
   * An HTTP server already listening (main.ts), answering "starting" until now. The app takes
   * over its requests but stays unready (503 but /healthz) until `markReady()`, so the caller
   * can load seed data first. Without it the app is ready as soon as it is built.
   */
  server?: Server;
  /** An email transport instead of the configured one (tests). */
  mailer?: Mailer;
  /** The email sender's clock, for digest times (tests). @default () => new Date() */
  emailClock?: () => Date;
  /** The freshness nudger's clock (tests). @default () => new Date() */
  nudgeClock?: () => Date;
}

/** Builds the hub in dependency order; `close()` takes it down in reverse. */
export async function createApp(config: Config, overrides: AppOverrides = {}) {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const ownsDatabase = overrides.database === undefined;
  const database = overrides.database ?? await connectDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    ...(overrides.onQuery ? { onQuery: overrides.onQuery } : {}),
  });
  const { db } = database;
  await migrateToLatest(db);
  const sealed = await sealStoredSecrets(db, createSecretBox(config.webhooks.secretsKey));
  if (sealed > 0) logger.info('sealed the webhook signing secrets stored before WEBHOOKS_SECRETS_KEY was set', { sealed });
  if (!config.webhooks.secretsKey && config.databaseUrl) logger.warn('WEBHOOKS_SECRETS_KEY is not set: webhook signing secrets are stored unencrypted');

  // A server process in server mode only searches: it gets the search key alone.
  const searchEngine = overrides.searchEngine ?? createSearchEngine(config, db, config.inProcessWorkers ? 'admin' : 'search', overrides.embedder ?? await loadEmbedder(config.modelDir));
  await prepareSearchEngine(searchEngine, logger);

  // The outbox doorbell: NOTIFY/LISTEN shared by every process on PostgreSQL, PGlite's own
  // LISTEN in embedded mode. Both only say "look again"; the tail reads the outbox.
  const metrics = createMetrics();
  const writes = createWritesInFlight();
  const signal = database.engine === 'postgres'
    ? createPostgresSignal({
      clientConfig: database.pgConfig!, db, logger, writes, batchWaitMs: config.eventBatchWaitMs,
      onNotify: () => metrics.increment('cc_event_notifies_total', 'Outbox NOTIFYs this process sent to the others'),
    })
    : await createPgliteSignal(database.pglite!, logger);
  const transact = createTransact(db, () => signal.notify(), writes);
  const tail = createEventTail({
    db, signal, logger, pollIntervalMs: config.eventPollIntervalMs, writes, batchWaitMs: config.eventBatchWaitMs,
    // Events per fan-out (the second over the first) shows how well bursts are batched.
    onFanOut: (events) => {
      metrics.increment('cc_event_tail_fanouts_total', 'Batches of events the event tail read from the outbox for this process\'s subscribers');
      metrics.increment('cc_event_tail_fanout_events_total', 'Events in those batches', events.length);
    },
  });
  await tail.start();
  const webhookDns = overrides.resolveHost ? { resolveHost: overrides.resolveHost } : {};
  const liveInbox = createLiveInbox({ db, signal, logger, pollIntervalMs: config.eventPollIntervalMs });
  const services = createServices({ db, transact, searchEngine, tail, liveInbox, webhooks: { config: config.webhooks, notify: () => signal.notify(), ...webhookDns } });
  metrics.gauge('cc_event_tail_position', 'Last outbox position this process has read', () => tail.position);
  metrics.gauge('cc_event_tail_listeners', 'Live subscribers on this process', () => tail.listenerCount);
  metrics.gauge('cc_transactions_in_flight', 'Transactions this process has begun and not yet ended', () => writes.count);
  const schema = buildSchema();
  const protections = overrides.protections === false ? undefined : await createProtections(config, schema, db, overrides.clock);
  registerSearchMetrics(metrics, db);
  registerWebhookMetrics(metrics, db);
  const emailLinks = createEmailLinks({ db, publicUrl: config.email.publicUrl, signingKey: config.email.signingKey });
  const mailer = config.inProcessWorkers ? overrides.mailer ?? createMailer(config.email) : undefined;
  const email = mailer ? { email: { mailer, links: emailLinks, config: config.email, ...(overrides.emailClock ? { clock: overrides.emailClock } : {}) } } : {};
  // Embedded mode runs the outbox consumers here; server mode runs them in `npm run worker`.
  const workers = config.inProcessWorkers ? createWorkers({
    database, signal, logger, searchEngine, webhooks: config.webhooks, ...webhookDns, ...email,
    nudges: config.nudges, ...(overrides.nudgeClock ? { nudgeClock: overrides.nudgeClock } : {}),
  }) : undefined;
  const yoga = createHubYoga({
    schema, db, services, logger, metrics,
    graphiql: config.graphiql, introspection: config.introspection, compileAfterRuns: config.compileAfterRuns,
    ...protections?.yoga,
  });
  // The web pages read through the same yoga instance as every API client.
  const holdsSampleData = config.databaseUrl ? async () => false : rememberOnceTrue(() => services.councils.holdsSampleData());
  let ready = overrides.server === undefined;
  const server = createHttpServer({
    yoga, db, metrics, logger, routes: [createUnsubscribeRoute({ db, links: emailLinks }), createNudgeRoute({ db, links: emailLinks, answers: {
      confirmCurrent: (viewer, subject, id) => (subject === 'problem' ? services.problems : services.solutions).confirmCurrent(viewer, id),
      archive: (viewer, subject, id) => (subject === 'problem' ? services.problems : services.solutions).archive(viewer, id),
    } }), createDownloadRoute({ db, engine: database.engine, pgConfig: database.pgConfig, logger }), createWebRoutes({ yoga, logger, db, signIn: config.signIn, holdsSampleData, graphiql: config.graphiql, ...(overrides.clock ? { clock: overrides.clock } : {}) })],
    isReady: () => ready, ...(overrides.server ? { server: overrides.server } : {}),
    searchIndexer: () => indexerHealth(db, { inProcess: config.inProcessWorkers }),
  });
  // Server mode searches an index only `npm run worker` fills: started without one, search
  // would stay empty or stale and nothing would say why.
  if (!config.inProcessWorkers) {
    const health = await indexerHealth(db, { inProcess: false });
    if (health.warning) logger.warn(health.warning, { indexer: health.state, waiting: health.waiting });
  }
  protections?.attach(server);
  const websocket = attachWebSocket({ server, yoga, db, services, logger, guard: protections?.guard });
  workers?.start();

  let closing: Promise<void> | undefined;
  return {
    config, logger, database, db, transact, services, metrics, server, signal, tail, searchEngine, workers,

    /** Starts answering GraphQL and /readyz (for an app given a listening `server`). */
    markReady(): void {
      ready = true;
    },

    /** Starts listening; resolves to the bound port (useful with PORT=0). */
    async listen(port = config.port, host = config.host): Promise<number> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => { server.off('error', reject); resolve(); });
      });
      return (server.address() as AddressInfo).port;
    },

    /** Stops taking connections, lets in-flight requests finish (up to `graceMs`), then closes. */
    close(graceMs = config.shutdownGraceMs): Promise<void> {
      closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await websocket.close();
        // Ends every subscription stream, so SSE responses finish instead of holding the drain.
        await tail.stop();
        await liveInbox.stop();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await drained;
        clearTimeout(timer);
        await workers?.stop();
        await mailer?.close();
        await signal.close();
        if (ownsDatabase) await database.close();
      })();
      return closing;
    },
  };
}

/**
 * Embedded mode says so on every page when it holds the sample data (seeded at any time,
 * by the first start or a test). Seeds are never unloaded, so once true the answer is kept
 * and costs no statement; until then each page asks (one indexed row at most).
 */
function rememberOnceTrue(ask: () => Promise<boolean>): () => Promise<boolean> {
  let known = false;
  return async () => known || (known = await ask());
}

export type App = Awaited<ReturnType<typeof createApp>>;
