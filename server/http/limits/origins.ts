import type { IncomingMessage } from 'node:http';

type CorsOptions = { origin: string[]; credentials: boolean };

/**
 * CORS for a public API: any page may call it with a bearer token, but only the trusted
 * origins (TRUSTED_ORIGINS) are told they may send credentials (cookies). Reflecting every
 * origin with `Access-Control-Allow-Credentials: true`, yoga's default, would let any site
 * read answers made with a visitor's cookies.
 */
export function corsFor(trusted: readonly string[]) {
  return (request: Request): CorsOptions => {
    const origin = request.headers.get('origin');
    return origin !== null && trusted.includes(origin)
      ? { origin: [origin], credentials: true }
      : { origin: ['*'], credentials: false };
  };
}

/**
 * Browsers send an Origin with every WebSocket handshake and no CORS check applies to it, so
 * a page on any site could open a socket with the visitor's cookies. Accepted: clients that
 * are not browsers (no Origin), pages of this hub (the Origin's host is the Host asked for),
 * and the trusted origins.
 */
export function isAllowedWebSocketOrigin(request: IncomingMessage, trusted: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (trusted.includes(origin) || trusted.includes('*')) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
