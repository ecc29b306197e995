import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { isMember, type Viewer } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import { clientAddress } from './client-address.js';
import type { EventAllowances } from './event-allowance.js';

/** Whose allowance a subscriber's events are charged to: its API token (or session's member), else its address. */
export function eventClientKey(viewer: Viewer, address: string): string {
  if (!isMember(viewer)) return `address:${address}`;
  return viewer.tokenId ? `token:${viewer.tokenId}` : `member:${viewer.memberId}`;
}

/**
 * Subscriptions over HTTP (SSE) pay for each event as WebSocket ones do (websocket-guard.ts):
 * the request is the connection, and the client's allowance is the one its sockets share,
 * so moving from WebSocket to SSE buys nothing. A WebSocket subscription arrives here with
 * its charge already set and is left alone.
 */
export function useEventCharges(allowances: EventAllowances, trustProxy: boolean): Plugin<Context & { req?: IncomingMessage }> {
  return {
    onSubscribe({ args, extendContext }) {
      const context = args.contextValue;
      if (context.chargeEvent || !context.req) return;
      const events = allowances.open(eventClientKey(context.viewer, clientAddress(context.req, trustProxy)));
      context.req.once('close', events.close);
      extendContext({ chargeEvent: events.charge, affordEvents: events.affordable });
    },
  };
}
