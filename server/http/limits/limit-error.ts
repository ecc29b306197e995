import { GraphQLError } from 'graphql';

/** The name a client sees in `extensions.limit`, matching the setting in server/config-hardening.ts. */
export type LimitName =
  | 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxCost' | 'maxQueryLength'
  | 'maxBodyBytes' | 'maxBatchSize' | 'maxSubscriptionsPerConnection' | 'maxResolvedObjects' | 'maxListInput';

/**
 * One shape for every refusal: `extensions.code` is LIMIT_EXCEEDED, `extensions.limit` names
 * the setting, `max` its value. `spec` lets yoga answer 200 to legacy `application/json`
 * clients, as the GraphQL-over-HTTP spec asks for request errors.
 */
export function limitError(limit: LimitName, message: string, max: number, status = 400, spec = true): GraphQLError {
  return new GraphQLError(`${message} (limit ${limit} = ${max})`, {
    extensions: { code: 'LIMIT_EXCEEDED', limit, max, http: { status, spec } },
  });
}
