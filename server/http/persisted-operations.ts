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
 * unknown ids are an error, never registered.
 */
export function usePersistedOperations(operations: PersistedOperations): Plugin {
  return {
    onParams({ params, setParams, request }) {
      const { documentId, ...rest } = params as Params;
      const fromUrl = request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null;
      const id = documentId ?? fromUrl ?? params.extensions?.persistedQuery?.sha256Hash;
      if (id === undefined || id === null) return;
      if (typeof id !== 'string') throw notFound('documentId must be a string');
      if (typeof rest.query === 'string' && rest.query !== '') return setParams(rest);
      const query = operations.get(id);
      if (query === undefined) throw notFound(`No persisted operation has the id "${id.slice(0, 100)}"`);
      setParams({ ...rest, query });
    },
  };
}

function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } });
}
