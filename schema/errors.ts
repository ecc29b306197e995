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
    message: t.exposeString('message', { description: 'What went wrong, in English, for people; it may change' }),
    code: t.exposeString('code', { description: 'A stable code for programs: `VALIDATION_FAILED`, `NOT_FOUND`, `FORBIDDEN`, `UNAUTHENTICATED`, `CONFLICT` or `LAST_ADMIN`' }),
  }),
});

const FieldProblemRef = builder.objectRef<FieldProblem>('FieldProblem').implement({
  description: 'One input field that was refused, and why',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Input path of the failing field, e.g. `title` or `tags.3`' }),
    message: t.exposeString('message', { description: 'Why it was refused, e.g. `must be at most 200 characters`' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused: each entry of `fields` names one bad field (`VALIDATION_FAILED`)',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ fields: t.field({ type: [FieldProblemRef], description: `Every refused field (the first ${LIST_CAPS.fieldProblems})`, extensions: listCap(LIST_CAPS.fieldProblems), resolve: (e) => e.fields.slice(0, LIST_CAPS.fieldProblems) }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'Something the input names does not exist, or you may not see it (`NOT_FOUND`)',
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
  description: 'Your token may not do this, e.g. act for another council or without the role it needs (`FORBIDDEN`)',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
  fields: () => ({}),
});

builder.objectType(UnauthenticatedError, {
  name: 'UnauthenticatedError',
  description: 'This needs an API token (`Authorization: Bearer cc_...`) and the request had none (`UNAUTHENTICATED`)',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UnauthenticatedError,
  fields: () => ({}),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The change clashes with the current state, e.g. an update with a stale `version`, or a link that already exists (`CONFLICT`)',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    currentVersion: t.exposeInt('currentVersion', { nullable: true, description: 'The current version, to reload and edit instead; null when the conflict is not about versions' }),
  }),
});

builder.objectType(LastAdminError, {
  name: 'LastAdminError',
  description: 'The change would leave the council without an admin (`LAST_ADMIN`): make another member admin first',
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

/** The description of every mutation's one `input` argument (Relay's input-object style). */
export const INPUT_ARG = "The mutation's arguments, in one input object";
