import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The answer while the hub is starting (migrations, seed data): the process is up, so
 * /healthz says so; /readyz and everything else say 503 with Retry-After, GraphQL in its own
 * error format with a code, so clients and load balancers wait rather than see a refused
 * connection or a half-loaded database.
 */
export function answerStarting(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  // The request body is not read: the connection closes after the answer.
  if (path === '/healthz') return send(res, 200, { status: 'ok' }, false);
  if (path === '/readyz') return send(res, 503, { status: 'starting' });
  send(res, 503, {
    errors: [{
      message: 'Council Commons is starting (applying migrations and loading seed data); try again in a few seconds',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    }],
  });
}

function send(res: ServerResponse, status: number, body: unknown, retry = true): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(retry ? { 'retry-after': '2' } : {}),
    connection: 'close',
  });
  res.end(JSON.stringify(body));
}
