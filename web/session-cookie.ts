import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a request reached the hub over plain HTTP on this machine (`npm start`, tests).
 * Only there is the session cookie sent without `Secure`; anywhere else a browser must be
 * on HTTPS (directly or through a proxy) to keep it.
 */
export function isPlainLocalhost(req: IncomingMessage): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return false;
  if (req.headers['x-forwarded-proto'] === 'https') return false;
  return LOOPBACK.has(hostnameOf(req));
}

/** The origin a browser used to reach the hub, from the Host header. */
export function requestOrigin(req: IncomingMessage): string {
  const tls = (req.socket as { encrypted?: boolean }).encrypted || req.headers['x-forwarded-proto'] === 'https';
  return `${tls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

function hostnameOf(req: IncomingMessage): string {
  try {
    return new URL(`http://${req.headers.host ?? ''}`).hostname;
  } catch {
    return '';
  }
}

/**
 * A cookie set by the hub: HttpOnly and SameSite=Lax always, and `Secure` with the
 * `__Host-` prefix (no Domain, path /, HTTPS only) everywhere but plain-HTTP localhost.
 */
export function createCookie(baseName: string) {
  const nameFor = (req: IncomingMessage) => (isPlainLocalhost(req) ? baseName : `__Host-${baseName}`);
  return {
    read(req: IncomingMessage): string | undefined {
      return readCookie(req.headers.cookie, nameFor(req));
    },
    set(req: IncomingMessage, value: string, maxAgeSeconds?: number): string {
      const secure = isPlainLocalhost(req) ? '' : '; Secure';
      const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`;
      return `${nameFor(req)}=${value}; Path=/; HttpOnly; SameSite=Lax${secure}${age}`;
    },
    clear(req: IncomingMessage): string {
      return this.set(req, '', 0);
    },
  };
}

export type Cookie = ReturnType<typeof createCookie>;

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
