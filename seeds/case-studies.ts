import type { ServiceAreaCode } from '../server/domain/service-areas.js';
import type { CaseStudyOutcome } from '../server/domain/case-studies.js';
import { PEOPLE_CASE_STUDIES } from './case-studies-people.js';
import { PLACE_CASE_STUDIES } from './case-studies-place.js';
import { CORPORATE_CASE_STUDIES } from './case-studies-corporate.js';

/**
 * What happened when a council tried something. Failures are written up as carefully as
 * successes. Figures are illustrative, as in the problems and solutions.
 */
export interface SeedCaseStudy {
  key: string;
  council: string;
  title: string;
  summary: string;
  body: string;
  serviceArea: ServiceAreaCode;
  tags: string[];
  outcome: CaseStudyOutcome;
  lessons: string;
  costPounds?: number;
  savingsClaimedPounds?: number;
  /** The public page this case study's account and figures come from; every case study has one. */
  evidenceUrl?: string;
  /** Keys of the solutions and problems it concerns. */
  solutions: string[];
  problems: string[];
}

export const CASE_STUDIES: SeedCaseStudy[] = [...PEOPLE_CASE_STUDIES, ...PLACE_CASE_STUDIES, ...CORPORATE_CASE_STUDIES];
