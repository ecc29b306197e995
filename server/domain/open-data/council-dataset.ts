import type { CouncilRow } from '../../db/database.js';
import { encodeGlobalId } from '../../kernel/global-id.js';
import { COUNCIL_KINDS } from '../councils.js';
import { isoDate } from './columns.js';
import { defineDataset } from './dataset.js';

/** Councils are public in full (their members, tokens and settings are never part of them). */
export const COUNCILS = defineDataset<CouncilRow>({
  name: 'councils', version: 1, title: 'Councils',
  description: 'Every council on the hub, with its type, region and ONS GSS code.',
  columns: [
    { name: 'id', type: 'id', idOf: 'Council', description: 'The council\'s global id in the API; other files refer to it as council_id', value: (r) => encodeGlobalId('Council', r.id) },
    { name: 'slug', type: 'text', description: 'Short name in its page address, /councils/<slug>', value: (r) => r.slug },
    { name: 'name', type: 'text', description: 'Name', value: (r) => r.name },
    { name: 'kind', type: 'code', values: COUNCIL_KINDS, description: 'Council type', value: (r) => r.kind },
    { name: 'region', type: 'text', description: 'English region, or Scotland, Wales or Northern Ireland', value: (r) => r.region },
    { name: 'gss_code', type: 'text', nullable: true, description: 'ONS GSS code, e.g. E06000023', value: (r) => r.gss_code },
    { name: 'website', type: 'url', nullable: true, description: 'The council\'s website', value: (r) => r.website },
    { name: 'sample', type: 'boolean', description: 'A council of the sample data loaded to try the hub: its details are real, what it publishes there is a demo', value: (r) => r.sample },
    { name: 'joined_at', type: 'datetime', description: 'When it joined the hub', value: (r) => isoDate(r.created_at) },
  ],
  page: (trx, after, limit) => trx.selectFrom('councils').selectAll()
    .$if(after !== null, (q) => q.where('id', '>', after!.id))
    .orderBy('id').limit(limit).execute(),
});
