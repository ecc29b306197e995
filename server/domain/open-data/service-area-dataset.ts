import { ESD_FUNCTIONS_LIST, type EsdFunction } from '../esd-functions.js';
import { functionsOf, SERVICE_AREA_CODES, SERVICE_AREAS, type ServiceAreaCode } from '../service-areas.js';
import { defineDataset } from './dataset.js';

interface Pair {
  readonly key: number;
  readonly serviceArea: ServiceAreaCode;
  readonly fn: EsdFunction;
}

// A fixed list, the same in every snapshot: numbered in order so pages can key on it.
const PAIRS: readonly Pair[] = SERVICE_AREAS.flatMap((area) => functionsOf(area.code).map((fn) => ({ serviceArea: area.code, fn })))
  .map((pair, key) => ({ ...pair, key }));

/** Which entries of the LGA Functions list each service area matches (esd-functions.ts). */
export const SERVICE_AREA_FUNCTIONS = defineDataset<Pair>({
  name: 'service-area-functions', version: 1, title: 'Service areas and LGA functions',
  description: `Each service area of the hub with the matching entries of the LGA Functions list (${ESD_FUNCTIONS_LIST}), one row per pair; a service area with no clear match has no row.`,
  columns: [
    { name: 'service_area', type: 'code', values: SERVICE_AREA_CODES, description: 'Service area (the service_area column of the other files)', value: (r) => r.serviceArea },
    { name: 'service_area_name', type: 'text', description: 'The service area in words', value: (r) => SERVICE_AREAS.find((a) => a.code === r.serviceArea)!.name },
    { name: 'function_id', type: 'text', description: 'The identifier of the function in the LGA Functions list', value: (r) => r.fn.id },
    { name: 'function_label', type: 'text', description: 'Its label in the list', value: (r) => r.fn.label },
    { name: 'function_uri', type: 'url', description: 'Its linked-data URI, http://id.esd.org.uk/function/<id>', value: (r) => r.fn.uri },
  ],
  page: async (_trx, after, limit) => PAIRS.slice(after === null ? 0 : after.key + 1).slice(0, limit),
});
