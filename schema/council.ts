import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { COUNCIL_KINDS } from '../server/domain/councils.js';
import { checkSystemFilter } from '../server/domain/systems/system-filter.js';
import { builder } from './builder.js';
import { SystemCategoryEnum, SystemNameInput } from './council-system.js';
import { CouncilRef } from './refs.js';

const KIND_DESCRIPTIONS: Record<(typeof COUNCIL_KINDS)[number], string> = {
  county: 'A county council (upper tier, with districts below it)',
  district: 'A district, borough or city council (lower tier, under a county)',
  unitary: 'A unitary authority: one tier, every service',
  metropolitan_district: 'A metropolitan borough or city council',
  london_borough: 'A London borough council, or the City of London Corporation',
  combined_authority: 'A combined authority of several councils',
  other: 'Any other local authority, e.g. in Scotland, Wales or Northern Ireland',
};

export const CouncilKindEnum = builder.enumType('CouncilKind', {
  description: 'The kind of local authority',
  values: Object.fromEntries(COUNCIL_KINDS.map((kind) => [kind.toUpperCase(), { value: kind, description: KIND_DESCRIPTIONS[kind] }])) as Record<
    Uppercase<(typeof COUNCIL_KINDS)[number]>, { value: (typeof COUNCIL_KINDS)[number]; description: string }>,
});

builder.node(CouncilRef, {
  id: { resolve: (council) => council.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'slug' in value && 'gssCode' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.council.load(id)),
  description: 'A UK local authority',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Its short name in addresses, e.g. `north-somerset`; `council(slug:)` takes it' }),
    name: t.exposeString('name', { description: 'Its official name, e.g. `North Somerset Council`' }),
    kind: t.field({ type: CouncilKindEnum, description: 'The kind of authority', resolve: (c) => c.kind }),
    region: t.exposeString('region', { description: 'English region, or Scotland, Wales or Northern Ireland' }),
    gssCode: t.exposeString('gssCode', { nullable: true, description: 'ONS GSS code, e.g. E06000023' }),
    website: t.exposeString('website', { nullable: true, description: 'Its website, an https address' }),
    sample: t.exposeBoolean('sample', { description: 'A council of the sample data loaded to try the hub: its details are real, the items it owns there are a demo' }),
  }),
});

builder.queryFields((t) => ({
  council: t.field({
    type: CouncilRef,
    nullable: true,
    description: 'The council with this slug, or null',
    args: { slug: t.arg.string({ required: true, description: 'e.g. `north-somerset`' }) },
    resolve: (_, { slug }, ctx) => ctx.services.councils.bySlug(slug),
  }),
  councils: t.connection({
    type: CouncilRef,
    description: 'Every council on the hub, by name',
    args: {
      kinds: t.arg({ type: [CouncilKindEnum], description: 'Only councils of these kinds' }),
      regions: t.arg.stringList({ description: 'Only councils in these regions, spelled as `Council.region` is (exact match)' }),
      system: t.arg({ type: SystemNameInput, description: 'Councils running this system' }),
      systemCategory: t.arg({ type: SystemCategoryEnum, description: 'Councils running a system of this category' }),
      contractsEndingWithinMonths: t.arg.int({ description: 'Councils with a system whose contract ends from today to this many months ahead (1 to 120); with `system` or `systemCategory`, that system\'s contract' }),
    },
    // Around 400 councils exist in the UK: offset paging over name order is enough.
    resolve: (_, args, ctx) => {
      const systems = { system: args.system, category: args.systemCategory, contractsEndingWithinMonths: args.contractsEndingWithinMonths };
      checkSystemFilter(systems);
      return resolveOffsetConnection({ args }, ({ offset, limit }) =>
        ctx.services.councils.list({ kinds: args.kinds, regions: args.regions, systems }, offset, limit));
    },
  }),
}));
