import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { COUNCIL_KINDS } from '../server/domain/councils.js';
import { checkSystemFilter } from '../server/domain/systems/system-filter.js';
import { builder } from './builder.js';
import { SystemCategoryEnum, SystemNameInput } from './council-system.js';
import { CouncilRef } from './refs.js';

export const CouncilKindEnum = builder.enumType('CouncilKind', {
  values: Object.fromEntries(COUNCIL_KINDS.map((kind) => [kind.toUpperCase(), { value: kind }])) as Record<
    Uppercase<(typeof COUNCIL_KINDS)[number]>, { value: (typeof COUNCIL_KINDS)[number] }>,
});

builder.node(CouncilRef, {
  id: { resolve: (council) => council.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'slug' in value && 'gssCode' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.council.load(id)),
  description: 'A UK local authority',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    kind: t.field({ type: CouncilKindEnum, resolve: (c) => c.kind }),
    region: t.exposeString('region', { description: 'English region, or Scotland, Wales or Northern Ireland' }),
    gssCode: t.exposeString('gssCode', { nullable: true, description: 'ONS GSS code, e.g. E06000023' }),
    website: t.exposeString('website', { nullable: true }),
    sample: t.exposeBoolean('sample', { description: 'A council of the sample data loaded to try the hub: its details are real, the items it owns there are a demo' }),
  }),
});

builder.queryFields((t) => ({
  council: t.field({
    type: CouncilRef,
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_, { slug }, ctx) => ctx.services.councils.bySlug(slug),
  }),
  councils: t.connection({
    type: CouncilRef,
    args: {
      kinds: t.arg({ type: [CouncilKindEnum] }),
      regions: t.arg.stringList(),
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
