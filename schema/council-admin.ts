import { builder } from './builder.js';
import { CouncilKindEnum } from './council.js';
import { MUTATION_ERRORS } from './errors.js';
import { CouncilRef } from './refs.js';

const REGION_HELP = 'An English region (e.g. "South West"), or Scotland, Wales or Northern Ireland';

const CreateCouncilInput = builder.inputType('CreateCouncilInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Lower-case words joined by hyphens, e.g. north-somerset' }),
    name: t.string({ required: true }),
    kind: t.field({ type: CouncilKindEnum, required: true }),
    region: t.string({ required: true, description: REGION_HELP }),
    gssCode: t.string({ description: 'ONS GSS code, e.g. E06000024' }),
    website: t.string(),
  }),
});

const UpdateCouncilInput = builder.inputType('UpdateCouncilInput', {
  fields: (t) => ({
    id: t.globalID({ for: [CouncilRef], required: true }),
    slug: t.string(),
    name: t.string(),
    kind: t.field({ type: CouncilKindEnum }),
    region: t.string({ description: REGION_HELP }),
    gssCode: t.string({ description: 'null clears it' }),
    website: t.string({ description: 'null clears it' }),
  }),
});

const councilPayload = { types: MUTATION_ERRORS, dataField: { name: 'council' } };

builder.mutationFields((t) => ({
  createCouncil: t.field({
    type: CouncilRef,
    description: 'Platform admins only: adds a council to the hub',
    errors: councilPayload,
    args: { input: t.arg({ type: CreateCouncilInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.councilAdmin.create(ctx.viewer, input),
  }),
  updateCouncil: t.field({
    type: CouncilRef,
    description: 'Platform admins only: renames a council or corrects its details',
    errors: councilPayload,
    args: { input: t.arg({ type: UpdateCouncilInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.councilAdmin.update(ctx.viewer, { ...input, id: input.id.id }),
  }),
}));
