import type { IncomingMessage, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionArgs, type FormattedExecutionResult } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { authenticate } from '../auth/tokens.js';
import { ANONYMOUS, isMember, type Viewer } from '../auth/viewer.js';
import { createContext, type Context } from '../context.js';
import { DomainError, toGraphQLError } from '../kernel/errors.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { readConnectionCredential } from './connection-credential.js';
import { serveGraphQLWs } from './graphql-ws-transport.js';
import { formatSocketErrors, formatSocketResult } from './limits/socket-errors.js';
import { TRY_AGAIN_LATER, type WebSocketGuard } from './limits/websocket-guard.js';
import type { HubYoga } from './yoga.js';

export interface WebSocketDeps {
  readonly server: Server;
  readonly yoga: HubYoga;
  readonly db: Kysely<Database>;
  readonly services: Services;
  readonly logger: Logger;
  /** Connection, message and operation limits (see server/http/limits/websocket-guard.ts). */
  readonly guard?: WebSocketGuard;
}

/**
 * graphql-ws on /graphql, sharing yoga's schema and plugins (envelop). The token comes from
 * `connection_init`'s payload (connection-credential.ts lists the shapes), as browsers cannot
 * set headers on a WebSocket. A credential the hub cannot read closes the socket with 4401
 * Unauthorized; an invalid or revoked token with 4403 Forbidden.
 */
export function attachWebSocket(deps: WebSocketDeps) {
  const { guard } = deps;
  const wss = new WebSocketServer({
    server: deps.server,
    path: deps.yoga.graphqlEndpoint,
    // Compression would deflate each subscriber's copy of an event separately: CPU per
    // socket for a fan-out of small JSON messages.
    perMessageDeflate: false,
    ...(guard ? { maxPayload: guard.limits.maxMessageBytes, verifyClient: ({ req }: { req: IncomingMessage }) => guard.allowsOrigin(req) } : {}),
  });
  // Who each connection authenticated as at connection_init, and with which header.
  const sessions = new WeakMap<object, { viewer: Viewer; header: string | undefined }>();
  // graphql-ws hands `execute` and `subscribe` only the operation's arguments, so each
  // operation's own enveloped pair (from onSubscribe) is found by its context object.
  const enveloped = new WeakMap<object, Pick<ReturnType<HubYoga['getEnveloped']>, 'execute' | 'subscribe'>>();
  const envelopedOf = ({ contextValue }: ExecutionArgs) => {
    const found = typeof contextValue === 'object' && contextValue !== null ? enveloped.get(contextValue) : undefined;
    if (!found) throw new Error('a WebSocket operation ran without its onSubscribe context');
    return found;
  };
  const disposable = serveGraphQLWs<Record<string, unknown> | undefined, { viewer?: Viewer }>(
    {
      ...(guard ? { connectionInitWaitTimeout: guard.limits.initTimeoutMs } : {}),
      onConnect: async (ctx) => {
        const credential = readConnectionCredential(ctx.connectionParams);
        if (credential.kind === 'unreadable') {
          ctx.extra.socket.close(CloseCode.Unauthorized, credential.reason.slice(0, 120));
          return false;
        }
        const header = credential.kind === 'header' ? credential.header : undefined;
        const throttled = await guard?.beforeConnect(ctx.extra.request, header);
        if (throttled) {
          ctx.extra.socket.close(TRY_AGAIN_LATER, throttled.message.slice(0, 120));
          return false;
        }
        try {
          const viewer = await authenticate(deps.db, header);
          const full = guard?.admit(ctx, viewer, ctx.extra.request, header);
          if (full) {
            ctx.extra.socket.close(TRY_AGAIN_LATER, full.slice(0, 120));
            return false;
          }
          sessions.set(ctx, { viewer, header });
          return true;
        } catch (error) {
          if (error instanceof DomainError) ctx.extra.socket.close(CloseCode.Forbidden, error.message.slice(0, 120));
          else deps.logger.error('could not authenticate a WebSocket connection', { error });
          return false;
        }
      },
      execute: (args) => envelopedOf(args).execute(args),
      subscribe: (args) => envelopedOf(args).subscribe(args),
      onClose: (ctx) => guard?.release(ctx),
      onError: (_ctx, _id, _payload, errors) => formatSocketErrors(errors),
      // The result itself when it needs no formatting: results shared by a group of
      // subscribers are then serialized once for all of them (graphql-ws-transport.ts).
      onNext: (_ctx, _id, _payload, _args, result) => formatSocketResult(result) ?? (result as FormattedExecutionResult),
      onSubscribe: async (ctx, id, payload) => {
        const refused = await guard?.beforeSubscribe(ctx, Object.keys(ctx.subscriptions).length);
        if (refused) return refused;
        const session = sessions.get(ctx);
        if (session && isMember(session.viewer)) {
          // A token revoked, or a member removed or given a new role, since connection_init:
          // each operation runs as who the token stands for now, or closes the socket.
          try {
            session.viewer = await authenticate(deps.db, session.header);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            ctx.extra.socket.close(CloseCode.Forbidden, error.message.slice(0, 120));
            return [toGraphQLError(error)];
          }
        }
        const { schema, execute, subscribe, parse, validate } = deps.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          // A syntax or limit error is the client's: answer it rather than drop the socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        // The token came with connection_init; yoga's HTTP context factory reads headers of
        // a fetch Request, which a WebSocket message does not have.
        const send = ctx.extra.nextSender(id);
        const context: Context = {
          ...createContext(deps.services, session?.viewer ?? ANONYMOUS, randomUUID()),
          ...(guard?.eventCharge(ctx) ? { chargeEvent: guard.eventCharge(ctx)!, affordEvents: guard.eventsAffordable(ctx)! } : {}),
          // Only while graphql-ws still holds the subscription: after the client's `complete`
          // nothing more may be sent for this id.
          sink: { next: (result) => (id in ctx.subscriptions ? send(formatSocketResult(result) ?? result) : undefined) },
        };
        enveloped.set(context, { execute, subscribe });
        return { schema, operationName: payload.operationName, document, variableValues: payload.variables, contextValue: context };
      },
    },
    wss,
    { logger: deps.logger },
  );
  return {
    async close(): Promise<void> {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
