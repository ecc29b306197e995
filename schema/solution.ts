import { ADOPTION_STAGES, type Adoption } from '../server/domain/solution-adoptions.js';
import { SOLUTION_KINDS, SOLUTION_PHASES } from '../server/domain/solution-input.js';
import type { Solution } from '../server/domain/solutions.js';
import { builder } from './builder.js';
import { commonFilterFields, SolutionOrderEnum, resolveContentConnection, toListFilter } from './content.js';
import { must } from '../server/kernel/must.js';
import { ContentRef, CouncilRef, ProblemRef, SolutionRef } from './refs.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

/** An enum whose GraphQL names are the upper-cased domain values. */
function upperEnum<T extends string>(name: string, values: readonly T[], description?: string) {
  return builder.enumType(name, {
    ...(description ? { description } : {}),
    values: Object.fromEntries(values.map((value) => [value.toUpperCase(), { value }])) as Record<Uppercase<T>, { value: T }>,
  });
}

export const SolutionKindEnum = upperEnum('SolutionKind', SOLUTION_KINDS);
export const SolutionPhaseEnum = upperEnum('SolutionPhase', SOLUTION_PHASES, 'Delivery phase, as in the GDS service manual');
export const AdoptionStageEnum = upperEnum('AdoptionStage', ADOPTION_STAGES, 'Where a council stands with a solution');

export const SolutionStatusEnum = builder.enumType('SolutionStatus', {
  values: {
    ACTIVE: { value: 'active' },
    ARCHIVED: { value: 'archived', description: 'Kept for the record; hidden from listings and takes no new adoptions' },
  } as const,
});

export const CostBandEnum = builder.enumType('CostBand', {
  description: 'Rough first-year cost for one council to adopt a solution: licences, hosting and set-up',
  values: {
    FREE: { value: 'free' },
    UNDER_10K: { value: 'under_10k', description: 'Under £10,000' },
    FROM_10K_TO_50K: { value: '10k_to_50k', description: '£10,000 to £50,000' },
    FROM_50K_TO_250K: { value: '50k_to_250k', description: '£50,000 to £250,000' },
    OVER_250K: { value: 'over_250k', description: 'Over £250,000' },
  } as const,
});

export const AdoptionRef = builder.objectRef<Adoption>('Adoption').implement({
  description: 'Where one council stands with one solution',
  fields: (t) => ({
    council: t.field({ type: CouncilRef, resolve: (a, _, ctx) => ctx.loaders.council.load(a.councilId).then(must) }),
    stage: t.field({ type: AdoptionStageEnum, resolve: (a) => a.stage }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.node(SolutionRef, {
  id: { resolve: (solution) => solution.id },
  interfaces: [ContentRef],
  isTypeOf: (value) => (value as Solution).subject === 'solution',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.solution.load(id)),
  description: 'Something a council built or uses that other councils can reuse',
  fields: (t) => ({
    status: t.field({ type: SolutionStatusEnum, resolve: (s) => s.status }),
    kind: t.field({ type: SolutionKindEnum, resolve: (s) => s.kind }),
    phase: t.field({ type: SolutionPhaseEnum, resolve: (s) => s.phase }),
    licence: t.exposeString('licence', { nullable: true, description: 'e.g. MIT, OGL-UK-3.0 or Proprietary' }),
    url: t.exposeString('url', { nullable: true, description: 'Source code or product page' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'A public page where this was published before: a council report, a blog post, the press' }),
    costBand: t.field({ type: CostBandEnum, nullable: true, resolve: (s) => s.costBand }),
    adoptionCount: t.exposeInt('adoptionCount', { description: 'Councils that have adopted it' }),
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
  fields: (t) => ({
    ...commonFilterFields(t),
    statuses: t.field({ type: [SolutionStatusEnum], description: 'Default: ACTIVE' }),
    kinds: t.field({ type: [SolutionKindEnum] }),
    phases: t.field({ type: [SolutionPhaseEnum] }),
  }),
});

builder.queryField('solutions', (t) =>
  t.connection({
    type: SolutionRef,
    description: 'Published solutions (and your own drafts on request)',
    args: {
      filter: t.arg({ type: SolutionFilter }),
      orderBy: t.arg({ type: SolutionOrderEnum, defaultValue: 'created_at', description: 'Default: NEWEST' }),
    },
    resolve: (_, args, ctx, info) => {
      const sort = args.orderBy ?? 'created_at';
      const filter = { ...toListFilter(args.filter), kinds: args.filter?.kinds, phases: args.filter?.phases };
      return resolveContentConnection(args, sort, ctx.loaders, info, (page) => ctx.services.solutions.list(ctx.viewer, filter, sort, page));
    },
  }),
);
