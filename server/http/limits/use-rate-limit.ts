import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../context.js';
import type { ServerContext } from '../yoga.js';
import { clientAddress } from './client-address.js';
import { rateLimitError, type RateLimiter } from './rate-limiter.js';

/**
 * Charges every GraphQL request over HTTP (and SSE) before any work is done on it, and each
 * further operation of a batch. A refused request gets 429 with Retry-After.
 */
export function useRateLimit(limiter: RateLimiter): Plugin<Context, ServerContext> {
  const tokenOf = new WeakMap<Request, string | undefined>();
  const operations = new WeakMap<Request, number>();
  return {
    async onRequest({ request, serverContext, endResponse, fetchAPI }) {
      if (request.method === 'OPTIONS') return;
      const token = limiter.tokenKey(request.headers.get('authorization'));
      tokenOf.set(request, token);
      const decision = await limiter.take(token, clientAddress(serverContext.req, limiter.limits.trustProxy));
      if (decision.ok) return;
      const { message, extensions: { http, ...extensions } } = rateLimitError(limiter, decision);
      endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions }] }), {
        status: 429,
        headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(decision.retryAfterSeconds) },
      }));
    },
    async onParams({ request, context }) {
      const seen = (operations.get(request) ?? 0) + 1;
      operations.set(request, seen);
      if (seen === 1) return;
      const decision = await limiter.take(tokenOf.get(request), clientAddress((context as ServerContext).req, limiter.limits.trustProxy));
      if (!decision.ok) throw rateLimitError(limiter, decision);
    },
    onContextBuilding() {
      return ({ context }) => {
        if (context.viewer?.kind === 'member') limiter.recognise(tokenOf.get(context.request));
      };
    },
    onResponse({ request, response }) {
      if (response.status === 401) limiter.forget(tokenOf.get(request));
    },
  };
}
