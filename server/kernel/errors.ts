import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

/**
 * Every error a client may see is a DomainError with a stable code. Mutations return them
 * as typed payload members; queries turn them into GraphQL errors with `extensions.code`.
 * Anything else is a bug: masked for clients and logged with its cause.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export interface FieldProblem {
  /** Input path of the failing field, e.g. `title` or `tags.3`. */
  readonly field: string;
  readonly message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fields: readonly FieldProblem[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} ${id} was not found`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'this action needs an API token: send Authorization: Bearer <token>') {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(message: string, readonly currentVersion: number | null = null) {
    super(message);
  }
}

/** A council must keep at least one admin, or nobody could manage its members again. */
export class LastAdminError extends DomainError {
  readonly code = 'LAST_ADMIN';
  constructor(readonly memberId: string) {
    super('this member is the council\'s last admin: make another member admin first');
  }
}

/**
 * The one way a domain error becomes a GraphQL error, wherever it surfaces (a query's
 * masking, the request context, a subscription stream, a WebSocket subscribe): its message,
 * its stable `extensions.code`, and the failing fields of a validation error. `options`
 * adds the error's location and any transport detail (e.g. an HTTP status).
 */
export function toGraphQLError(error: DomainError, options: GraphQLErrorOptions = {}): GraphQLError {
  const fields = error instanceof ValidationError ? { fields: error.fields } : {};
  return new GraphQLError(error.message, { ...options, extensions: { ...options.extensions, code: error.code, ...fields } });
}
