import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { DomainError, ValidationError } from '../domain/errors.js';

/**
 * Decides what a client sees of an error. Domain errors and GraphQL's own errors keep their
 * message and gain a stable `extensions.code`; everything else is a bug, shown only as
 * "Unexpected error." (the cause is logged with the request id by the logging plugin).
 */
export function maskError(error: unknown, message: string): Error {
  if (!isGraphQLError(error)) return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  const original = error.originalError;
  const at = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  if (original instanceof DomainError) {
    const fields = original instanceof ValidationError ? { fields: original.fields } : {};
    return new GraphQLError(original.message, { ...at, extensions: { ...error.extensions, code: original.code, ...fields } });
  }
  if (original instanceof PothosValidationError) {
    return new GraphQLError(original.message, { ...at, extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (original === undefined || original === null || isGraphQLError(original)) return error;
  return new GraphQLError(message, { ...at, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
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
