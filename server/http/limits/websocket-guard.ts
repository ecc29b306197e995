import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import { isMember, type Viewer } from '../../auth/viewer.js';
import type { WebSocketLimits } from '../../config-hardening.js';
import { clientAddress } from './client-address.js';
import type { EventAllowances, EventCharges } from './event-allowance.js';
import { limitError } from './limit-error.js';
import { isAllowedWebSocketOrigin } from './origins.js';
import { rateLimitError, type RateLimiter } from './rate-limiter.js';
import { eventClientKey } from './use-event-charges.js';

/** 1013 "Try Again Later": graphql-ws clients retry it with back-off rather than give up. */
export const TRY_AGAIN_LATER = 1013;

interface Admitted {
  readonly key: string;
  readonly token: string | undefined;
  readonly address: string;
  readonly events: EventCharges;
}

/**
 * The WebSocket path bypasses yoga's HTTP handling (body size, batching, CSRF, the HTTP rate
 * limit), so it has its own limits: message size and the connection_init timeout (options for
 * ws and graphql-ws), open connections per token or anonymous address, operations per
 * connection, the same rate limiter charged per connection_init and per subscribe, and the
 * cost of each subscription event (event-allowance.ts) per connection and per token or address.
 */
export function createWebSocketGuard(limits: WebSocketLimits, limiter: RateLimiter | undefined, allowances: EventAllowances, trustProxy = false, trustedOrigins: readonly string[] = []) {
  const open = new Map<string, number>();
  const admitted = new WeakMap<object, Admitted>();

  const charge = async (token: string | undefined, address: string): Promise<GraphQLError | undefined> => {
    if (!limiter?.enabled) return undefined;
    const decision = await limiter.take(token, address);
    return decision.ok ? undefined : rateLimitError(limiter, decision);
  };

  return {
    limits,

    /** At the handshake: false for a browser page of another, untrusted origin (origins.ts). */
    allowsOrigin: (request: IncomingMessage): boolean => isAllowedWebSocketOrigin(request, trustedOrigins),

    /** Before authenticating a connection_init: the rate limit, charged like an HTTP request. */
    beforeConnect(request: IncomingMessage, authorization: string | undefined): Promise<GraphQLError | undefined> {
      return charge(limiter?.tokenKey(authorization), clientAddress(request, trustProxy));
    },

    /** After authenticating: a reason to refuse when the viewer has too many sockets open. */
    admit(connection: object, viewer: Viewer, request: IncomingMessage, authorization: string | undefined): string | undefined {
      const address = clientAddress(request, trustProxy);
      const member = isMember(viewer);
      const key = member ? `token:${viewer.tokenId}` : `address:${address}`;
      const max = member ? limits.maxConnectionsPerToken : limits.maxConnectionsPerAddress;
      const count = open.get(key) ?? 0;
      if (count >= max) return `Too many connections for this ${member ? 'API token' : 'address'}: at most ${max} (limit ${member ? 'maxConnectionsPerToken' : 'maxConnectionsPerAddress'})`;
      open.set(key, count + 1);
      const token = member ? limiter?.tokenKey(authorization) : undefined;
      if (token) limiter?.recognise(token);
      admitted.set(connection, { key, token, address, events: allowances.open(eventClientKey(viewer, address)) });
      return undefined;
    },

    /** The socket closed: its place is free again. Safe to call for sockets never admitted. */
    release(connection: object): void {
      const entry = admitted.get(connection);
      if (!entry) return;
      admitted.delete(connection);
      entry.events.close();
      const count = (open.get(entry.key) ?? 1) - 1;
      if (count <= 0) open.delete(entry.key);
      else open.set(entry.key, count);
    },

    /** Charges one subscription event's cost to the connection and its client; throws when spent. */
    eventCharge(connection: object): ((cost: number) => void) | undefined {
      return admitted.get(connection)?.events.charge;
    },

    /** How many events of a cost the connection and its client could pay for now (EventCharges.affordable). */
    eventsAffordable(connection: object): ((cost: number) => number) | undefined {
      return admitted.get(connection)?.events.affordable;
    },

    /** Before running an operation: errors for the client when it is over a limit. */
    async beforeSubscribe(connection: object, running: number): Promise<GraphQLError[] | undefined> {
      // `running` includes the operation being started.
      if (running > limits.maxSubscriptionsPerConnection) {
        return [limitError('maxSubscriptionsPerConnection', `This connection already runs ${running - 1} operations`, limits.maxSubscriptionsPerConnection)];
      }
      const entry = admitted.get(connection);
      const refused = entry ? await charge(entry.token, entry.address) : undefined;
      return refused ? [refused] : undefined;
    },

    /** Open connections, by token or anonymous address (metrics and tests). */
    openConnections(): number {
      let total = 0;
      for (const count of open.values()) total += count;
      return total;
    },
  };
}

export type WebSocketGuard = ReturnType<typeof createWebSocketGuard>;
