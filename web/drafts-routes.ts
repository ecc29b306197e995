import type { PageRoute } from './page-request.js';
import { DRAFTS_PAGE_SIZE, DRAFTS_QUERY, draftsPage, type DraftsData } from './pages/drafts-page.js';

/** Your council's drafts, for its signed-in members. */
export function createDraftsRoutes(): PageRoute {
  return async (request) => {
    if (request.url.pathname !== '/drafts' || request.req.method === 'POST') return null;
    if (!request.session) return { redirect: '/sign-in' };
    const data = await request.data<DraftsData>(request.server, DRAFTS_QUERY, { first: DRAFTS_PAGE_SIZE });
    return { view: draftsPage(request.session, data) };
  };
}
