import type { Summary } from '../server/domain/content.js';
import type { SolutionProblemLink } from '../server/domain/solution-links.js';
import type { Solution } from '../server/domain/solution-model.js';
import { builder } from './builder.js';
import { possibleDuplicatesField, type BuilderTypes } from './search.js';
import { MUTATION_ERRORS } from './errors.js';
import { ServiceAreaEnum } from './service-area.js';
import { AdoptionStageEnum, CostBandEnum, SolutionKindEnum, SolutionPhaseEnum } from './solution.js';
import { CouncilRef, ProblemRef, SolutionRef } from './refs.js';

/** Fields a solution's create and update inputs share; `required` marks creation's musts. */
function solutionFields(t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>, required: boolean) {
  return {
    title: t.string({ required }),
    summary: t.string({ required }),
    body: t.string({ description: 'Markdown' }),
    serviceArea: t.field({ type: ServiceAreaEnum, required }),
    tags: t.stringList(),
    kind: t.field({ type: SolutionKindEnum, required }),
    phase: t.field({ type: SolutionPhaseEnum, required }),
    licence: t.string({ description: 'e.g. MIT, OGL-UK-3.0 or Proprietary; null clears it' }),
    url: t.string({ description: 'Source code or product page, http or https; null clears it' }),
    costBand: t.field({ type: CostBandEnum, description: 'null clears it' }),
    sourceUrl: t.string({ description: 'A public page where this was published before, http or https; null clears it' }),
    partnerIds: t.globalIDList({ for: [CouncilRef], description: 'Partner councils; on update, replaces the list' }),
  };
}

const CreateSolutionInput = builder.inputType('CreateSolutionInput', {
  fields: (t) => solutionFields(t, true),
});

const UpdateSolutionInput = builder.inputType('UpdateSolutionInput', {
  fields: (t) => ({
    id: t.globalID({ for: [SolutionRef], required: true }),
    version: t.int({ required: true, description: 'The version you edited' }),
    ...solutionFields(t, false),
  }),
});

const solutionVersionFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  id: t.globalID({ for: [SolutionRef], required: true }),
  version: t.int({ description: 'When given, the change fails with a conflict if the solution has moved on' }),
});
const PublishSolutionInput = builder.inputType('PublishSolutionInput', { fields: solutionVersionFields });
const ArchiveSolutionInput = builder.inputType('ArchiveSolutionInput', { fields: solutionVersionFields });

const RecordAdoptionInput = builder.inputType('RecordAdoptionInput', {
  fields: (t) => ({
    solutionId: t.globalID({ for: [SolutionRef], required: true }),
    stage: t.field({ type: AdoptionStageEnum, required: true }),
    note: t.string({ description: 'What your council found, for others considering it' }),
  }),
});

const pairFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  solutionId: t.globalID({ for: [SolutionRef], required: true }),
  problemId: t.globalID({ for: [ProblemRef], required: true }),
});
const LinkSolutionToProblemInput = builder.inputType('LinkSolutionToProblemInput', { fields: pairFields });
const UnlinkSolutionFromProblemInput = builder.inputType('UnlinkSolutionFromProblemInput', { fields: pairFields });

const SolutionProblemLinkRef = builder.objectRef<SolutionProblemLink>('SolutionProblemLink').implement({
  description: 'A solution and a problem it addresses, with their counts after the change',
  fields: (t) => ({
    solution: t.field({ type: SolutionRef, resolve: (link) => link.solution }),
    problem: t.field({ type: ProblemRef, resolve: (link) => link.problem }),
  }),
});

const solutionPayload = { types: MUTATION_ERRORS, dataField: { name: 'solution' } };
// Creating or publishing a solution also says which published solutions look the same.
const solutionPayloadWithDuplicates = {
  ...solutionPayload,
  result: { fields: (t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Summary<Solution>>) => ({ possibleDuplicates: possibleDuplicatesField(t, 'solution') }) },
};
const linkPayload = { types: MUTATION_ERRORS, dataField: { name: 'link' } };

builder.mutationFields((t) => ({
  createSolution: t.field({
    type: SolutionRef,
    description: 'Drafts a solution for your council; publish it to share it',
    errors: solutionPayloadWithDuplicates,
    args: { input: t.arg({ type: CreateSolutionInput, required: true }) },
    resolve: (_, { input: { partnerIds, ...input } }, ctx) => ctx.services.solutions.create(ctx.viewer, { ...input, partnerIds: partnerIds?.map((c) => c.id) }),
  }),
  updateSolution: t.field({
    type: SolutionRef,
    errors: solutionPayload,
    args: { input: t.arg({ type: UpdateSolutionInput, required: true }) },
    resolve: (_, { input: { partnerIds, ...input } }, ctx) =>
      ctx.services.solutions.update(ctx.viewer, { ...input, id: input.id.id, partnerIds: partnerIds?.map((c) => c.id) }),
  }),
  publishSolution: t.field({
    type: SolutionRef,
    description: 'Shares a draft solution with every council; says which published solutions look the same',
    errors: solutionPayloadWithDuplicates,
    args: { input: t.arg({ type: PublishSolutionInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.publish(ctx.viewer, input.id.id, input.version),
  }),
  archiveSolution: t.field({
    type: SolutionRef,
    description: 'Retires a solution: it stays readable at its address but leaves listings and search',
    errors: solutionPayload,
    args: { input: t.arg({ type: ArchiveSolutionInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.archive(ctx.viewer, input.id.id, input.version),
  }),
  recordAdoption: t.field({
    type: SolutionRef,
    description: "Records your council's stage with a published solution, replacing any earlier one",
    errors: solutionPayload,
    args: { input: t.arg({ type: RecordAdoptionInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.recordAdoption(ctx.viewer, input.solutionId.id, input.stage, input.note),
  }),
  linkSolutionToProblem: t.field({
    type: SolutionProblemLinkRef,
    description: 'Says a solution addresses a problem; your council must own one of them. Linking twice changes nothing',
    errors: linkPayload,
    args: { input: t.arg({ type: LinkSolutionToProblemInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.linkSolutionToProblem(ctx.viewer, input.solutionId.id, input.problemId.id),
  }),
  unlinkSolutionFromProblem: t.field({
    type: SolutionProblemLinkRef,
    errors: linkPayload,
    args: { input: t.arg({ type: UnlinkSolutionFromProblemInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.unlinkSolutionFromProblem(ctx.viewer, input.solutionId.id, input.problemId.id),
  }),
}));
