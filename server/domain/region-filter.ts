import { NATIONS_AND_REGIONS } from './councils.js';
import type { InputChecker } from './input-checker.js';

/**
 * Regions are free text in the API (spelled as `Council.region`), so a filter on them is
 * checked here: each value must be one of the nations and regions, and repeats go, which
 * also bounds the list at twelve values.
 */
export function checkRegions(check: InputChecker, field: string, values: readonly string[] | null | undefined): string[] | undefined {
  if (values === undefined || values === null) return undefined;
  const known: readonly string[] = NATIONS_AND_REGIONS;
  const regions = new Set<string>();
  values.forEach((value, i) => {
    const region = value.trim();
    if (known.includes(region)) regions.add(region);
    else check.fail(`${field}.${i}`, `must be one of ${NATIONS_AND_REGIONS.join(', ')}`);
  });
  return [...regions];
}
