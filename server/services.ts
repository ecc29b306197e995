import type { Kysely } from 'kysely';
import type { Database } from './db/database.js';
import type { Transact } from './db/transact.js';
import { createCaseStudyService } from './domain/case-studies.js';
import { createCommentService } from './domain/comments.js';
import { createModerationService } from './domain/moderation/moderation.js';
import { createContactService } from './domain/contacts.js';
import { createApiTokenService } from './domain/api-tokens.js';
import { createCouncilAdminService } from './domain/council-admin.js';
import { createCouncilCounts } from './domain/council-counts.js';
import { createCouncilActivity } from './domain/council-activity.js';
import { createCouncilReader } from './domain/councils.js';
import { createMemberAdminService } from './domain/member-admin.js';
import { createMemberReader } from './domain/members.js';
import { createProblemService } from './domain/problems.js';
import { createSolutionService } from './domain/solutions.js';
import { createSearchService } from './domain/search.js';
import { createCouncilSystemService } from './domain/systems/council-systems.js';
import { createSystemReader } from './domain/systems/system-reads.js';
import { createInsights } from './domain/insights/insights.js';
import type { SearchEngine } from './search/engine.js';
import { noSearchEngine } from './search/no-engine.js';
import { createEventFeed } from './events/event-feed.js';
import { withdrawnIds, type EventMention } from './events/withdrawn.js';
import type { EventTail } from './events/tail.js';
import { DEFAULT_WEBHOOK_CONFIG, type WebhookConfig } from './webhooks/config.js';
import { createDeliveryLogService } from './domain/webhook-deliveries.js';
import { createWebhookEndpointService } from './domain/webhook-endpoints.js';
import type { ResolvedAddress } from './webhooks/http-post.js';
import { createWebhookSender } from './webhooks/sender.js';
import { createFollowService } from './notifications/follows.js';
import { createInbox } from './notifications/inbox.js';
import type { LiveInbox } from './notifications/live-inbox.js';

export interface ServiceDeps {
  readonly db: Kysely<Database>;
  readonly transact: Transact;
  /** @default the Postgres full-text engine over `db` */
  readonly searchEngine?: SearchEngine;
  /**
   * This process's reader of the outbox, which live subscriptions listen to; absent in
   * one-shot processes (the admin command line), which serve no subscriptions.
   */
  readonly tail?: EventTail;
  /** @default the default webhook settings and no dispatcher to wake (the admin command line) */
  readonly webhooks?: {
    readonly config: WebhookConfig;
    /** Wakes the webhook dispatcher, in whichever process it runs. */
    readonly notify: () => void;
    readonly resolveHost?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
  };
  /** This process's live inboxes (`notificationAdded`); absent where no subscriptions are served. */
  readonly liveInbox?: LiveInbox;
}

/** The domain services, built once per app from explicit dependencies. */
export function createServices(deps: ServiceDeps) {
  const { config, notify, resolveHost } = deps.webhooks ?? { config: DEFAULT_WEBHOOK_CONFIG, notify: () => {} };
  const dns = resolveHost ? { resolveHost } : {};
  const sender = createWebhookSender({ db: deps.db, config, onEvent: notify, ...dns });
  return {
    councils: createCouncilReader(deps),
    councilActivity: createCouncilActivity(deps),
    councilCounts: createCouncilCounts(deps),
    members: createMemberReader(deps),
    problems: createProblemService(deps),
    solutions: createSolutionService(deps),
    caseStudies: createCaseStudyService(deps),
    comments: createCommentService(deps),
    moderation: createModerationService(deps),
    contacts: createContactService(deps),
    memberAdmin: createMemberAdminService(deps),
    apiTokens: createApiTokenService(deps),
    councilAdmin: createCouncilAdminService(deps),
    councilSystems: createCouncilSystemService(deps),
    systems: createSystemReader(deps),
    insights: createInsights(deps),
    // Seeding and the admin CLI build services without an engine; nothing there searches.
    search: createSearchService({ db: deps.db, engine: deps.searchEngine ?? noSearchEngine() }),
    events: createEventFeed(deps),
    /** Which items and comments events mention are no longer shown (events/withdrawn.ts). */
    withdrawnMentions: (mentions: readonly EventMention[]) => withdrawnIds(deps.db, mentions),
    webhookEndpoints: createWebhookEndpointService({ db: deps.db, transact: deps.transact, config, ...dns }),
    webhookDeliveries: createDeliveryLogService({ db: deps.db, sender, notify }),
    follows: createFollowService(deps),
    inbox: createInbox(deps),
    liveInbox: deps.liveInbox,
  };
}

export type Services = ReturnType<typeof createServices>;
