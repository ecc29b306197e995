import { ADOPTION_STAGES, type Adoption } from '../server/domain/solution-adoptions.js';
import { SOLUTION_KINDS, SOLUTION_PHASES } from '../server/domain/solution-input.js';
import type { Solution } from '../server/domain/solutions.js';
import { builder } from './builder.js';
import { commonFilterFields, freshnessFilterFields, SolutionOrderEnum, resolveContentConnection, toListFilter } from './content.js';
import { must } from '../server/kernel/must.js';
import { ContentRef, CouncilRef, ProblemRef, SolutionRef } from './refs.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

/** An enum whose GraphQL names are the upper-cased domain values, each described. */
function upperEnum<T extends string>(name: string, description: string, values: Readonly<Record<T, string>>) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(Object.entries<string>(values).map(([value, about]) => [value.toUpperCase(), { value, description: about }])) as Record<Uppercase<T>, { value: T; description: string }>,
  });
}

export const SolutionKindEnum = upperEnum<(typeof SOLUTION_KINDS)[number]>('SolutionKind', 'What kind of thing a solution is', {
  software: 'An application or code a council can run',
  service_pattern: 'A way of designing a service, e.g. a form or a journey',
  process: 'A way of working',
  data_standard: 'A shared format or vocabulary for data',
  procurement_route: 'A framework or contract others can buy through',
  guidance: 'Written advice',
});
export const SolutionPhaseEnum = upperEnum<(typeof SOLUTION_PHASES)[number]>('SolutionPhase', 'Delivery phase, as in the GDS service manual', {
  discovery: 'Finding out what users need',
  alpha: 'Trying out ways to meet the need',
  beta: 'Running with real users while it is improved',
  live: 'In full service',
  retired: 'No longer run',
});
export const AdoptionStageEnum = upperEnum<(typeof ADOPTION_STAGES)[number]>('AdoptionStage', 'Where a council stands with a solution', {
  considering: 'Looking at it',
  piloting: 'Trying it out',
  adopted: 'Using it (counted in `adoptionCount`)',
  rejected: 'Decided against it',
});

export const SolutionStatusEnum = builder.enumType('SolutionStatus', {
  description: 'Whether a solution is still offered',
  values: {
    ACTIVE: { value: 'active', description: 'Offered for reuse (the status of a new solution)' },
    ARCHIVED: { value: 'archived', description: 'Kept for the record; hidden from listings and takes no new adoptions' },
  } as const,
});

export const CostBandEnum = builder.enumType('CostBand', {
  description: 'Rough first-year cost for one council to adopt a solution: licences, hosting and set-up',
  values: {
    FREE: { value: 'free', description: 'Nothing to pay' },
    UNDER_10K: { value: 'under_10k', description: 'Under £10,000' },
    FROM_10K_TO_50K: { value: '10k_to_50k', description: '£10,000 to £50,000' },
    FROM_50K_TO_250K: { value: '50k_to_250k', description: '£50,000 to £250,000' },
    OVER_250K: { value: 'over_250k', description: 'Over £250,000' },
  } as const,
});

export const AdoptionRef = builder.objectRef<Adoption>('Adoption').implement({
  description: 'Where one council stands with one solution',
  fields: (t) => ({
    council: t.field({ type: CouncilRef, description: 'The council', resolve: (a, _, ctx) => ctx.loaders.council.load(a.councilId).then(must) }),
    stage: t.field({ type: AdoptionStageEnum, description: 'Its stage with the solution', resolve: (a) => a.stage }),
    note: t.exposeString('note', { nullable: true, description: 'What the council found, for others considering it' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the council first recorded a stage' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed its stage or note' }),
  }),
});

