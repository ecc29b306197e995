import type { Kysely } from 'kysely';
import type { Database } from './db/database.js';
import type { Transact } from './db/transact.js';
import { createCaseStudyService } from './domain/case-studies.js';
import { createCommentService } from './domain/comments.js';
import { createApiTokenService } from './domain/api-tokens.js';
import { createCouncilAdminService } from './domain/council-admin.js';
import { createCouncilActivity } from './domain/council-activity.js';
import { createCouncilReader } from './domain/councils.js';
import { createMemberAdminService } from './domain/member-admin.js';
import { createMemberReader } from './domain/members.js';
import { createProblemService } from './domain/problems.js';
import { createSolutionService } from './domain/solutions.js';
import { createSearchService } from './domain/search.js';
import type { SearchEngine } from './search/engine.js';
import { createPostgresEngine } from './search/postgres-engine.js';
import { createEventFeed } from './events/event-feed.js';
import type { EventTail } from './events/tail.js';

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
}

/** The domain services, built once per app from explicit dependencies. */
export function createServices(deps: ServiceDeps) {
  return {
    councils: createCouncilReader(deps),
    councilActivity: createCouncilActivity(deps),
    members: createMemberReader(deps),
    problems: createProblemService(deps),
    solutions: createSolutionService(deps),
    caseStudies: createCaseStudyService(deps),
    comments: createCommentService(deps),
    memberAdmin: createMemberAdminService(deps),
    apiTokens: createApiTokenService(deps),
    councilAdmin: createCouncilAdminService(deps),
    search: createSearchService({ db: deps.db, engine: deps.searchEngine ?? createPostgresEngine(deps.db) }),
    events: createEventFeed(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
