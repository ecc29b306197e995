import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { isMigrated } from '../db/migrate.js';
import type { Logger } from '../logger.js';
import type { IndexerHealth } from '../search/indexer-health.js';
import type { Metrics } from '../kernel/metrics.js';
import { answerStarting } from './starting.js';
import type { HubYoga } from './yoga.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface HttpDeps {
  readonly yoga: HubYoga;
  readonly db: Kysely<Database>;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Extra routes tried before GraphQL (e.g. the web pages); return true when handled. */
  readonly routes?: RouteHandler[];
  /** False while the hub is still starting: everything but /healthz answers 503. @default always ready */
  readonly isReady?: () => boolean;
  /**
   * Reported in /readyz's body, not in its status: a server process missing its worker still
   * serves everything else, and taking it out of a load balancer would not start the worker.
   */
  readonly searchIndexer?: () => Promise<IndexerHealth>;
  /**
   * A server that is already listening (main.ts listens before the database is migrated and
   * seeded); its requests are taken over from whatever answered them until now.
   */
  readonly server?: Server;
}

/**
 * One HTTP server for everything: health, metrics, GraphQL (HTTP and SSE) and, attached
 * elsewhere, WebSocket upgrades on the same port.
 */
export function createHttpServer(deps: HttpDeps): Server {
  const server = deps.server ?? createServer();
  server.removeAllListeners('request');
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    if (deps.isReady && !deps.isReady()) return answerStarting(req, res);
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') return send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
      if (path === '/readyz') return await readiness(deps, res);
      if (path === '/metrics') return send(res, 200, 'text/plain; version=0.0.4', await deps.metrics.render());
      for (const route of deps.routes ?? []) if (await route(req, res)) return;
      await deps.yoga(req, res, { req, res });
    } catch (error) {
      deps.logger.error('request failed outside GraphQL', { url: req.url, error });
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: 'internal error' }));
      else res.destroy();
    }
  });
  return server;
}

async function readiness({ db, searchIndexer }: Pick<HttpDeps, 'db' | 'searchIndexer'>, res: ServerResponse): Promise<void> {
  try {
    await sql`select 1`.execute(db);
    const migrated = await isMigrated(db);
    if (!migrated) return send(res, 503, 'application/json', JSON.stringify({ status: 'migrating' }));
    const indexer = await searchIndexer?.();
    const search = indexer && { indexer: indexer.state, waiting: indexer.waiting, ...(indexer.warning ? { warning: indexer.warning } : {}) };
    send(res, 200, 'application/json', JSON.stringify({ status: 'ready', ...(search ? { search } : {}) }));
  } catch {
    send(res, 503, 'application/json', JSON.stringify({ status: 'database unreachable' }));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
