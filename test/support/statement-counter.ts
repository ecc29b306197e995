import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TestApp } from './test-app.js';

/**
 * Counts the SQL statements each HTTP request causes. Statements are attributed to the
 * request that caused them (by the `x-request-id` the counter sends), so whatever the hub
 * does in the background (event tails, workers) cannot blur a count.
 *
 *   const counter = createStatementCounter();
 *   database = await engine.create({ onQuery: counter.onQuery });
 *   hub = await startTestApp(database);
 *   counter.attach(hub);
 *   const { body, statements } = await counter.request(hub, query, variables, token);
 */
export function createStatementCounter() {
  const scope = new AsyncLocalStorage<string[]>();
  const pending = new Map<string, string[]>();
  return {
    onQuery: (sql: string): void => { scope.getStore()?.push(sql); },

    /** Runs each counted request of `hub` inside a scope holding its statement list. */
    attach(hub: TestApp): void {
      const server = hub.app.server;
      const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
      server.removeAllListeners('request');
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        const statements = pending.get(String(req.headers['x-request-id']));
        const run = () => { for (const handler of handlers) handler.call(server, req, res); };
        if (statements) scope.run(statements, run);
        else run();
      });
    },

    /** A GraphQL request over HTTP, with the statements it caused. */
    async request(hub: TestApp, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ body: any; statements: string[] }> {
      const statements: string[] = [];
      const requestId = `count-${Math.random().toString(36).slice(2)}`;
      pending.set(requestId, statements);
      try {
        const response = await fetch(`${hub.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json', 'x-request-id': requestId,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ query, variables }),
        });
        return { body: await response.json(), statements };
      } finally {
        pending.delete(requestId);
      }
    },
  };
}
