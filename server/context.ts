import DataLoader from 'dataloader';
import type { ExecutionResult } from 'graphql';
import type { Viewer } from './auth/viewer.js';
import type { ExecutionBudget } from './http/limits/execution-budget.js';
import type { CommentPageKey } from './domain/comments.js';
import type { Services } from './services.js';

/**
 * Per-request state. Loaders are built per request: they cache rows, and a cache shared
 * across requests would leak one council's drafts to another's viewer.
 */
export interface Context {
  readonly viewer: Viewer;
  readonly services: Services;
  readonly loaders: ReturnType<typeof createLoaders>;
  readonly requestId: string;
  /** Objects this execution may still resolve (limits/execution-budget.ts); absent when unlimited. */
  readonly budget?: ExecutionBudget;
  /** Charges the cost of one subscription event to its connection and client; throws when spent. */
  readonly chargeEvent?: (cost: number) => void;
  /** How many events of a cost the same allowances could pay for now; throws when not one (EventCharges.affordable). */
  readonly affordEvents?: (cost: number) => number;
  /**
   * How many events this subscription's allowance could pay for now, at its own cost per event
   * (set by shared-subscriptions.ts): a replay reads no more than that. Throws when not one.
   */
  readonly replayAllowance?: () => number;
  /** A subscription's budget for each event it executes. */
  readonly eventBudget?: number;
  /** A WebSocket subscription's direct line to its socket (see SubscriptionSink). */
  readonly sink?: SubscriptionSink;
}

/**
 * Where a subscription's results go when its transport takes them directly: the WebSocket
 * transport sets one on each subscriber's context, and shared-subscriptions.ts sends each
 * result into it (sink-driver.ts) instead of yielding it through envelop and graphql-ws,
 * one layer of promises each per subscriber and event.
 */
export interface SubscriptionSink {
  /** Sends one result; a promise when the subscriber must wait for its socket to drain. */
  next(result: ExecutionResult): Promise<void> | undefined;
}

export function createLoaders(services: Services, viewer: Viewer) {
  return {
    council: new DataLoader((ids: readonly string[]) => services.councils.findMany(ids)),
    member: new DataLoader((ids: readonly string[]) => services.members.findMany(ids)),
    problem: new DataLoader((ids: readonly string[]) => services.problems.findMany(viewer, ids)),
    solution: new DataLoader((ids: readonly string[]) => services.solutions.findMany(viewer, ids)),
    solutionPartners: new DataLoader((ids: readonly string[]) => services.solutions.partnersOf(ids)),
    solutionAdoptions: new DataLoader((ids: readonly string[]) => services.solutions.adoptionsOf(ids)),
    solutionProblems: new DataLoader((ids: readonly string[]) => services.solutions.problemsOf(viewer, ids)),
    problemSolutions: new DataLoader((ids: readonly string[]) => services.solutions.solutionsOf(viewer, ids)),
    problemsSameAs: new DataLoader((ids: readonly string[]) => services.problems.sameAsOf(viewer, ids)),
    problemSupporters: new DataLoader((ids: readonly string[]) => services.councilActivity.supportersOf(ids)),
    councilSupports: new DataLoader((ids: readonly string[]) => services.councilActivity.supportedBy(ids)),
    councilAdoptions: new DataLoader((ids: readonly string[]) => services.councilActivity.adoptionsBy(ids)),
    councilCounts: new DataLoader((ids: readonly string[]) => services.councilCounts.countsOf(ids)),
    councilSystem: new DataLoader((ids: readonly string[]) => services.systems.findMany(ids)),
    councilSystems: new DataLoader((ids: readonly string[]) => services.systems.systemsOf(ids)),
    sameSystemCouncils: new DataLoader((ids: readonly string[]) => services.systems.councilsOnSameSystem(ids)),
    problemSharedSystems: new DataLoader((ids: readonly string[]) => services.systems.sharedSystemsOf(ids)),
    caseStudy: new DataLoader((ids: readonly string[]) => services.caseStudies.findMany(viewer, ids)),
    caseStudyLinks: new DataLoader((ids: readonly string[]) => services.caseStudies.links(ids)),
    problemCaseStudies: new DataLoader((ids: readonly string[]) => services.caseStudies.about(viewer, 'problem', ids)),
    solutionCaseStudies: new DataLoader((ids: readonly string[]) => services.caseStudies.about(viewer, 'solution', ids)),
    comment: new DataLoader((ids: readonly string[]) => services.comments.findMany(viewer, ids)),
    // Keys are `item:<id>` or `comment:<id>`; true when no longer shown (events/withdrawn.ts).
    withdrawnMention: new DataLoader(async (keys: readonly string[]) => {
      const mentions = keys.map((key) => { const [kind, id] = key.split(':') as ['item' | 'comment', string]; return { kind, id }; });
      const withdrawn = await services.withdrawnMentions(mentions);
      return mentions.map((m) => withdrawn.has(m.id));
    }),
    commentCount: new DataLoader((subjectIds: readonly string[]) => services.comments.counts(subjectIds)),
    itemContact: new DataLoader((itemIds: readonly string[]) => services.contacts.forItems(viewer, itemIds)),
    commentPage: new DataLoader((requests: readonly CommentPageKey[]) => services.comments.pages(viewer, requests), {
      cacheKeyFn: (r) => `${r.subject.id}:${r.after ?? ''}:${r.limit}`,
    }),
    apiToken: new DataLoader((ids: readonly string[]) => services.apiTokens.findMany(viewer, ids)),
    webhookEndpoint: new DataLoader((ids: readonly string[]) => services.webhookEndpoints.findMany(viewer, ids)),
    webhookDelivery: new DataLoader((ids: readonly string[]) => services.webhookDeliveries.findMany(viewer, ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export function createContext(services: Services, viewer: Viewer, requestId: string): Context {
  return { viewer, services, loaders: createLoaders(services, viewer), requestId };
}
