import { ADMIN_LIMITS } from '../server/domain/admin-input.js';
import { LIMITS } from '../server/domain/input-checker.js';
import { builder } from './builder.js';
import { CouncilKindEnum } from './council.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { CouncilRef } from './refs.js';

const REGION_HELP = 'An English region (e.g. "South West"), or Scotland, Wales or Northern Ireland';
const SLUG_HELP = `2 to ${ADMIN_LIMITS.slug} lower-case letters and digits in words joined by hyphens, e.g. north-somerset`;
const NAME_HELP = `Its official name: one line, at most ${LIMITS.name} characters`;

const CreateCouncilInput = builder.inputType('CreateCouncilInput', {
  description: 'A council to add to the hub',
  fields: (t) => ({
    slug: t.string({ required: true, description: `Unique. ${SLUG_HELP}` }),
    name: t.string({ required: true, description: NAME_HELP }),
    kind: t.field({ type: CouncilKindEnum, required: true, description: 'The kind of authority' }),
    region: t.string({ required: true, description: REGION_HELP }),
    gssCode: t.string({ description: 'ONS GSS code: E, N, S or W and eight digits, e.g. E06000024' }),
    website: t.string({ description: 'An http or https address' }),
  }),
});

const UpdateCouncilInput = builder.inputType('UpdateCouncilInput', {
  description: 'Changes to a council; a field left out keeps its value, and at least one must be given',
  fields: (t) => ({
    id: t.globalID({ for: [CouncilRef], required: true, description: 'The council to change' }),
    slug: t.string({ description: `Unique. ${SLUG_HELP}` }),
    name: t.string({ description: NAME_HELP }),
    kind: t.field({ type: CouncilKindEnum, description: 'The kind of authority' }),
    region: t.string({ description: REGION_HELP }),
    gssCode: t.string({ description: 'ONS GSS code: E, N, S or W and eight digits; null clears it' }),
    website: t.string({ description: 'An http or https address; null clears it' }),
  }),
});

const councilPayload = { types: MUTATION_ERRORS, dataField: { name: 'council', description: 'The council as it is now' } };

builder.mutationFields((t) => ({
  createCouncil: t.field({
    type: CouncilRef,
    description: 'Platform admins only: adds a council to the hub',
    errors: councilPayload,
    args: { input: t.arg({ type: CreateCouncilInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.councilAdmin.create(ctx.viewer, input),
  }),
  updateCouncil: t.field({
    type: CouncilRef,
    description: 'Platform admins only: renames a council or corrects its details',
    errors: councilPayload,
    args: { input: t.arg({ type: UpdateCouncilInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.councilAdmin.update(ctx.viewer, { ...input, id: input.id.id }),
  }),
}));
