import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestOrigin } from './session-cookie.js';

/** Bytes in a submitted form; the longest field (an item's body) is far below it. @default 262144 */
export const MAX_FORM_BYTES = 256 * 1024;

export class FormError extends Error {
  constructor(readonly status: 400 | 403 | 413 | 415, message: string) {
    super(message);
  }
}

/** Reads an `application/x-www-form-urlencoded` body, refusing one past `maxBytes`. */
export async function readForm(req: IncomingMessage, maxBytes = MAX_FORM_BYTES): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError(415, 'forms are sent as application/x-www-form-urlencoded');
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw new FormError(413, 'the form is too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new FormError(413, 'the form is too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Refuses a POST another site made the browser send. Browsers mark every POST with `Origin`
 * and (all current ones) `Sec-Fetch-Site`; SameSite=Lax already keeps the session cookie off
 * a cross-site POST, and the session's CSRF token (`checkCsrfToken`) is the last line.
 */
export function checkSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw new FormError(403, 'the form was sent from another site');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== requestOrigin(req)) throw new FormError(403, 'the form was sent from another site');
}

export function checkCsrfToken(form: URLSearchParams, expected: string): void {
  const given = Buffer.from(form.get('csrf') ?? '');
  const want = Buffer.from(expected);
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new FormError(403, 'the form has expired or was not sent from this site');
  }
}
