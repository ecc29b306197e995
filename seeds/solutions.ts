import type { ServiceAreaCode } from '../server/domain/service-areas.js';
import { PEOPLE_SOLUTIONS } from './solutions-people.js';
import { PLACE_SOLUTIONS } from './solutions-place.js';
import { CORPORATE_SOLUTIONS } from './solutions-corporate.js';

export const SOLUTION_KINDS = ['software', 'service_pattern', 'process', 'data_standard', 'procurement_route', 'guidance'] as const;
export type SeedSolutionKind = (typeof SOLUTION_KINDS)[number];

export const SOLUTION_PHASES = ['discovery', 'alpha', 'beta', 'live', 'retired'] as const;
export type SeedSolutionPhase = (typeof SOLUTION_PHASES)[number];

/** What a council should expect to spend to adopt it, in its first year. */
export const COST_BANDS = ['free', 'under_10k', '10k_to_50k', '50k_to_250k', 'over_250k'] as const;
export type SeedCostBand = (typeof COST_BANDS)[number];

export const ADOPTION_STAGES = ['considering', 'piloting', 'adopted', 'rejected'] as const;
export type SeedAdoptionStage = (typeof ADOPTION_STAGES)[number];

/**
 * A reusable solution, owned by the council that wrote it up. Products and standards named
 * here are real and their URLs are their public homes; the councils' accounts of building
 * or adopting them are illustrative.
 */
export interface SeedSolution {
  key: string;
  council: string;
  title: string;
  summary: string;
  body: string;
  serviceArea: ServiceAreaCode;
  tags: string[];
  kind: SeedSolutionKind;
  phase: SeedSolutionPhase;
  /** SPDX identifier, OGL-UK-3.0 or "proprietary"; absent where it does not apply. */
  licence?: string;
  /** Only where the address is real and public. */
  url?: string;
  costBand: SeedCostBand;
  /** Councils that built or run it with the owner. */
  partners?: string[];
  /** Keys of the problems it addresses. */
  problems: string[];
  adoptions?: { council: string; stage: SeedAdoptionStage; note?: string }[];
}

export const SOLUTIONS: SeedSolution[] = [...PEOPLE_SOLUTIONS, ...PLACE_SOLUTIONS, ...CORPORATE_SOLUTIONS];
