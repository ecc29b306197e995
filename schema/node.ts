import { resolveNodes } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { builder, isObjectType } from './builder.js';
import { decodeGlobalId } from '../server/kernel/global-id.js';

builder.queryField('nodes', (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: 'The objects with these global ids, in the same order. An entry is null when its object does not exist or you may not see it; a malformed id also gives an `INVALID_ID` error whose path points at its entry. Each id counts towards the query cost',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids the API returned, of any types that implement Node' }) },
    resolve: async (_, { ids }, ctx, info) => {
      const decoded = ids.map((id) => {
        try {
          return decodeGlobalId(String(id), isObjectType);
        } catch (error) {
          return error as GraphQLError;
        }
      });
      const loaded = await resolveNodes(builder, ctx, info, decoded.map((d) => (d instanceof Error ? null : d)));
      // An Error in a list is reported at that entry's path, and the entry is null.
      return decoded.map((d, i) => (d instanceof Error ? d : loaded[i]));
    },
  }),
);
