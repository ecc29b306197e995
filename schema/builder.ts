import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../server/context.js';
import { DomainError } from '../server/kernel/errors.js';
import { decodeGlobalId, encodeGlobalId } from '../server/kernel/global-id.js';
import './id-errors-plugin.js';

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The one module-level object: a builder holds type definitions, no runtime state. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string | number };
    JSON: { Input: unknown; Output: unknown };
    Position: { Input: number; Output: number };
  };
}>({
  // IdErrorsPlugin last: it checks mutation IDs inside the errors plugin's wrapper, which
  // turns its ValidationError into the payload's error member.
  plugins: [ErrorsPlugin, RelayPlugin, 'idErrors'],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, id),
    decodeGlobalID: (globalId) => decodeGlobalId(globalId, isObjectType),
    // nodes(ids:) is defined in node.ts, so one bad id nulls only its own entry.
    nodesQueryOptions: false,
    nodeQueryOptions: {
      description: 'The object with this global id, or null when it does not exist or you may not see it. A malformed id is an `INVALID_ID` error',
      args: { id: { description: 'A global id the API returned, of any type that implements Node' } },
    },
  },
  errors: {
    defaultTypes: [],
    // Errors thrown while arguments are decoded (IdErrorsPlugin) become payload errors too.
    unsafelyHandleInputErrors: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${pascal(fieldName)}Result` },
    defaultResultOptions: { name: ({ fieldName }) => `${pascal(fieldName)}Payload` },
  },
});

export function isObjectType(typename: string): boolean {
  return builder.configStore.hasConfig(typename) && builder.configStore.getTypeConfig(typename).graphqlKind === 'Object';
}

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

// RFC 3339 date-time with a zone: the profile of ISO 8601 that every client library parses alike.
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

builder.scalarType('DateTime', {
  description: 'A date and time as an RFC 3339 string with a zone, e.g. `2026-01-31T09:30:00.000Z`; the hub always answers in UTC with milliseconds',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' && RFC_3339.test(value) ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an RFC 3339 date-time with a zone, e.g. 2026-01-31T09:30:00Z');
    return date;
  },
});

// A calendar date: RFC 3339's full-date. The scalar takes any string and the domain checks
// it, so "2027-02-30" comes back in the mutation's payload as a ValidationError naming the
// field, as every other bad input does, rather than as a request error.
builder.scalarType('Date', {
  description: 'A calendar date as an RFC 3339 full-date, e.g. `2027-03-31`',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string') throw new TypeError('Date must be a string written YYYY-MM-DD, e.g. 2027-03-31');
    return value;
  },
});

export { DomainError };
