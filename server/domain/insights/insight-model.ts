import type { CaseStudyOutcome } from '../case-studies.js';
import type { ServiceAreaCode } from '../service-areas.js';

/**
 * The figures on /insights and in Query.insights. Every count is of public items only:
 * published and not archived, with supports and adoptions counted only on such items, so
 * the answer is the same for every viewer and no draft is ever counted.
 */
export interface Insights {
  /** One row per service area, in taxonomy order. */
  readonly demandByServiceArea: readonly ServiceAreaDemand[];
  /** One row per region or nation with any council on the hub, by name. */
  readonly demandByRegion: readonly RegionDemand[];
  /** The problems most councils share (their own council and supporters), most first. */
  readonly mostSharedProblems: readonly SharedProblem[];
  /** Solutions adopted, by the month the adoption reached its stage; the last 24 months. */
  readonly adoptionsByMonth: readonly MonthCount[];
  /** From the council that published a solution to the council that adopted it, most first. */
  readonly adoptionFlows: readonly AdoptionFlow[];
  /** Case studies by service area and outcome (rows with none left out). */
  readonly caseStudyOutcomes: readonly OutcomeCount[];
  /** What was published, shared and adopted each month; the last 24 months. */
  readonly activityByMonth: readonly MonthActivity[];
}

export interface ServiceAreaDemand {
  readonly serviceArea: ServiceAreaCode;
  readonly problems: number;
  /** Councils that published or support a problem in the area. */
  readonly councils: number;
}

export interface RegionDemand {
  readonly region: string;
  /** Problems published by the region's councils. */
  readonly problems: number;
  /** Other councils' problems that the region's councils support. */
  readonly supports: number;
  /** The region's councils that published or support any problem. */
  readonly councils: number;
}

export interface SharedProblem {
  readonly problemId: string;
  /** The problem's council and its supporters. */
  readonly councils: number;
  /** Those councils, the problem's own first (at most LIST_CAPS.sameSystem). */
  readonly councilIds: readonly string[];
}

export interface MonthCount {
  /** YYYY-MM, UTC. */
  readonly month: string;
  readonly count: number;
}

export interface AdoptionFlow {
  readonly fromCouncilId: string;
  readonly toCouncilId: string;
  readonly adoptions: number;
}

export interface OutcomeCount {
  readonly serviceArea: ServiceAreaCode;
  readonly outcome: CaseStudyOutcome;
  readonly caseStudies: number;
}

export interface MonthActivity {
  readonly month: string;
  readonly problems: number;
  readonly solutions: number;
  readonly caseStudies: number;
  readonly supports: number;
  readonly adoptions: number;
}

/** How many months the time series cover, ending with the current one. */
export const INSIGHT_MONTHS = 24;
/** How many rows the ranked lists hold. */
export const INSIGHT_TOP = 10;
