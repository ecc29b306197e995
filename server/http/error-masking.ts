import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { DomainError, toGraphQLError } from '../kernel/errors.js';

/**
 * Decides what a client sees of an error. Domain errors and GraphQL's own errors keep their
 * message and gain a stable `extensions.code`; everything else is a bug, shown only as
 * "Unexpected error." (the cause is logged with the request id by the logging plugin).
 */
export function maskError(error: unknown, message: string): Error {
  if (!isGraphQLError(error)) {
    return isDatabaseUnavailable(error) ? unavailable() : new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
  const original = error.originalError;
  const at = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  if (original instanceof DomainError) {
    return toGraphQLError(original, { ...at, extensions: error.extensions });
  }
  if (original instanceof PothosValidationError) {
    return new GraphQLError(original.message, { ...at, extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (original === undefined || original === null || isGraphQLError(original)) return withCode(error);
  if (isDatabaseUnavailable(original)) return unavailable(at);
  return new GraphQLError(message, { ...at, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * graphql-js reports some request errors without a code: variable values that do not fit
 * their type, or an operation the schema has no root type for. Every error a client sees
 * carries one.
 */
function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions.code !== undefined || error.path !== undefined) return error;
  const code = error.message.startsWith('Variable "$') ? 'BAD_USER_INPUT' : 'BAD_REQUEST';
  return new GraphQLError(error.message, {
    nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code },
  });
}

/**
 * A database outage is not the client's mistake nor a bug: a typed, retryable answer (503 with
 * Retry-After) lets clients and load balancers back off. Whether a mutation that failed this
 * way committed is unknown to the server too; one that answered success did commit.
 */
function unavailable(at: Partial<Pick<GraphQLError, 'nodes' | 'source' | 'positions' | 'path'>> = {}): GraphQLError {
  return new GraphQLError('The database is unavailable right now; try again shortly', {
    ...at,
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } },
  });
}

/** True for errors that are bugs or outages rather than a client's mistake. */
export function isUnexpected(error: GraphQLError): boolean {
  const original = error.originalError;
  return original !== undefined && original !== null && !isGraphQLError(original)
    && !(original instanceof DomainError) && !(original instanceof PothosValidationError);
}

// By name rather than instanceof: graphql ships CJS and ESM builds, and a process that
// loads both has two GraphQLError classes.
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}
