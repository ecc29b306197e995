import type { ServiceAreaCode } from '../server/domain/service-areas.js';
import type { CaseStudyOutcome } from '../server/domain/case-studies.js';
import { PEOPLE_CASE_STUDIES } from './case-studies-people.js';
import { PLACE_CASE_STUDIES } from './case-studies-place.js';
import { CORPORATE_CASE_STUDIES } from './case-studies-corporate.js';

/**
 * What happened when a council tried something: sample data (see the README). Every case
 * study retells a public page (the council's own, the LGA's, Local Digital's, the press's),
 * linked in `evidenceUrl`, with figures only as that page gives them.
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
  /** The public page this case study's account and figures come from. */
  evidenceUrl: string;
  /** Keys of the solutions and problems it concerns. */
  solutions: string[];
  problems: string[];
}

export const CASE_STUDIES: SeedCaseStudy[] = [...PEOPLE_CASE_STUDIES, ...PLACE_CASE_STUDIES, ...CORPORATE_CASE_STUDIES];
