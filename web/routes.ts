import type { ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import { createSessionStore } from '../server/auth/sessions.js';
import type { SignInConfig } from '../server/auth/sign-in-config.js';
import type { Database } from '../server/db/database.js';
import type { RouteHandler } from '../server/http/server.js';
import type { HubYoga, ServerContext } from '../server/http/yoga.js';
import type { Logger } from '../server/logger.js';
import { FormError } from './forms.js';
import { createPageData, PageDataError, type PageData } from './graphql.js';
import { page, type PageOptions } from './layout.js';
import { createMarkdown } from './markdown.js';
import { type Outcome, type PageRequest, type PageRoute } from './page-request.js';
import { apiPage } from './pages/api-page.js';
import { errorPage } from './pages/error-page.js';
import { formRefusedPage } from './pages/sign-in-pages.js';
import { createDataPages } from './open-data/data-pages.js';
import { createReadRoutes } from './read-routes.js';
import { PAGE_SECURITY_HEADERS } from './security-headers.js';
import { createCookie } from './session-cookie.js';
import { createSignInRoutes } from './sign-in/routes.js';
import { createStaticFiles } from './static.js';
import { createItemRoutes } from './write/item-routes.js';
import { createStanceRoutes } from './write/stance-routes.js';
import { createCommentRoutes } from './write/comment-routes.js';
import { createContactRoutes } from './contact-routes.js';
import { createDraftsRoutes } from './drafts-routes.js';
import { createFollowRoutes } from './follow-routes.js';
import { createInboxRoutes, unreadCount } from './inbox-routes.js';
import { createMemberRoutes } from './member-routes.js';
import { createModerationRoutes } from './moderation-routes.js';
import { createSystemRoutes } from './system-routes.js';
import { createWebhookRoutes } from './webhook-routes.js';

const STATUS_BY_CODE: Record<string, number> = { RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503, SEARCH_UNAVAILABLE: 503, INVALID_ID: 404 };

export interface WebDeps {
  readonly yoga: HubYoga;
  readonly logger: Logger;
  readonly db: Kysely<Database>;
  readonly signIn: SignInConfig;
  /** Whether to show the sample-data banner: the app answers false in server mode. */
  readonly holdsSampleData: () => Promise<boolean>;
  /** @default Date.now */
  readonly clock?: () => number;
  /** Whether /api links to GraphiQL. */
  readonly graphiql: boolean;
}

/**
 * The web pages, served by the hub at `/`: GOV.UK Frontend's files, the search page, a page
 * per problem, solution, case study and council, sign-in and the signed-in pages. Every GET
 * and form POST outside /graphql lands here, so an unknown address gets a GOV.UK "Page not
 * found" rather than a GraphQL error.
 */
export function createWebRoutes(deps: WebDeps): RouteHandler {
  const data = createPageData(deps.yoga);
  const files = createStaticFiles();
  const sessions = createSessionStore({ db: deps.db, settings: deps.signIn.sessions, ...(deps.clock ? { clock: deps.clock } : {}) });
  const sessionCookie = createCookie('cc_session');
  const markdown = createMarkdown();
  const routes: PageRoute[] = [
    createSignInRoutes({ db: deps.db, sessions, config: deps.signIn, sessionCookie, ...(deps.clock ? { clock: deps.clock } : {}) }),
    createItemRoutes(),
    createStanceRoutes(),
    createCommentRoutes(markdown),
    createContactRoutes(),
    createFollowRoutes(),
    createInboxRoutes(),
    createDraftsRoutes(),
    createMemberRoutes(),
    createModerationRoutes(),
    createSystemRoutes(),
    createWebhookRoutes(),
    createReadRoutes(markdown),
    createDataPages(),
    // How to call the API: the footer's "GraphQL API" link (/graphql itself answers 406 to a browser).
    async ({ req, url }) => url.pathname === '/api' && req.method !== 'POST' ? { view: apiPage({ graphiql: deps.graphiql }) } : null,
  ];

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return false;
    const url = new URL(req.url ?? '/', 'http://hub.internal');
    if (url.pathname.startsWith('/graphql')) return false;
    const head = req.method === 'HEAD';
    if (req.method !== 'POST' && await files.serve(url.pathname, req.headers['if-none-match'], head, res)) return true;
    const timing = { started: performance.now(), graphqlMs: 0 };
    // Server-Timing splits each page's time into its GraphQL requests and the rest (routing
    // and HTML), so the cost of rendering can be read per request (bench/web.ts does).
    const timedData = (async (server, document, variables) => {
      const t = performance.now();
      try {
        return await data(server, document, variables);
      } finally {
        timing.graphqlMs += performance.now() - t;
      }
    }) as PageData;
    // Anonymous visitors carry no cookie and get none: their pages stay public and cacheable.
    const cookie = sessionCookie.read(req);
    const session = cookie ? await sessions.find(cookie) : null;
    const server: ServerContext = session ? { req, res, viewer: session.viewer } : { req, res };
    const request: PageRequest = { req, res, url, session, server, data: timedData, cookies: [] };
    if (cookie && !session) request.cookies.push(sessionCookie.clear(req));
    let outcome: Outcome;
    let sampleBanner = false;
    let unread: number | null = null;
    try {
      sampleBanner = await deps.holdsSampleData();
      outcome = await first(routes, request) ?? { status: 404, view: errorPage(404) };
      // Read after the route, so a page shown after marking notifications read counts them read.
      if (!('redirect' in outcome)) unread = await unreadCount(request);
    } catch (error) {
      outcome = failure(error, req.url, deps.logger);
    }
    send(res, request, { outcome, sampleBanner, unread }, head, timing);
    return true;
  };
}

