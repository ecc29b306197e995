import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../server/context.js';
import { DomainError } from '../server/kernel/errors.js';
import { decodeGlobalId, encodeGlobalId } from '../server/kernel/global-id.js';
import './execution-scopes.js';
import './id-errors-plugin.js';
import { CONNECTION_PAGE } from './page-size-plugin.js';

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
  plugins: [ErrorsPlugin, RelayPlugin, 'idErrors', 'pageSize', 'executionScope'],
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
    idFieldOptions: { description: 'Its global id, which `node(id:)` takes' },
    nodeTypeOptions: { description: 'An object with a global id, which `node(id:)` loads again (Relay global object identification)' },
    firstArgOptions: { description: `The first this many items after \`after\`: from ${CONNECTION_PAGE.min} to ${CONNECTION_PAGE.max} (more is a \`VALIDATION_FAILED\` error). Default: 20 when neither \`first\` nor \`last\` is given` },
    lastArgOptions: { description: `The last this many items before \`before\`: from ${CONNECTION_PAGE.min} to ${CONNECTION_PAGE.max}` },
    afterArgOptions: { description: 'The `endCursor` of the page before, to get the next page' },
    beforeArgOptions: { description: 'The `startCursor` of the page after, to page backwards' },
    defaultConnectionTypeOptions: { description: 'A page of a list, in the Relay connection shape: pass `pageInfo.endCursor` as `after` for the next page' },
    defaultEdgeTypeOptions: { description: 'One item of a page, with the cursor that points at it' },
    edgesFieldOptions: { description: 'The items of this page, in order' },
    pageInfoFieldOptions: { description: 'Where this page is in the list' },
    cursorFieldOptions: { description: 'Opaque; pass it as `after` (or `before`) to page from this item' },
    nodeFieldOptions: { description: 'The item' },
    pageInfoTypeOptions: { description: 'Where a page is in its list (Relay connection spec)' },
    hasNextPageFieldOptions: { description: 'Whether items follow this page (paging backwards with `last`, it may be false even so, as the Relay spec allows)' },
    hasPreviousPageFieldOptions: { description: 'Whether items come before this page (paging forwards with `first`, it may be false even so, as the Relay spec allows)' },
    startCursorFieldOptions: { description: "The first item's cursor" },
    endCursorFieldOptions: { description: "The last item's cursor: pass it as `after` for the next page" },
  },
  errors: {
    defaultTypes: [],
    // Errors thrown while arguments are decoded (IdErrorsPlugin) become payload errors too.
    unsafelyHandleInputErrors: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${pascal(fieldName)}Result`,
      description: "A mutation's answer: its payload when it succeeded, or one of the errors it lists (switch on `__typename`)",
    },
    defaultResultOptions: {
      name: ({ fieldName }) => `${pascal(fieldName)}Payload`,
      description: 'What the mutation returns when it succeeded',
    },
  },
});

export function isObjectType(typename: string): boolean {
  return builder.configStore.hasConfig(typename) && builder.configStore.getTypeConfig(typename).graphqlKind === 'Object';
}

builder.queryType({ description: 'Reads. Without a token you see what is published; with one, also your council\'s drafts and what your role may see' });
builder.mutationType({ description: 'Writes. Each takes one `input` and returns a union of its payload and typed errors (switch on `__typename`); every one needs an API token' });
builder.subscriptionType({ description: 'Live events over WebSocket (graphql-ws) or Server-Sent Events, in one ordered log; `after` replays from a position first' });

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
