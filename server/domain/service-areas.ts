import { ESD_FUNCTIONS_OF } from './esd-functions.js';

/**
 * The one service-area taxonomy. Records, filters, subscriptions, search facets and the
 * GraphQL enum all derive from this list. `esdFunction` is the matching function in the
 * LGA's esd standard Functions list, where there is a clear match, in words; `functions`
 * (esd-functions.ts) are its identifiers.
 */
export const SERVICE_AREAS = [
  { code: 'adult_social_care', name: 'Adult social care', esdFunction: 'Adult social care' },
  { code: 'childrens_social_care', name: "Children's social care and early help", esdFunction: 'Children and families' },
  { code: 'education_send', name: 'Education and SEND', esdFunction: 'Education and skills' },
  { code: 'housing', name: 'Housing and homelessness', esdFunction: 'Housing' },
  { code: 'planning', name: 'Planning and building control', esdFunction: 'Planning and building control' },
  { code: 'waste', name: 'Waste and recycling', esdFunction: 'Waste management' },
  { code: 'highways_transport', name: 'Highways, streets and transport', esdFunction: 'Transport infrastructure' },
  { code: 'environment_climate', name: 'Environment and climate', esdFunction: 'Environmental protection' },
  { code: 'revenues_benefits', name: 'Revenues, benefits and council tax', esdFunction: 'Council tax and benefits' },
  { code: 'payments_income', name: 'Payments and income', esdFunction: 'Finance' },
  { code: 'licensing_protection', name: 'Licensing and public protection', esdFunction: 'Licensing' },
  { code: 'community_voluntary', name: 'Community and voluntary sector', esdFunction: 'Community development' },
  { code: 'leisure_culture', name: 'Leisure, culture and tourism', esdFunction: 'Culture and leisure' },
  { code: 'public_health', name: 'Public health', esdFunction: 'Public health' },
  { code: 'democracy', name: 'Democracy, elections and engagement', esdFunction: 'Elections and democracy' },
  { code: 'corporate', name: 'Corporate (digital platforms, data, cyber, workforce)', esdFunction: 'Corporate services' },
] as const;

export type ServiceAreaCode = (typeof SERVICE_AREAS)[number]['code'];

export const SERVICE_AREA_CODES: readonly ServiceAreaCode[] = SERVICE_AREAS.map((a) => a.code);

export function isServiceArea(value: string): value is ServiceAreaCode {
  return (SERVICE_AREA_CODES as readonly string[]).includes(value);
}

/**
 * A stored code as the taxonomy's type. Codes are checked when written (InputChecker), so an
 * unknown one is stale data; refusing it here fails as GraphQL's enum would.
 */
export function asServiceArea(value: string): ServiceAreaCode {
  if (!isServiceArea(value)) throw new Error(`unknown service area code ${JSON.stringify(value)}`);
  return value;
}

/** The esd Functions list entries that match a service area (none when nothing matches well). */
export function functionsOf(code: ServiceAreaCode) {
  return ESD_FUNCTIONS_OF[code];
}

export function serviceAreaName(code: ServiceAreaCode): string {
  return SERVICE_AREAS.find((a) => a.code === code)!.name;
}