async function first(routes: readonly PageRoute[], request: PageRequest): Promise<Outcome | null> {
  for (const route of routes) {
    const outcome = await route(request);
    if (outcome) return outcome;
  }
  return null;
}

function failure(error: unknown, url: string | undefined, logger: Logger): Outcome {
  if (error instanceof FormError) return { status: error.status, view: formRefusedPage(error.message) };
  const code = error instanceof PageDataError ? error.errors[0]?.extensions?.code : undefined;
  const status = (code && STATUS_BY_CODE[code]) || 500;
  if (status === 500) logger.error('web page failed', { url, error });
  return { status, view: errorPage(status, code) };
}

function send(res: ServerResponse, request: PageRequest, { outcome, sampleBanner, unread }: { outcome: Outcome; sampleBanner: boolean; unread: number | null }, head: boolean, timing: { started: number; graphqlMs: number }): void {
  const cookies = request.cookies.length > 0 ? { 'set-cookie': request.cookies } : {};
  // A signed-in page is the member's own: never stored by a browser cache or a proxy.
  const caching = request.session ? 'private, no-store' : 'no-cache';
  if ('redirect' in outcome) {
    res.writeHead(303, { ...PAGE_SECURITY_HEADERS, location: outcome.redirect, 'cache-control': 'no-store', ...cookies });
    res.end();
    return;
  }
  const status = outcome.status ?? 200;
  // Every page, error pages and the sign-in pages too, says when the hub holds sample data.
  const view: PageOptions = request.session
    ? { ...outcome.view, sampleBanner, account: { name: request.session.member.name, council: request.session.council.name, unread } }
    : { ...outcome.view, sampleBanner };
  const body = page(view);
  const totalMs = performance.now() - timing.started;
  res.writeHead(status, {
    ...PAGE_SECURITY_HEADERS,
    'server-timing': `graphql;dur=${timing.graphqlMs.toFixed(2)}, render;dur=${(totalMs - timing.graphqlMs).toFixed(2)}, total;dur=${totalMs.toFixed(2)}`,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': caching,
    vary: 'Cookie',
    ...cookies,
    ...(status === 429 || status === 503 ? { 'retry-after': '5' } : {}),
  });
  res.end(head ? undefined : body);
}
