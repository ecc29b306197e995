import type { Summary } from '../server/domain/content.js';
import type { SolutionProblemLink } from '../server/domain/solution-links.js';
import type { Solution } from '../server/domain/solution-model.js';
import { LIMITS } from '../server/domain/input-checker.js';
import { LICENCE_MAX, PARTNERS_MAX } from '../server/domain/solution-input.js';
import { builder } from './builder.js';
import { CONTENT_INPUT } from './content.js';
import { possibleDuplicatesField, type BuilderTypes } from './search.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { ServiceAreaEnum } from './service-area.js';
import { AdoptionStageEnum, CostBandEnum, SolutionKindEnum, SolutionPhaseEnum } from './solution.js';
import { CouncilRef, ProblemRef, SolutionRef } from './refs.js';

/** Fields a solution's create and update inputs share; `required` marks creation's musts. */
function solutionFields(t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>, required: boolean) {
  return {
    title: t.string({ required, description: CONTENT_INPUT.title }),
    summary: t.string({ required, description: CONTENT_INPUT.summary }),
    body: t.string({ description: CONTENT_INPUT.body }),
    serviceArea: t.field({ type: ServiceAreaEnum, required, description: CONTENT_INPUT.serviceArea }),
    tags: t.stringList({ description: required ? CONTENT_INPUT.tags : `Replaces every tag. ${CONTENT_INPUT.tags}` }),
    kind: t.field({ type: SolutionKindEnum, required, description: 'What kind of thing it is' }),
    phase: t.field({ type: SolutionPhaseEnum, required, description: 'Its delivery phase' }),
    licence: t.string({ description: `e.g. MIT, OGL-UK-3.0 or Proprietary: one line, at most ${LICENCE_MAX} characters; null clears it` }),
    url: t.string({ description: `Source code or product page. ${CONTENT_INPUT.url}` }),
    costBand: t.field({ type: CostBandEnum, description: 'Rough first-year cost to adopt; null clears it' }),
    sourceUrl: t.string({ description: `A public page where this was published before. ${CONTENT_INPUT.url}` }),
    phaseEndsOn: t.field({ type: 'Date', description: 'When its current phase is expected to end, YYYY-MM-DD: once it passes, its council is asked whether it is still current; null clears it' }),
    partnerIds: t.globalIDList({ for: [CouncilRef], description: `Councils that built or run it with yours, at most ${PARTNERS_MAX}; on update, replaces the list` }),
  };
}

const CreateSolutionInput = builder.inputType('CreateSolutionInput', {
  description: 'A new solution, saved as a draft of your council',
  fields: (t) => solutionFields(t, true),
});

const UpdateSolutionInput = builder.inputType('UpdateSolutionInput', {
  description: 'Changes to a solution; a field left out keeps its value',
  fields: (t) => ({
    id: t.globalID({ for: [SolutionRef], required: true, description: 'The solution to change' }),
    version: t.int({ required: true, description: 'The version you edited: if the solution has changed since, the update is a ConflictError' }),
    ...solutionFields(t, false),
  }),
});

const solutionVersionFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  id: t.globalID({ for: [SolutionRef], required: true, description: 'The solution' }),
  version: t.int({ description: 'When given, the change fails with a conflict if the solution has moved on' }),
});
const PublishSolutionInput = builder.inputType('PublishSolutionInput', { description: 'The draft solution to publish', fields: solutionVersionFields });
const ArchiveSolutionInput = builder.inputType('ArchiveSolutionInput', { description: 'The solution to archive', fields: solutionVersionFields });
const ConfirmSolutionCurrentInput = builder.inputType('ConfirmSolutionCurrentInput', { description: 'The solution your council says is still current', fields: solutionVersionFields });

const RecordAdoptionInput = builder.inputType('RecordAdoptionInput', {
  description: "Your council's stage with a published solution",
  fields: (t) => ({
    solutionId: t.globalID({ for: [SolutionRef], required: true, description: 'A published, ACTIVE solution' }),
    stage: t.field({ type: AdoptionStageEnum, required: true, description: 'Where your council stands with it' }),
    note: t.string({ description: `What your council found, for others considering it: plain text, at most ${LIMITS.note} characters` }),
  }),
});

const pairFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  solutionId: t.globalID({ for: [SolutionRef], required: true, description: 'The solution' }),
  problemId: t.globalID({ for: [ProblemRef], required: true, description: 'The problem it addresses' }),
});
const LinkSolutionToProblemInput = builder.inputType('LinkSolutionToProblemInput', { description: 'A solution and a problem it addresses', fields: pairFields });
const UnlinkSolutionFromProblemInput = builder.inputType('UnlinkSolutionFromProblemInput', { description: 'A solution and a problem it no longer addresses', fields: pairFields });

const SolutionProblemLinkRef = builder.objectRef<SolutionProblemLink>('SolutionProblemLink').implement({
  description: 'A solution and a problem it addresses, with their counts after the change',
  fields: (t) => ({
    solution: t.field({ type: SolutionRef, description: 'The solution, with `problemCount` after the change', resolve: (link) => link.solution }),
    problem: t.field({ type: ProblemRef, description: 'The problem, with `solutionCount` after the change', resolve: (link) => link.problem }),
  }),
});

const solutionPayload = { types: MUTATION_ERRORS, dataField: { name: 'solution', description: 'The solution as it is now' } };
// Creating or publishing a solution also says which published solutions look the same.
const solutionPayloadWithDuplicates = {
  ...solutionPayload,
  result: { fields: (t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Summary<Solution>>) => ({ possibleDuplicates: possibleDuplicatesField(t, 'solution') }) },
};
const linkPayload = { types: MUTATION_ERRORS, dataField: { name: 'link', description: 'Both ends, as they are now' } };

builder.mutationFields((t) => ({
  createSolution: t.field({
    type: SolutionRef,
    description: 'Drafts a solution for your council; publish it to share it',
    errors: solutionPayloadWithDuplicates,
    args: { input: t.arg({ type: CreateSolutionInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input: { partnerIds, ...input } }, ctx) => ctx.services.solutions.create(ctx.viewer, { ...input, partnerIds: partnerIds?.map((c) => c.id) }),
  }),
  updateSolution: t.field({
    type: SolutionRef,
    description: "Edits one of your council's solutions (editors and admins)",
    errors: solutionPayload,
    args: { input: t.arg({ type: UpdateSolutionInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input: { partnerIds, ...input } }, ctx) =>
      ctx.services.solutions.update(ctx.viewer, { ...input, id: input.id.id, partnerIds: partnerIds?.map((c) => c.id) }),
  }),
  publishSolution: t.field({
    type: SolutionRef,
    description: 'Shares a draft solution with every council; says which published solutions look the same',
    errors: solutionPayloadWithDuplicates,
    args: { input: t.arg({ type: PublishSolutionInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.publish(ctx.viewer, input.id.id, input.version),
  }),
  archiveSolution: t.field({
    type: SolutionRef,
    description: 'Retires a solution: it stays readable at its address but leaves listings and search',
    errors: solutionPayload,
    args: { input: t.arg({ type: ArchiveSolutionInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.archive(ctx.viewer, input.id.id, input.version),
  }),
  confirmSolutionCurrent: t.field({
    type: SolutionRef,
    description: "Says one of your council's solutions is still current (editors and admins): answers a freshness nudge, clears \"may be out of date\" and counts as a change",
    errors: solutionPayload,
    args: { input: t.arg({ type: ConfirmSolutionCurrentInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.confirmCurrent(ctx.viewer, input.id.id, input.version),
  }),
  recordAdoption: t.field({
    type: SolutionRef,
    description: "Records your council's stage with a published solution, replacing any earlier one",
    errors: solutionPayload,
    args: { input: t.arg({ type: RecordAdoptionInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.recordAdoption(ctx.viewer, input.solutionId.id, input.stage, input.note),
  }),
  linkSolutionToProblem: t.field({
    type: SolutionProblemLinkRef,
    description: 'Says a solution addresses a problem; your council must own one of them. Linking twice changes nothing',
    errors: linkPayload,
    args: { input: t.arg({ type: LinkSolutionToProblemInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.linkSolutionToProblem(ctx.viewer, input.solutionId.id, input.problemId.id),
  }),
  unlinkSolutionFromProblem: t.field({
    type: SolutionProblemLinkRef,
    description: 'Removes a link linkSolutionToProblem made; your council must own one of them. A ConflictError if they are not linked',
    errors: linkPayload,
    args: { input: t.arg({ type: UnlinkSolutionFromProblemInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.solutions.unlinkSolutionFromProblem(ctx.viewer, input.solutionId.id, input.problemId.id),
  }),
}));