builder.node(SolutionRef, {
  id: { resolve: (solution) => solution.id },
  interfaces: [ContentRef],
  isTypeOf: (value) => (value as Solution).subject === 'solution',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.solution.load(id)),
  description: 'Something a council built or uses that other councils can reuse',
  fields: (t) => ({
    status: t.field({ type: SolutionStatusEnum, description: 'Whether it is still offered', resolve: (s) => s.status }),
    kind: t.field({ type: SolutionKindEnum, description: 'What kind of thing it is', resolve: (s) => s.kind }),
    phase: t.field({ type: SolutionPhaseEnum, description: 'Its delivery phase', resolve: (s) => s.phase }),
    licence: t.exposeString('licence', { nullable: true, description: 'e.g. MIT, OGL-UK-3.0 or Proprietary' }),
    url: t.exposeString('url', { nullable: true, description: 'Source code or product page' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'A public page where this was published before: a council report, a blog post, the press' }),
    phaseEndsOn: t.expose('phaseEndsOn', { type: 'Date', nullable: true, description: 'When its current phase is expected to end, if its council said' }),
    mayBeOutOfDate: t.exposeBoolean('mayBeOutOfDate', { description: 'Its council was asked whether it is still current and has not answered: it may be out of date' }),
    costBand: t.field({ type: CostBandEnum, nullable: true, description: 'Rough first-year cost to adopt; null when not given', resolve: (s) => s.costBand }),
    adoptionCount: t.exposeInt('adoptionCount', { description: 'Councils that adopted it (stage ADOPTED)' }),
    problemCount: t.exposeInt('problemCount', { description: 'Published problems it addresses' }),
    partners: t.field({
      type: [CouncilRef],
      extensions: listCap(LIST_CAPS.partners),
      description: 'Councils that built or run it with the owning council',
      resolve: (s, _, ctx) => ctx.loaders.solutionPartners.load(s.id),
    }),
    adoptions: t.field({
      type: [AdoptionRef],
      extensions: listCap(LIST_CAPS.adoptions),
      description: `The councils that recorded a stage with it, most recently changed first (at most ${LIST_CAPS.adoptions}; adoptionCount counts them all)`,
      resolve: (s, _, ctx) => ctx.loaders.solutionAdoptions.load(s.id),
    }),
    problems: t.field({
      type: [ProblemRef],
      extensions: listCap(LIST_CAPS.links),
      description: `The problems it addresses that you may see, first linked first (at most ${LIST_CAPS.links})`,
      resolve: (s, _, ctx) => ctx.loaders.solutionProblems.load(s.id),
    }),
  }),
});

builder.objectField(ProblemRef, 'solutions', (t) =>
  t.field({
    type: [SolutionRef],
    extensions: listCap(LIST_CAPS.links),
    description: `Solutions linked to this problem that you may see, first linked first (at most ${LIST_CAPS.links})`,
    resolve: (p, _, ctx) => ctx.loaders.problemSolutions.load(p.id),
  }),
);

const SolutionFilter = builder.inputType('SolutionFilterInput', {
  description: 'Narrows `solutions`; every field given must match, a list matches any of its values',
  fields: (t) => ({
    ...commonFilterFields(t),
    statuses: t.field({ type: [SolutionStatusEnum], description: 'Default: ACTIVE' }),
    kinds: t.field({ type: [SolutionKindEnum], description: 'Of any of these kinds' }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'In any of these phases' }),
    ...freshnessFilterFields(t),
  }),
});

builder.queryField('solutions', (t) =>
  t.connection({
    type: SolutionRef,
    description: 'Published solutions (and your own drafts on request)',
    args: {
      filter: t.arg({ type: SolutionFilter, description: 'Default: every published ACTIVE solution' }),
      orderBy: t.arg({ type: SolutionOrderEnum, defaultValue: 'created_at', description: 'Default: NEWEST' }),
    },
    resolve: (_, args, ctx, info) => {
      const sort = args.orderBy ?? 'created_at';
      const filter = { ...toListFilter(args.filter), kinds: args.filter?.kinds, phases: args.filter?.phases };
      return resolveContentConnection(args, sort, ctx.loaders, info, (page) => ctx.services.solutions.list(ctx.viewer, filter, sort, page));
    },
  }),
);
