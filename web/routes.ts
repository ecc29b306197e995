import type { ServerResponse } from 'node:http';
import type { RouteHandler } from '../server/http/server.js';
import type { HubYoga, ServerContext } from '../server/http/yoga.js';
import type { Logger } from '../server/logger.js';
import { decodeGlobalId } from '../server/kernel/global-id.js';
import { createPageData, PageDataError, type PageData } from './graphql.js';
import { page, type PageOptions } from './layout.js';
import { createMarkdown, type Markdown } from './markdown.js';
import { councilPage, COUNCIL_PUBLISHED_QUERY, COUNCIL_QUERY, type CouncilData, type CouncilPublishedData } from './pages/council-page.js';
import { errorPage } from './pages/error-page.js';
import { itemPage } from './pages/item-page.js';
import { ITEM_PAGE_QUERY, type ItemPageData } from './pages/item-query.js';
import { searchPage } from './pages/search-page.js';
import { SEARCH_PAGE_QUERY, type SearchPageData } from './pages/search-query.js';
import { readSuggestions, suggestionsRequest, type Suggestions } from './pages/suggestions.js';
import { parseSearch, searchFilter, searchPageVariables } from './search-state.js';
import { PAGE_SECURITY_HEADERS } from './security-headers.js';
import { createStaticFiles } from './static.js';
import { KIND_PLURALS, KIND_SECTIONS, kindOfPath, kindOfTypename } from './vocabulary.js';

type View = PageOptions;

const STATUS_BY_CODE: Record<string, number> = { RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503, SEARCH_UNAVAILABLE: 503, INVALID_ID: 404 };

/**
 * The web pages, served by the hub at `/`: GOV.UK Frontend's files, the search page, a page
 * per problem, solution, case study and council. Every GET outside /graphql lands here, so
 * an unknown address gets a GOV.UK "Page not found" rather than a GraphQL error.
 */
export function createWebRoutes({ yoga, logger, holdsSampleData }: {
  yoga: HubYoga;
  logger: Logger;
  /** Whether to show the sample-data banner: the app answers false in server mode. */
  holdsSampleData: () => Promise<boolean>;
}): RouteHandler {
  const data = createPageData(yoga);
  const markdown = createMarkdown();
  const files = createStaticFiles();

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = new URL(req.url ?? '/', 'http://hub.internal');
    if (url.pathname.startsWith('/graphql')) return false;
    const head = req.method === 'HEAD';
    if (await files.serve(url.pathname, req.headers['if-none-match'], head, res)) return true;
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
    let sampleBanner = false;
    try {
      sampleBanner = await holdsSampleData();
      const view = await route(url, { req, res }, timedData, markdown);
      sendPage(res, view ? 200 : 404, { ...(view ?? errorPage(404)), sampleBanner }, head, timing);
    } catch (error) {
      const code = error instanceof PageDataError ? error.errors[0]?.extensions?.code : undefined;
      const status = (code && STATUS_BY_CODE[code]) || 500;
      if (status === 500) logger.error('web page failed', { url: req.url, error });
      sendPage(res, status, { ...errorPage(status, code), sampleBanner }, head, timing);
    }
    return true;
  };
}

async function route(url: URL, server: ServerContext, data: PageData, markdown: Markdown): Promise<View | null> {
  if (url.pathname === '/') return search(url.searchParams, server, data);
  const item = /^\/([a-z-]+)\/([A-Za-z0-9_-]{1,200}={0,2})$/.exec(url.pathname);
  if (!item) return null;
  if (item[1] === 'councils') return council(item[2]!, server, data);
  const kind = kindOfPath(item[1]!);
  if (!kind || !isIdOf(item[2]!, kind)) return null;
  const result = await data<ItemPageData>(server, ITEM_PAGE_QUERY, { id: item[2] });
  if (!result.node) return null;
  const view = itemPage({ ...result, node: result.node }, markdown);
  return { ...view, section: KIND_SECTIONS[kind], breadcrumbs: [
    { text: 'Search', href: '/' },
    { text: KIND_PLURALS[kind], href: `/?kind=${kind}` },
    { text: result.node.council.name, href: `/councils/${encodeURIComponent(result.node.council.slug)}` },
  ] };
}

async function search(params: URLSearchParams, server: ServerContext, data: PageData): Promise<View> {
  const state = parseSearch(params);
  const result = await data<SearchPageData>(server, SEARCH_PAGE_QUERY, searchPageVariables(state));
  let suggestions: Suggestions | undefined;
  const request = result.search.totalCount === 0 ? suggestionsRequest(state.q, searchFilter(state)) : null;
  if (request) suggestions = readSuggestions(request, await data(server, request.document, request.variables));
  return { ...searchPage(state, result, suggestions), section: state.kinds.length === 1 && !state.q ? KIND_SECTIONS[state.kinds[0]!] : 'search' };
}

async function council(slug: string, server: ServerContext, data: PageData): Promise<View | null> {
  const { council: found } = await data<CouncilData>(server, COUNCIL_QUERY, { slug });
  if (!found) return null;
  const published = await data<CouncilPublishedData>(server, COUNCIL_PUBLISHED_QUERY, { councils: [found.id] });
  return { ...councilPage(found, published), breadcrumbs: [{ text: 'Search', href: '/' }] };
}

function isIdOf(id: string, kind: string): boolean {
  try {
    return kindOfTypename(decodeGlobalId(id).typename) === kind;
  } catch {
    return false;
  }
}

function sendPage(res: ServerResponse, status: number, view: View, head: boolean, timing: { started: number; graphqlMs: number }): void {
  const body = page(view);
  const totalMs = performance.now() - timing.started;
  res.writeHead(status, {
    ...PAGE_SECURITY_HEADERS,
    'server-timing': `graphql;dur=${timing.graphqlMs.toFixed(2)}, render;dur=${(totalMs - timing.graphqlMs).toFixed(2)}, total;dur=${totalMs.toFixed(2)}`,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-cache',
    ...(status === 429 || status === 503 ? { 'retry-after': '5' } : {}),
  });
  res.end(head ? undefined : body);
}
