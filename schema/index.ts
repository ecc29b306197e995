import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each module registers its types with the builder as it is imported.
import './errors.js';
import './node.js';
import './service-area.js';
import './council.js';
import './member.js';
import './content.js';
import './problem.js';
import './solution.js';
import './solution-mutations.js';
import './council-activity.js';
import './case-study.js';
import './comment.js';
import './contact.js';
import './search.js';
import './viewer.js';
import './member-admin.js';
import './api-token.js';
import './council-admin.js';
import './council-system.js';
import './insights.js';
import './events.js';
import './webhook-delivery.js';
import './webhook-endpoint.js';
import './follow.js';
import './notification.js';
import './moderation.js';

export function buildSchema(): GraphQLSchema {
  return builder.toSchema({ sortSchema: true });
}

export function printSchemaSdl(schema: GraphQLSchema = buildSchema()): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
