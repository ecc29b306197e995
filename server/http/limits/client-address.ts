import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from. Behind one reverse proxy (TRUST_PROXY), that is the last
 * X-Forwarded-For entry, the one the proxy itself appended; earlier entries are the client's
 * own claims and cannot be trusted.
 */
export function clientAddress(req: IncomingMessage | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req?.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
    if (last) return last;
  }
  return req?.socket.remoteAddress ?? 'unknown';
}
