import { decodeGlobalId } from '../server/kernel/global-id.js';
import type { ServerContext } from '../server/http/yoga.js';
import type { PageData } from './graphql.js';
import type { PageOptions } from './layout.js';
import type { Markdown } from './markdown.js';
import type { PageRoute } from './page-request.js';
import { councilDirectoryPage } from './pages/council-directory.js';
import { COUNCIL_DIRECTORY_QUERY, directoryVariables, parseDirectory, type CouncilDirectoryData } from './pages/council-directory-query.js';
import { councilPage, COUNCIL_PUBLISHED_QUERY, COUNCIL_QUERY, type CouncilData, type CouncilPublishedData } from './pages/council-page.js';
import { itemPage } from './pages/item-page.js';
import { ITEM_PAGE_QUERY, type ItemPageData } from './pages/item-query.js';
import { searchPage } from './pages/search-page.js';
import { SEARCH_PAGE_QUERY, type SearchPageData } from './pages/search-query.js';
import { readSuggestions, suggestionsRequest, type Suggestions } from './pages/suggestions.js';
import { parseSearch, searchFilter, searchPageVariables } from './search-state.js';
import { KIND_PLURALS, KIND_SECTIONS, kindOfPath, kindOfTypename } from './vocabulary.js';

/** The reading pages: search, a page per problem, solution, case study and council, the council directory. */
export function createReadRoutes(markdown: Markdown): PageRoute {
  return async ({ req, url, server, data }) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    const view = await route(url, server, data, markdown);
    return view ? { view } : null;
  };
}

async function route(url: URL, server: ServerContext, data: PageData, markdown: Markdown): Promise<PageOptions | null> {
  if (url.pathname === '/') return search(url.searchParams, server, data);
  if (url.pathname === '/councils') return councilDirectory(url.searchParams, server, data);
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

async function search(params: URLSearchParams, server: ServerContext, data: PageData): Promise<PageOptions> {
  const state = parseSearch(params);
  const result = await data<SearchPageData>(server, SEARCH_PAGE_QUERY, searchPageVariables(state));
  let suggestions: Suggestions | undefined;
  const request = result.search.totalCount === 0 ? suggestionsRequest(state.q, searchFilter(state)) : null;
  if (request) suggestions = readSuggestions(request, await data(server, request.document, request.variables));
  return { ...searchPage(state, result, suggestions), section: state.kinds.length === 1 && !state.q ? KIND_SECTIONS[state.kinds[0]!] : 'search' };
}

async function councilDirectory(params: URLSearchParams, server: ServerContext, data: PageData): Promise<PageOptions> {
  const state = parseDirectory(params);
  const result = await data<CouncilDirectoryData>(server, COUNCIL_DIRECTORY_QUERY, directoryVariables(state));
  return { ...councilDirectoryPage(state, result), breadcrumbs: [{ text: 'Search', href: '/' }] };
}

async function council(slug: string, server: ServerContext, data: PageData): Promise<PageOptions | null> {
  const { council: found } = await data<CouncilData>(server, COUNCIL_QUERY, { slug });
  if (!found) return null;
  const published = await data<CouncilPublishedData>(server, COUNCIL_PUBLISHED_QUERY, { councils: [found.id] });
  return { ...councilPage(found, published), breadcrumbs: [{ text: 'Search', href: '/' }] };
}

export function isIdOf(id: string, kind: string): boolean {
  try {
    return kindOfTypename(decodeGlobalId(id).typename) === kind;
  } catch {
    return false;
  }
}
