import type { InputChecker } from './input-checker.js';
import { checkDate } from './systems/council-systems.js';

/** Problems and solutions may say when their current phase is expected to end. */
export interface FreshnessInput {
  /** YYYY-MM-DD; null or empty clears it. */
  phaseEndsOn?: string | null;
}

/** `phase_ends_on`, when the input names it. */
export function checkPhaseEnd(check: InputChecker, input: FreshnessInput): { phase_ends_on?: string | null } {
  const value = input.phaseEndsOn === '' ? null : input.phaseEndsOn;
  const date = checkDate(check, 'phaseEndsOn', value);
  return date === undefined ? {} : { phase_ends_on: date };
}

/** What any edit or "still current" sets: a waiting nudge is answered and the mark goes. */
export const FRESHENED = { nudged_at: null, out_of_date: false } as const;
