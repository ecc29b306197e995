import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { CsrfPrevention } from '../../config-hardening.js';

// Content types a browser sends cross-site without a CORS preflight (an HTML form can).
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
/** Any of these forces a preflight, so a request carrying one was allowed by CORS. */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'graphql-require-preflight', 'authorization'];

/**
 * yoga's CSRF prevention (@graphql-yoga/plugin-csrf-prevention), with one setting more. A
 * request a browser could send cross-site without asking (a form POST, a plain GET) must
 * carry a preflight-forcing header. `post` leaves GET alone: yoga never runs a mutation from
 * a GET, and API tokens travel in the Authorization header, which no browser adds on its own;
 * EventSource (SSE over GET) cannot set headers at all. `all` guards GET too, as yoga does.
 */
export function useCsrfPrevention(mode: Exclude<CsrfPrevention, 'off'>): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method === 'GET' && mode === 'post') return;
      const type = request.headers.get('content-type')?.toLowerCase();
      const preflighted = type !== undefined && type !== '' && !SIMPLE_CONTENT_TYPES.some((simple) => type.startsWith(simple));
      if (preflighted || CSRF_HEADERS.some((header) => request.headers.has(header))) return;
      throw new GraphQLError(`This request could come from another site's page: send it as application/json or with one of the headers ${CSRF_HEADERS.join(', ')}`, {
        extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } },
      });
    },
  };
}
