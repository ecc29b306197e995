import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type DocumentNode, type FieldNode, type GraphQLSchema, type ValidationContext } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { authenticate } from '../auth/tokens.js';
import type { Viewer } from '../auth/viewer.js';
import { createContext, type Context } from '../context.js';
import { DomainError, toGraphQLError } from '../kernel/errors.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { isUnexpected, maskError } from './error-masking.js';
import type { Metrics } from '../kernel/metrics.js';
import { useSharedSubscriptions } from './shared-subscriptions.js';
import { useCompiledExecution } from './use-compiled-execution.js';

export interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
  /**
   * The signed-in member of a web page's own in-process request (web/graphql.ts). Only the
   * pages set it, after checking the session; a request from outside never carries one, so
   * /graphql itself authenticates by API token alone (a cookie there would need CSRF checks).
   */
  viewer?: Viewer;
}

export type HubYoga = YogaServerInstance<ServerContext, Context>;

export interface YogaDeps {
  readonly schema: GraphQLSchema;
  readonly db: Kysely<Database>;
  readonly services: Services;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** @see CompiledExecutionOptions.compileAfter */
  readonly compileAfterRuns?: number;
  readonly plugins?: Plugin<any>[];
  /** Body size cap and batching; yoga's defaults (25 MB, no batching) when absent. */
  readonly requestLimits?: { readonly maxBodyBytes: number; readonly maxBatchSize: number };
  /** CORS answers (limits/origins.ts); yoga's default, every origin with credentials, when absent. */
  readonly cors?: (request: Request) => { origin: string[]; credentials: boolean };
  /** Caches for parsed documents and parse errors; yoga's 1,024-entry LRUs when absent. */
  readonly parserCache?: { readonly documentCache: Cache<DocumentNode>; readonly errorCache: Cache<unknown> };
}

interface Cache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createHubYoga(deps: YogaDeps): HubYoga {
  return createYoga<ServerContext, Context>({
    schema: deps.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: deps.graphiql ? { title: 'Council Commons', defaultQuery: DEFAULT_QUERY } : false,
    // GraphiQL's code comes inlined from the installed package: yoga's default page loads it
    // from a CDN, which a council firewall or an offline laptop leaves on "Loading…".
    renderGraphiQL,
    maskedErrors: { maskError },
    logging: false,
    // Nothing in the schema takes a file: multipart requests are one more parser to attack.
    multipart: false,
    ...(deps.parserCache ? { parserAndValidationCache: { documentCache: deps.parserCache.documentCache, errorCache: deps.parserCache.errorCache } } : {}),
    // The request guard (limits/use-request-guard.ts) enforces the size cap as it reads the
    // body. Yoga's own limiter pipes every body through one more stream; a hub built without
    // protections (bench:limits' baseline) reads bodies as they come.
    maxRequestBodySize: false,
    ...(deps.cors ? { cors: deps.cors } : {}),
    ...(deps.requestLimits ? {
      batching: deps.requestLimits.maxBatchSize > 1 ? { limit: deps.requestLimits.maxBatchSize } : false,
    } : {}),
    context: async ({ request, viewer: pageViewer }) => {
      const given = request.headers.get('x-request-id');
      const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
      try {
        const viewer = pageViewer ?? await authenticate(deps.db, request.headers.get('authorization'));
        return createContext(deps.services, viewer, requestId);
      } catch (error) {
        if (error instanceof DomainError) {
          throw toGraphQLError(error, { extensions: { http: { status: 401 } } });
        }
        deps.logger.error('could not build the request context', { requestId, error });
        throw error;
      }
    },
    plugins: [
      useErrorLog(deps.logger),
      useSharedSubscriptions({ logger: deps.logger, metrics: deps.metrics }),
      ...(deps.introspection ? [] : [useNoIntrospection()]),
      ...(deps.plugins ?? []),
      // Last, so the limits and guards above decide first whether an operation runs at all.
      useCompiledExecution({ compileAfter: deps.compileAfterRuns }),
    ],
  });
}

/** Logs each unexpected error with its cause and the request id the client was given. */
function useErrorLog(logger: Logger): Plugin<Context> {
  return {
    onExecute: () => ({
      onExecuteDone: ({ args, result }) => {
        if (!('errors' in result) || !result.errors) return;
        for (const error of result.errors) {
          if (isUnexpected(error)) {
            logger.error('unexpected error', { requestId: args.contextValue.requestId, path: error.path?.join('.'), error: error.originalError });
          }
        }
      },
    }),
  };
}

function useNoIntrospection(): Plugin {
  return {
    onValidate: ({ addValidationRule }) => {
      addValidationRule((context: ValidationContext) => ({
        Field(node: FieldNode) {
          if (node.name.value === '__schema' || node.name.value === '__type') {
            context.reportError(new GraphQLError('introspection is disabled on this server', { nodes: [node], extensions: { code: 'INTROSPECTION_DISABLED' } }));
          }
        },
      }));
    },
  };
}

const DEFAULT_QUERY = `# Welcome to Council Commons.
# Newest published problems, with the councils that share them:
query NewestProblems {
  problems(first: 10) {
    edges {
      node {
        id
        title
        serviceArea
        supporterCount
        council { name region }
      }
    }
  }
}
`;
