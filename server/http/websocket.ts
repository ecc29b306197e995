import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { authenticate } from '../auth/tokens.js';
import { ANONYMOUS, type Viewer } from '../auth/viewer.js';
import { createContext } from '../context.js';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import type { HubYoga } from './yoga.js';

export interface WebSocketDeps {
  readonly server: Server;
  readonly yoga: HubYoga;
  readonly db: Kysely<Database>;
  readonly services: Services;
  readonly logger: Logger;
}

/**
 * graphql-ws on /graphql, sharing yoga's schema and plugins (envelop). The token comes from
 * `connection_init`'s payload (`{ authorization: "Bearer ..." }`), as browsers cannot set
 * headers on a WebSocket; an invalid token closes the socket with 4403 Forbidden.
 */
export function attachWebSocket(deps: WebSocketDeps) {
  const wss = new WebSocketServer({ server: deps.server, path: deps.yoga.graphqlEndpoint });
  const viewers = new WeakMap<object, Viewer>();
  const disposable = useServer<Record<string, unknown> | undefined, { viewer?: Viewer }>(
    {
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        try {
          viewers.set(ctx, await authenticate(deps.db, typeof header === 'string' ? header : undefined));
          return true;
        } catch (error) {
          if (error instanceof DomainError) ctx.extra.socket.close(CloseCode.Forbidden, error.message.slice(0, 120));
          else deps.logger.error('could not authenticate a WebSocket connection', { error });
          return false;
        }
      },
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, id, payload) => {
        const { schema, execute, subscribe, parse, validate } = deps.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        // The viewer was settled at connection_init; yoga's HTTP context factory reads
        // headers of a fetch Request, which a WebSocket message does not have.
        const context = createContext(deps.services, viewers.get(ctx) ?? ANONYMOUS, randomUUID());
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: context,
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );
  return {
    async close(): Promise<void> {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
