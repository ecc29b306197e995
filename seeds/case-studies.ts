import type { ServiceAreaCode } from '../server/domain/service-areas.js';
import type { CaseStudyOutcome } from '../server/domain/case-studies.js';
import { PEOPLE_CASE_STUDIES } from './case-studies-people.js';
import { PLACE_CASE_STUDIES } from './case-studies-place.js';
import { CORPORATE_CASE_STUDIES } from './case-studies-corporate.js';

/**
 * What happened when a council tried something: sample data (see the README). A real
 * council's case study retells the public page in `evidenceUrl`, with its figures; an account
 * no public source backs belongs to a fictional council and has no `evidenceUrl`.
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
