import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Kysely } from 'kysely';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config.js';
import { loadPersistedOperations, usePersistedOperations } from '../persisted-operations.js';
import { answerClientErrors } from './client-errors.js';
import { meterResolvedObjects, useExecutionBudget } from './execution-budget.js';
import { useOperationLimits } from './operation-limits.js';
import { corsFor } from './origins.js';
import { createParserCache } from './parser-cache.js';
import { createRateLimiter } from './rate-limiter.js';
import { applyRequestTimeouts } from './request-timeouts.js';
import { useCsrfPrevention } from './use-csrf-prevention.js';
import { useNulGuard } from './use-nul-guard.js';
import { useRateLimit } from './use-rate-limit.js';
import { useRequestGuard } from './use-request-guard.js';
import { createEventAllowances } from './event-allowance.js';
import { useEventCharges } from './use-event-charges.js';
import { createWebSocketGuard } from './websocket-guard.js';

/**
 * Everything that protects the hub from hostile or careless clients, built from the config:
 * options and plugins for yoga (in the order they act on a request), the WebSocket guard,
 * and the HTTP server's answer to requests Node's parser rejects. One rate limiter serves
 * HTTP and WebSocket alike (its counters in `db` when the store is `postgres`). Meters the schema's object fields for the execution budget.
 */
export async function createProtections(config: Config, schema: GraphQLSchema, db: Kysely<any>, clock?: () => number) {
  const persisted = config.persistedOperationsFile ? await loadPersistedOperations(config.persistedOperationsFile, schema) : undefined;
  const limiter = createRateLimiter(config.rateLimits, db);
  const parserCache = createParserCache(config.documentCacheChars);
  // One allowance per client for its subscriptions' events, over WebSocket and SSE alike.
  const { eventCostPerConnection: perConnection, eventCostPerClient: perClient } = config.webSocketLimits;
  const allowances = createEventAllowances({ perConnection, perClient }, clock);
  const plugins: Plugin<any, any>[] = [
    ...(limiter.enabled ? [useRateLimit(limiter)] : []),
    ...(config.csrfPrevention === 'off' ? [] : [useCsrfPrevention(config.csrfPrevention)]),
    useRequestGuard(config.requestLimits),
    usePersistedOperations(persisted),
    useOperationLimits({
      limits: config.operationLimits,
      ...(persisted ? { isTrusted: persisted.includes, trustedOnly: config.persistedOperationsOnly } : {}),
    }),
    useNulGuard(),
    parserCache.plugin,
    useExecutionBudget(config.operationLimits.maxResolvedObjects),
    useEventCharges(allowances, config.rateLimits.trustProxy),
  ];
  meterResolvedObjects(schema);
  return {
    yoga: { requestLimits: config.requestLimits, parserCache, plugins, cors: corsFor(config.trustedOrigins) },
    guard: createWebSocketGuard(config.webSocketLimits, limiter, allowances, config.rateLimits.trustProxy, config.trustedOrigins),
    attach(server: Server): void {
      answerClientErrors(server);
      applyRequestTimeouts(server, config.requestLimits);
    },
  };
}
