import type { Server, ServerOptions } from 'node:http';
import type { RequestLimits } from '../../config-hardening.js';

type Timeouts = Pick<RequestLimits, 'requestTimeoutMs' | 'headersTimeoutMs'>;

/**
 * Node's own timeouts for a request's headers and for the whole request, body included: a
 * client that trickles its body is answered 408 and disconnected, instead of holding a socket
 * and a parser for Node's default of 300 s. Node checks them every
 * `connectionsCheckingInterval`, read when the server starts listening.
 */
export function requestTimeoutOptions(limits: Timeouts): ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs, 4_000) / 4),
  };
}

/** Applies them to a server made elsewhere (the interval only if it is not listening yet). */
export function applyRequestTimeouts(server: Server, limits: Timeouts): void {
  const options = requestTimeoutOptions(limits);
  server.requestTimeout = options.requestTimeout!;
  server.headersTimeout = options.headersTimeout!;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = options.connectionsCheckingInterval!;
}
