import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { EXECUTION_SCOPE, type ExecutionScope } from '../server/http/subscription-key.js';

/**
 * Whose answer each field reachable from `Subscription` is: the widest set of viewers that,
 * given the same parent object, always get the same result.
 *
 * - `public`: every viewer (a published item's title; what an event's payload says).
 * - `council`: viewers of one council and role (lists that include the council's drafts,
 *   `viewerCanEdit`, what admins see of members, tokens and webhooks).
 * - `member`: the individual member (their follows, notifications, saved searches).
 *
 * The plugin below puts each field's scope in its `extensions`, where the server reads it:
 * subscribers share one execution per event only within one council and role, and a
 * document that selects a `member` field, or an undeclared one, is executed for each member
 * alone (server/http/subscription-key.ts). `Event.subject` is `council`: subjects that only
 * some members of a council may see (their own API tokens) are keyed per member per event.
 * test/unit/execution-scopes.test.ts fails when a field reachable from `Subscription` has no
 * scope, so no new field is shared by default.
 */
type Scopes = Partial<Record<ExecutionScope, readonly string[]>>;

const CONTENT_PUBLIC = ['id', 'title', 'summary', 'body', 'tags', 'serviceArea', 'status', 'visibility', 'sample', 'version', 'createdAt', 'updatedAt', 'publishedAt', 'author', 'council', 'commentCount'] as const;
const PAGE = { public: ['edges', 'pageInfo'] } as const;
const EDGE = { public: ['cursor', 'node'] } as const;

export const EXECUTION_SCOPES: Readonly<Record<string, Scopes>> = {
  Subscription: { public: ['events', 'problemPublished', 'solutionPublished', 'caseStudyPublished', 'commentAdded'], member: ['notificationAdded'] },
  Event: { public: ['position', 'type', 'occurredAt', 'subjectId', 'visibility', 'payload', 'council'], council: ['subject'] },
  Node: { public: ['id'] },
  // Lists of related items include the viewer's own council's drafts.
  Content: { public: CONTENT_PUBLIC, council: ['comments', 'viewerCanEdit', 'contact'] },
  // Contacts are shown to signed-in members only: the answer depends on whether there is a viewer.
  Contact: { council: ['name', 'email', 'serviceAreas', 'member'] },
  Problem: {
    public: [...CONTENT_PUBLIC, 'sourceUrl', 'adoptionCount', 'solutionCount', 'supporterCount', 'phaseEndsOn', 'mayBeOutOfDate'],
    council: ['comments', 'viewerCanEdit', 'solutions', 'caseStudies', 'supporters', 'sharedSystems', 'sameAs', 'sameProblems', 'contact'],
  },
  Solution: {
    public: [...CONTENT_PUBLIC, 'sourceUrl', 'url', 'kind', 'phase', 'costBand', 'licence', 'adoptionCount', 'problemCount', 'phaseEndsOn', 'mayBeOutOfDate'],
    council: ['comments', 'viewerCanEdit', 'problems', 'caseStudies', 'adoptions', 'partners', 'contact'],
  },
  CaseStudy: {
    public: [...CONTENT_PUBLIC, 'outcome', 'lessons', 'evidenceUrl', 'costPounds', 'savingsClaimedPounds'],
    council: ['comments', 'viewerCanEdit', 'problems', 'solutions', 'contact'],
  },
  Comment: { public: ['id', 'body', 'createdAt', 'editedAt', 'hidden', 'author', 'council'], council: ['subject'] },
  CommentConnection: PAGE,
  CommentEdge: EDGE,
  PageInfo: { public: ['startCursor', 'endCursor', 'hasNextPage', 'hasPreviousPage'] },
  Council: {
    public: ['id', 'name', 'slug', 'kind', 'region', 'gssCode', 'website', 'sample', 'counts', 'systems'],
    council: ['adoptions', 'supportedProblems', 'members', 'apiTokens', 'webhookEndpoints', 'viewerCanAdminister', 'contacts'],
  },
  CouncilCounts: { public: ['problems', 'solutions', 'caseStudies', 'supports', 'adopted'] },
  CouncilMembersConnection: PAGE,
  CouncilMembersConnectionEdge: EDGE,
  Member: { public: ['id', 'name', 'role', 'council', 'removedAt'], council: ['email'] },
  Adoption: { public: ['stage', 'note', 'createdAt', 'updatedAt', 'council'], council: ['solution'] },
  ProblemSupport: { public: ['council', 'note', 'createdAt'] },
  SharedSystem: { public: ['category', 'supplier', 'product'], council: ['councils'] },
  SharedSystemCouncil: { public: ['council', 'contractEndsOn'] },
  CouncilSystem: { public: ['id', 'category', 'supplier', 'product', 'contractEndsOn', 'updatedAt', 'council', 'councilsOnSameSystem'] },
  // Seen by their member and the council's admins alike.
  ApiToken: { council: ['id', 'label', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt', 'member'] },
  WebhookEndpoint: { council: ['id', 'url', 'description', 'active', 'eventTypes', 'filter', 'createdAt', 'updatedAt', 'disabledAt', 'disabledReason', 'council', 'deliveries'] },
  WebhookEndpointDeliveriesConnection: PAGE,
  WebhookEndpointDeliveriesConnectionEdge: EDGE,
  WebhookDelivery: { council: ['id', 'webhookId', 'position', 'status', 'attemptCount', 'nextAttemptAt', 'createdAt', 'attempts'] },
  WebhookAttempt: { council: ['attemptedAt', 'statusCode', 'durationMs', 'error'] },
  WebhookEventFilter: { council: ['councils', 'serviceAreas', 'subjectIds', 'tags', 'regions', 'councilKinds', 'phases', 'outcomes'] },
  // A member's own inbox and follows.
  Notification: { member: ['id', 'createdAt', 'read', 'readAt', 'event', 'follow'] },
  Follow: { member: ['id', 'kind', 'item', 'council', 'serviceArea', 'search', 'email', 'createdAt'] },
  SavedSearch: { member: ['query', 'filter'] },
  SavedSearchFilter: { member: ['kinds', 'serviceAreas', 'councils', 'tags', 'regions', 'councilKinds', 'phases', 'outcomes'] },
};

const byField = new Map<string, ExecutionScope>();
for (const [type, scopes] of Object.entries(EXECUTION_SCOPES)) {
  for (const [scope, fields] of Object.entries(scopes) as [ExecutionScope, readonly string[]][]) {
    for (const field of fields) byField.set(`${type}.${field}`, scope);
  }
}

/** Adds `extensions.executionScope` to every field listed in EXECUTION_SCOPES. */
export class ExecutionScopePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const scope = byField.get(`${fieldConfig.parentType}.${fieldConfig.name}`);
    return scope ? { ...fieldConfig, extensions: { ...fieldConfig.extensions, [EXECUTION_SCOPE]: scope } } : fieldConfig;
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      executionScope: ExecutionScopePlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('executionScope', ExecutionScopePlugin);
