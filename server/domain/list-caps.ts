import { MAX_LINKS } from './case-study-links.js';
import { PARTNERS_MAX } from './solution-input.js';
import { MAX_ENDPOINTS_PER_COUNCIL } from './webhook-endpoints.js';
import { SERVICE_AREAS } from './service-areas.js';
import { MAX_SYSTEMS_PER_COUNCIL } from './systems/system-model.js';

/**
 * The most items each plain (non-connection) list field returns for one parent. Reads apply
 * them in SQL, a LIMIT per parent, and the cost model charges each list at its cap, so a list
 * anyone can grow (links, supports, adoptions) cannot multiply a query's work past its charge.
 */
export const LIST_CAPS = {
  /** Solution.partners; writes allow as many. */
  partners: PARTNERS_MAX,
  /** Solution.adoptions, Council.adoptions. */
  adoptions: 50,
  /** Problem.solutions, Solution.problems. */
  links: 50,
  /** Problem.supporters, Council.supportedProblems. */
  supports: 50,
  /** CaseStudy.solutions, CaseStudy.problems; writes allow as many. */
  caseStudyLinks: MAX_LINKS,
  /** Problem.sameProblems: problems marked as the same as this one. */
  sameProblems: 20,
  /** Problem.caseStudies, Solution.caseStudies. */
  caseStudies: 20,
  /** Viewer.tokens, Council.apiTokens: the newest. */
  apiTokens: 100,
  /** Council.webhookEndpoints; writes allow as many. */
  webhookEndpoints: MAX_ENDPOINTS_PER_COUNCIL,
  /** WebhookDelivery.attempts: the first (the sender stops at its configured maximum, 9 by default). */
  webhookAttempts: 50,
  /** WebhookEventFilter.councils; filters allow as many values. */
  filterValues: 100,
  /** Query.similar: `first` is at most this. */
  similar: 20,
  /** *Payload.possibleDuplicates. */
  duplicates: 5,
  /** Each SearchFacets list: the search adapters return at most this many values. */
  facetValues: 100,
  /** ValidationError.fields. */
  fieldProblems: 100,
  /** Council.systems; writes allow as many. */
  systems: MAX_SYSTEMS_PER_COUNCIL,
  /** CouncilSystem.councilsOnSameSystem, SharedSystem.councils. */
  sameSystem: 50,
  /** Problem.sharedSystems. */
  sharedSystems: 20,
  /** Insights lists ranked by size (top shared problems, adoption flows). */
  insightsTop: 20,
  /** Insights by month: the last two years. */
  insightsMonths: 24,
  /** Insights lists with one row per region, service area or outcome pair (at most 16 × 4). */
  insightsRows: 100,
  /** Council.contacts: the first, by name. */
  contacts: 100,
  /** Query.serviceAreas: the fixed list. */
  serviceAreas: SERVICE_AREAS.length,
  /** ReportedSubject.reports: the newest open reports on one item or comment. */
  reports: 20,
  /** ServiceAreaInfo.functions: the most any service area maps to (esd-functions.ts). */
  esdFunctions: 6,
} as const;

/** The GraphQL field extension that carries a list's cap to the cost model. */
export const LIST_CAP_EXTENSION = 'listCap';

/** Field `extensions` declaring a plain list's cap: the cost model charges it at `cap` items. */
export function listCap(cap: number): { readonly [LIST_CAP_EXTENSION]: number } {
  return { [LIST_CAP_EXTENSION]: cap };
}
