import { isServiceArea } from '../server/domain/service-areas.js';
import { decodeGlobalId, encodeGlobalId } from '../server/kernel/global-id.js';
import type { ServerContext } from '../server/http/yoga.js';
import type { PageData } from './graphql.js';
import type { PageOptions } from './layout.js';
import type { Markdown } from './markdown.js';
import { followButton, viewerFollows } from './follow-button.js';
import type { PageRequest, PageRoute } from './page-request.js';
import { commentForm, itemActions, OWN_CONTACTS_QUERY, OWN_SOLUTIONS_QUERY, type OwnContact, type OwnSolution } from './pages/item-actions.js';
import { serviceAreaPage, SERVICE_AREA_QUERY, type ServiceAreaData } from './pages/service-area-page.js';
import { councilDirectoryPage } from './pages/council-directory.js';
import { COUNCIL_DIRECTORY_QUERY, directoryVariables, parseDirectory, type CouncilDirectoryData } from './pages/council-directory-query.js';
import { councilPage, COUNCIL_PUBLISHED_QUERY, COUNCIL_QUERY, type CouncilData, type CouncilPublishedData } from './pages/council-page.js';
import { insightsPage } from './pages/insights-page.js';
import { INSIGHTS_QUERY, type InsightsData } from './pages/insights-query.js';
import { itemPage } from './pages/item-page.js';
import { ITEM_PAGE_QUERY, type ItemPageData } from './pages/item-query.js';
import { searchPage } from './pages/search-page.js';
import { SEARCH_PAGE_QUERY, type SearchPageData } from './pages/search-query.js';
import { readSuggestions, suggestionsRequest, type Suggestions } from './pages/suggestions.js';
import { parseSearch, searchFilter, searchPageVariables } from './search-state.js';
import { KIND_PLURALS, KIND_SECTIONS, kindOfPath, kindOfTypename } from './vocabulary.js';

/** The reading pages: search, a page per problem, solution, case study and council, the council directory. */
export function createReadRoutes(markdown: Markdown): PageRoute {
  return async (request) => {
    if (request.req.method !== 'GET' && request.req.method !== 'HEAD') return null;
    const view = await route(request, markdown);
    return view ? { view } : null;
  };
}

async function route(request: PageRequest, markdown: Markdown): Promise<PageOptions | null> {
  const { url, server, data, session } = request;
  if (url.pathname === '/') return search(url.searchParams, server, data);
  if (url.pathname === '/councils') return councilDirectory(url.searchParams, server, data);
  if (url.pathname === '/insights') {
    const view = insightsPage(await data<InsightsData>(server, INSIGHTS_QUERY));
    return { ...view, section: 'insights', breadcrumbs: [{ text: 'Search', href: '/' }] };
  }
  const item = /^\/([a-z-]+)\/([A-Za-z0-9_-]{1,200}={0,2})$/.exec(url.pathname);
  if (!item) return null;
  if (item[1] === 'councils') return council(request, item[2]!);
  if (item[1] === 'service-areas') return serviceArea(request, item[2]!);
  const kind = kindOfPath(item[1]!);
  if (!kind || !isIdOf(item[2]!, kind)) return null;
  const [result, follows] = await Promise.all([data<ItemPageData>(server, ITEM_PAGE_QUERY, { id: item[2] }), viewerFollows(request)]);
  if (!result.node) return null;
  const signedIn = session ? {
    session,
    actions: itemActions(result.node, session, follows, url.pathname, await ownSolutions(request, kind), await ownContacts(request, result.node.viewerCanEdit)),
    commentForm: commentForm(result.node, session, COMMENT_ERRORS[url.searchParams.get('comment') ?? '']),
  } : undefined;
  const view = itemPage({ ...result, node: result.node }, markdown, signedIn);
  return { ...view, section: KIND_SECTIONS[kind], breadcrumbs: [
    { text: 'Search', href: '/' },
    { text: KIND_PLURALS[kind], href: `/?kind=${kind}` },
    { text: result.node.council.name, href: `/councils/${encodeURIComponent(result.node.council.slug)}` },
  ] };
}

const COMMENT_ERRORS: Record<string, string> = { empty: 'Enter a comment', long: 'Comment must be 10,000 characters or fewer' };

async function ownSolutions(request: PageRequest, kind: string): Promise<OwnSolution[]> {
  if (!request.session || kind !== 'PROBLEM') return [];
  const council = encodeGlobalId('Council', request.session.viewer.councilId);
  const { solutions } = await request.data<{ solutions: { edges: { node: OwnSolution }[] } }>(request.server, OWN_SOLUTIONS_QUERY, { council });
  return solutions.edges.map((e) => e.node);
}

async function ownContacts(request: PageRequest, canEdit: boolean): Promise<OwnContact[]> {
  if (!request.session || !canEdit) return [];
  const { council } = await request.data<{ council: { contacts: OwnContact[] | null } | null }>(request.server, OWN_CONTACTS_QUERY, { slug: request.session.council.slug });
  return council?.contacts ?? [];
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

async function council(request: PageRequest, slug: string): Promise<PageOptions | null> {
  const { server, data, session } = request;
  const [{ council: found, serviceAreas }, follows] = await Promise.all([data<CouncilData>(server, COUNCIL_QUERY, { slug }), viewerFollows(request)]);
  if (!found) return null;
  const published = await data<CouncilPublishedData>(server, COUNCIL_PUBLISHED_QUERY, { councils: [found.id] });
  const follow = session ? followButton(session, follows, { field: 'council', value: found.id, name: found.name }, request.url.pathname) : undefined;
  const admin = session?.viewer.role === 'admin' && encodeGlobalId('Council', session.viewer.councilId) === found.id;
  return { ...councilPage(found, published, follow, admin, serviceAreas), breadcrumbs: [{ text: 'Search', href: '/' }] };
}

async function serviceArea(request: PageRequest, segment: string): Promise<PageOptions | null> {
  const code = segment.toUpperCase().replaceAll('-', '_');
  if (!isServiceArea(code.toLowerCase())) return null;
  const [result, follows] = await Promise.all([request.data<ServiceAreaData>(request.server, SERVICE_AREA_QUERY, { areas: [code] }), viewerFollows(request)]);
  const area = result.serviceAreas.find((a) => a.code === code);
  if (!area) return null;
  const follow = request.session ? followButton(request.session, follows, { field: 'serviceArea', value: code, name: area.name }, request.url.pathname) : undefined;
  return { ...serviceAreaPage(area, result, follow), breadcrumbs: [{ text: 'Search', href: '/' }] };
}

export function isIdOf(id: string, kind: string): boolean {
  try {
    return kindOfTypename(decodeGlobalId(id).typename) === kind;
  } catch {
    return false;
  }
}

/** The global id an address segment holds, when it is an id of `kind`. */
export function idInPath(segment: string, kind: string): string | undefined {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return isIdOf(id, kind) ? id : undefined;
}
