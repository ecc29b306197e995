import type { HubYoga, ServerContext } from '../server/http/yoga.js';

export interface GraphQLResult<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A GraphQL error on the page's own request: the page shows the error page, not half the data. */
export class PageDataError extends Error {
  constructor(readonly errors: NonNullable<GraphQLResult<unknown>['errors']>) {
    super(`the page's GraphQL request failed: ${errors.map((e) => e.extensions?.code ?? e.message).join(', ')}`);
  }
}

/**
 * The pages' only data path: each operation runs through the hub's own yoga instance in
 * process (no socket), so it meets the same schema, limits, masking and visibility rules
 * as any API client. Pages ask anonymously and so see published items only. The page
 * request's own server context goes along, so rate limits count the real client address.
 */
export function createPageData(yoga: HubYoga) {
  return async function query<T>(server: ServerContext, document: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await yoga.fetch('http://hub.internal/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
      },
      body: JSON.stringify({ query: document, variables }),
    }, server);
    const result = (await response.json()) as GraphQLResult<T>;
    if (result.errors?.length || !result.data) throw new PageDataError(result.errors ?? []);
    return result.data;
  };
}

export type PageData = ReturnType<typeof createPageData>;
