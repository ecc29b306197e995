import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSession } from '../server/auth/sessions.js';
import type { ServerContext } from '../server/http/yoga.js';
import type { PageData } from './graphql.js';
import type { PageOptions } from './layout.js';

/** One page request, with the signed-in session when there is one. */
export interface PageRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly session: WebSession | null;
  /** The server context for the page's GraphQL requests: it carries the session's viewer. */
  readonly server: ServerContext;
  readonly data: PageData;
  /** Set-Cookie headers to send with the response. */
  readonly cookies: string[];
}

/** What a route answers: a page (200 unless said), or a redirect after a form (303). */
export type Outcome = { readonly view: PageOptions; readonly status?: number } | { readonly redirect: string };

/** A route answers null when the address is not its own. */
export type PageRoute = (request: PageRequest) => Promise<Outcome | null>;
