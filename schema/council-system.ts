import { SYSTEM_CATEGORIES } from '../server/domain/systems/system-model.js';
import type { SharedSystem } from '../server/domain/systems/system-reads.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';
import { builder } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef, CouncilSystemRef, ProblemRef } from './refs.js';

export const SystemCategoryEnum = builder.enumType('SystemCategory', {
  description: 'The kind of major system a council runs',
  values: Object.fromEntries(SYSTEM_CATEGORIES.map((c) => [c.toUpperCase(), { value: c, description: `Systems for ${c.replaceAll('_', ' ')}` }])) as Record<
    Uppercase<(typeof SYSTEM_CATEGORIES)[number]>, { value: (typeof SYSTEM_CATEGORIES)[number]; description: string }>,
});

builder.node(CouncilSystemRef, {
  id: { resolve: (s) => s.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'supplier' in value && 'product' in value && 'contractEndsOn' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.councilSystem.load(id)),
  description: 'A major system a council runs, as its admins recorded it: public, so councils on the same system can buy together',
  fields: (t) => ({
    category: t.field({ type: SystemCategoryEnum, description: 'What kind of system it is', resolve: (s) => s.category }),
    supplier: t.exposeString('supplier', { description: 'Who supplies it, as the council wrote it' }),
    product: t.exposeString('product', { description: 'The product, as the council wrote it' }),
    contractEndsOn: t.expose('contractEndsOn', { type: 'Date', nullable: true, description: 'When the current contract ends, if the council said' }),
    council: t.field({ type: CouncilRef, description: 'The council that runs it', resolve: (s, _, ctx) => ctx.loaders.council.load(s.councilId).then(must) }),
    councilsOnSameSystem: t.field({
      type: [CouncilRef],
      extensions: listCap(LIST_CAPS.sameSystem),
      description: 'Other councils running the same supplier\'s product (case and spacing aside), by name',
      resolve: async (s, _, ctx) => Promise.all((await ctx.loaders.sameSystemCouncils.load(s.id)).map((id) => ctx.loaders.council.load(id).then(must))),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its admins last changed it' }),
  }),
});

builder.objectField(CouncilRef, 'systems', (t) => t.field({
  type: [CouncilSystemRef],
  extensions: listCap(LIST_CAPS.systems),
  description: 'The major systems the council runs, by category',
  resolve: (c, _, ctx) => ctx.loaders.councilSystems.load(c.id),
}));

type SharedCouncil = SharedSystem['councils'][number];
const SharedSystemCouncilRef = builder.objectRef<SharedCouncil>('SharedSystemCouncil').implement({
  description: 'A council sharing a problem that runs the same system',
  fields: (t) => ({
    council: t.field({ type: CouncilRef, description: 'The council', resolve: (c, _, ctx) => ctx.loaders.council.load(c.councilId).then(must) }),
    contractEndsOn: t.expose('contractEndsOn', { type: 'Date', nullable: true, description: 'When its contract for the system ends, if it said' }),
  }),
});

const SharedSystemRef = builder.objectRef<SharedSystem>('SharedSystem').implement({
  description: 'A system run by two or more of the councils that share a problem: partners for joint procurement',
  fields: (t) => ({
    category: t.field({ type: SystemCategoryEnum, description: 'What kind of system it is', resolve: (s) => s.category }),
    supplier: t.exposeString('supplier', { description: 'Who supplies it, as the council wrote it' }),
    product: t.exposeString('product', { description: 'The product, as the council wrote it' }),
    councils: t.field({ type: [SharedSystemCouncilRef], description: `The councils sharing the problem that run it (at most ${LIST_CAPS.sameSystem})`, extensions: listCap(LIST_CAPS.sameSystem), resolve: (s) => [...s.councils] }),
  }),
});

builder.objectField(ProblemRef, 'sharedSystems', (t) => t.field({
  type: [SharedSystemRef],
  extensions: listCap(LIST_CAPS.sharedSystems),
  description: 'Systems that two or more of the councils sharing this problem (its council and its supporters) run, most councils first',
  resolve: (p, _, ctx) => ctx.loaders.problemSharedSystems.load(p.id),
}));

export const SystemNameInput = builder.inputType('SystemNameInput', {
  description: 'A system by supplier and product; matched ignoring case and extra spaces',
  fields: (t) => ({
    supplier: t.string({ required: true, description: 'The supplier (case and extra spaces do not matter)' }),
    product: t.string({ required: true, description: 'The product (case and extra spaces do not matter)' }),
  }),
});

const AddCouncilSystemInput = builder.inputType('AddCouncilSystemInput', {
  description: 'A system your council runs',
  fields: (t) => ({
    category: t.field({ type: SystemCategoryEnum, required: true, description: 'What kind of system it is' }),
    supplier: t.string({ required: true, description: 'At most 120 characters' }),
    product: t.string({ required: true, description: 'At most 120 characters' }),
    contractEndsOn: t.field({ type: 'Date', description: 'When the current contract ends, YYYY-MM-DD' }),
  }),
});

const UpdateCouncilSystemInput = builder.inputType('UpdateCouncilSystemInput', {
  description: 'Changes to one of your council\'s systems; fields left out stay as they are',
  fields: (t) => ({
    id: t.globalID({ for: [CouncilSystemRef], required: true, description: 'The system to change' }),
    category: t.field({ type: SystemCategoryEnum, description: 'What kind of system it is' }),
    supplier: t.string({ description: 'At most 120 characters' }),
    product: t.string({ description: 'At most 120 characters' }),
    contractEndsOn: t.field({ type: 'Date', description: 'null clears it' }),
  }),
});

const RemoveCouncilSystemInput = builder.inputType('RemoveCouncilSystemInput', {
  description: 'Which of your council\'s systems to remove',
  fields: (t) => ({ id: t.globalID({ for: [CouncilSystemRef], required: true, description: 'The system to remove' }) }),
});

const payload = { types: MUTATION_ERRORS, dataField: { name: 'councilSystem', description: 'The system as it is now (or was, once removed)' } };

builder.mutationFields((t) => ({
  addCouncilSystem: t.field({
    type: CouncilSystemRef,
    description: 'Your council\'s admins only: records a system it runs (at most 30)',
    errors: payload,
    args: { input: t.arg({ type: AddCouncilSystemInput, required: true, description: 'What to change' }) },
    resolve: (_, { input }, ctx) => ctx.services.councilSystems.add(ctx.viewer, input),
  }),
  updateCouncilSystem: t.field({
    type: CouncilSystemRef,
    description: 'Your council\'s admins only',
    errors: payload,
    args: { input: t.arg({ type: UpdateCouncilSystemInput, required: true, description: 'What to change' }) },
    resolve: (_, { input }, ctx) => ctx.services.councilSystems.update(ctx.viewer, { ...input, id: input.id.id }),
  }),
  removeCouncilSystem: t.field({
    type: CouncilSystemRef,
    description: 'Your council\'s admins only; answers the system as it was',
    errors: payload,
    args: { input: t.arg({ type: RemoveCouncilSystemInput, required: true, description: 'What to change' }) },
    resolve: (_, { input }, ctx) => ctx.services.councilSystems.remove(ctx.viewer, input.id.id),
  }),
}));
