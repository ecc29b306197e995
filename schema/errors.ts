import {
  ConflictError, DomainError, ForbiddenError, LastAdminError, NotFoundError, UnauthenticatedError, ValidationError,
  type FieldProblem,
} from '../server/kernel/errors.js';
import { builder } from './builder.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

/** Every typed error in a mutation payload implements this interface. */
const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'A typed error a mutation can return instead of its result',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

const FieldProblemRef = builder.objectRef<FieldProblem>('FieldProblem').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Input path of the failing field, e.g. `title` or `tags.3`' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ fields: t.field({ type: [FieldProblemRef], extensions: listCap(LIST_CAPS.fieldProblems), resolve: (e) => e.fields.slice(0, LIST_CAPS.fieldProblems) }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({ id: t.exposeString('id') }),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
  fields: () => ({}),
});

builder.objectType(UnauthenticatedError, {
  name: 'UnauthenticatedError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UnauthenticatedError,
  fields: () => ({}),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    currentVersion: t.exposeInt('currentVersion', { nullable: true, description: 'The version to edit instead' }),
  }),
});

builder.objectType(LastAdminError, {
  name: 'LastAdminError',
  description: 'The change would leave the council without an admin',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof LastAdminError,
  fields: () => ({}),
});

/** The errors every content mutation may return. */
export const MUTATION_ERRORS = [ValidationError, NotFoundError, ForbiddenError, UnauthenticatedError, ConflictError];
