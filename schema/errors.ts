import {
  ConflictError, DomainError, ForbiddenError, LastAdminError, NotFoundError, UnauthenticatedError, ValidationError,
  type FieldProblem,
} from '../server/kernel/errors.js';
import { builder, isObjectType } from './builder.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
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
  fields: (t) => ({
    id: t.string({
      description: 'The global id that was sent, as `node(id:)` takes it',
      resolve: (error) => asGlobalId(error.kind, error.id),
    }),
  }),
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Domain errors name what was missing in words (`case study`, `API token`); clients sent its global id. */
function asGlobalId(kind: string, id: string): string {
  const typename = kind.split(' ').map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join('');
  return UUID.test(id) && isObjectType(typename) ? encodeGlobalId(typename, id) : id;
}
