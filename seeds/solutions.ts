import type { ServiceAreaCode } from '../server/domain/service-areas.js';
import type { CostBand, SolutionKind, SolutionPhase } from '../server/domain/solution-input.js';
import type { AdoptionStage } from '../server/domain/solution-adoptions.js';
import { PEOPLE_SOLUTIONS } from './solutions-people.js';
import { PLACE_SOLUTIONS } from './solutions-place.js';
import { CORPORATE_SOLUTIONS } from './solutions-corporate.js';

/**
 * A reusable solution, owned by the council that wrote it up: sample data (see the README).
 * Products and standards named here are real and their URLs are their public homes. A real
 * council's account states figures or outcomes only with a `sourceUrl` that says them;
 * accounts no source backs belong to a fictional council.
 */
export interface SeedSolution {
  key: string;
  council: string;
  title: string;
  summary: string;
  body: string;
  serviceArea: ServiceAreaCode;
  tags: string[];
  /** A public page that says what this item says; required when it has figures about a real council (test/unit/seed-data.test.ts). */
  sourceUrl?: string;
  kind: SolutionKind;
  phase: SolutionPhase;
  /** SPDX identifier, OGL-UK-3.0 or "proprietary"; absent where it does not apply. */
  licence?: string;
  /** Only where the address is real and public. */
  url?: string;
  /** What a council should expect to spend to adopt it, in its first year. */
  costBand: CostBand;
  /** Councils that built or run it with the owner. */
  partners?: string[];
  /** Keys of the problems it addresses. */
  problems: string[];
  adoptions?: { council: string; stage: AdoptionStage; note?: string }[];
}

export const SOLUTIONS: SeedSolution[] = [...PEOPLE_SOLUTIONS, ...PLACE_SOLUTIONS, ...CORPORATE_SOLUTIONS];
