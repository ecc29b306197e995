import { readFile } from 'node:fs/promises';
import { GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';

/** The allow-list of documents trusted clients may run by id. */
export interface PersistedOperations {
  /** The document stored under an id. */
  get(id: string): string | undefined;
  /** True when this exact text is one of the stored documents. */
  includes(text: string): boolean;
  readonly size: number;
}

/**
 * Loads `{ "<id>": "<document>" }`, the format GraphQL Code Generator's persisted documents
 * write (ids are usually the sha256 of the text). Every document must parse and validate
 * against the schema, so a stale allow-list stops the server at start-up, not a client later.
 */
export async function loadPersistedOperations(file: string, schema: GraphQLSchema): Promise<PersistedOperations> {
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`could not read persisted operations from ${file}`, { cause: error });
  }
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw new Error(`${file} must hold a JSON object of id to document`);
  }
  const byId = new Map<string, string>();
  for (const [id, text] of Object.entries(entries)) {
    if (typeof text !== 'string') throw new Error(`persisted operation ${id} in ${file} is not a string`);
    const errors = validate(schema, parse(text));
    if (errors.length > 0) throw new Error(`persisted operation ${id} in ${file} is invalid: ${errors[0]!.message}`);
    byId.set(id, text);
  }
  const texts = new Set(byId.values());
  return { get: (id) => byId.get(id), includes: (text) => texts.has(text), size: byId.size };
}

type Params = GraphQLParams & { documentId?: unknown };

/**
 * Resolves `documentId` (the GraphQL-over-HTTP proposal, also as a GET parameter) or Apollo's
 * `extensions.persistedQuery.sha256Hash` to the stored document. The allow-list is fixed:
 * unknown ids are never registered. Errors follow the APQ protocol, whose clients (Apollo's
 * persisted-queries link, urql's persistedExchange) match on the message: an unknown hash is
 * `PersistedQueryNotFound`, so they resend it with the full text; a hub with no allow-list
 * answers `PersistedQueryNotSupported`, so they stop sending hashes at all.
 */
export function usePersistedOperations(operations: PersistedOperations | undefined): Plugin {
  return {
    onParams({ params, setParams, request }) {
      const { documentId, ...rest } = params as Params;
      const fromUrl = request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null;
      const id = documentId ?? fromUrl ?? params.extensions?.persistedQuery?.sha256Hash;
      if (id === undefined || id === null) return;
      if (typeof rest.query === 'string' && rest.query !== '') return setParams(rest);
      if (operations === undefined) throw persistedQueryError('PersistedQueryNotSupported', 'PERSISTED_QUERY_NOT_SUPPORTED', 400);
      if (typeof id !== 'string') throw persistedQueryError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 404, 'documentId must be a string');
      const query = operations.get(id);
      if (query === undefined) throw persistedQueryError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 404, `No persisted operation has the id "${id.slice(0, 100)}"`);
      setParams({ ...rest, query });
    },
  };
}

/** The message is the protocol's fixed word (clients compare it); `detail` says more for people. */
function persistedQueryError(message: string, code: string, status: number, detail?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(detail ? { detail } : {}), http: { status } } });
}
