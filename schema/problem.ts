import type { Summary } from '../server/domain/content.js';
import type { Problem } from '../server/domain/problems.js';
import { LIMITS } from '../server/domain/input-checker.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';
import { builder } from './builder.js';
import { CONTENT_INPUT, commonFilterFields, freshnessFilterFields, ProblemOrderEnum, resolveContentConnection, toListFilter } from './content.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { ServiceAreaEnum } from './service-area.js';
import { ContentRef, ProblemRef } from './refs.js';
import { possibleDuplicatesField, type BuilderTypes } from './search.js';

export const ProblemStatusEnum = builder.enumType('ProblemStatus', {
  description: 'Where a problem stands',
  values: {
    OPEN: { value: 'open', description: 'Nobody is working on it yet (the status of a new problem)' },
    EXPLORING: { value: 'exploring', description: 'Councils are looking at options' },
    SOLVED: { value: 'solved', description: 'Its council considers it solved' },
    ARCHIVED: { value: 'archived', description: 'Kept for the record; hidden from listings and search' },
  } as const,
});

builder.node(ProblemRef, {
  id: { resolve: (problem) => problem.id },
  interfaces: [ContentRef],
  isTypeOf: (value) => (value as Problem).subject === 'problem',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.problem.load(id)),
  description: 'A problem a council has, which other councils may share',
  fields: (t) => ({
    status: t.field({ type: ProblemStatusEnum, description: 'Where it stands', resolve: (p) => p.status }),
    supporterCount: t.exposeInt('supporterCount', { description: 'Councils that said "we have this too"' }),
    solutionCount: t.exposeInt('solutionCount', { description: 'Published solutions linked to it' }),
    adoptionCount: t.exposeInt('adoptionCount', { description: 'Councils that adopted (stage ADOPTED) a solution linked to it' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'A public page where this was published before: a council report, a blog post, the press' }),
    sameAs: t.field({
      type: ProblemRef,
      nullable: true,
      description: 'The problem its council marked this one as the same as (markProblemSameAs); this one is then ARCHIVED',
      resolve: (p, _, ctx) => (p.sameAsId ? ctx.loaders.problem.load(p.sameAsId) : null),
    }),
    sameProblems: t.field({
      type: [ProblemRef],
      extensions: listCap(LIST_CAPS.sameProblems),
      description: `Problems their councils marked as the same as this one, newest first (at most ${LIST_CAPS.sameProblems}); drafts of other councils are left out`,
      resolve: (p, _, ctx) => ctx.loaders.problemsSameAs.load(p.id),
    }),
    phaseEndsOn: t.expose('phaseEndsOn', { type: 'Date', nullable: true, description: 'When its current phase is expected to end, if its council said' }),
    mayBeOutOfDate: t.exposeBoolean('mayBeOutOfDate', { description: 'Its council was asked whether it is still current and has not answered: it may be out of date' }),
  }),
});

const ProblemFilter = builder.inputType('ProblemFilterInput', {
  description: 'Narrows `problems`; every field given must match, a list matches any of its values',
  fields: (t) => ({
    ...commonFilterFields(t),
    ...freshnessFilterFields(t),
    statuses: t.field({ type: [ProblemStatusEnum], description: 'Default: every status but ARCHIVED' }),
  }),
});

builder.queryField('problems', (t) =>
  t.connection({
    type: ProblemRef,
    description: 'Published problems (and your own drafts on request)',
    args: {
      filter: t.arg({ type: ProblemFilter, description: 'Default: every published problem not ARCHIVED' }),
      orderBy: t.arg({ type: ProblemOrderEnum, defaultValue: 'created_at', description: 'Default: NEWEST' }),
    },
    resolve: (_, args, ctx, info) => resolveContentConnection(args, args.orderBy ?? 'created_at', ctx.loaders, info, (page) =>
      ctx.services.problems.list(ctx.viewer, toListFilter(args.filter), args.orderBy ?? 'created_at', page)),
  }),
);

const CreateProblemInput = builder.inputType('CreateProblemInput', {
  description: 'A new problem, saved as a draft of your council',
  fields: (t) => ({
    title: t.string({ required: true, description: CONTENT_INPUT.title }),
    summary: t.string({ required: true, description: CONTENT_INPUT.summary }),
    body: t.string({ description: CONTENT_INPUT.body }),
    serviceArea: t.field({ type: ServiceAreaEnum, required: true, description: CONTENT_INPUT.serviceArea }),
    tags: t.stringList({ description: CONTENT_INPUT.tags }),
    sourceUrl: t.string({ description: `A public page where this was published before. ${CONTENT_INPUT.url}` }),
    phaseEndsOn: t.field({ type: 'Date', description: 'When its current phase is expected to end, YYYY-MM-DD: once it passes, its council is asked whether it is still current; null clears it' }),
  }),
});

const UpdateProblemInput = builder.inputType('UpdateProblemInput', {
  description: 'Changes to a problem; a field left out keeps its value',
  fields: (t) => ({
    id: t.globalID({ for: [ProblemRef], required: true, description: 'The problem to change' }),
    version: t.int({ required: true, description: 'The version you edited: if the problem has changed since, the update is a ConflictError' }),
    title: t.string({ description: CONTENT_INPUT.title }),
    summary: t.string({ description: CONTENT_INPUT.summary }),
    body: t.string({ description: CONTENT_INPUT.body }),
    serviceArea: t.field({ type: ServiceAreaEnum, description: CONTENT_INPUT.serviceArea }),
    tags: t.stringList({ description: `Replaces every tag. ${CONTENT_INPUT.tags}` }),
    sourceUrl: t.string({ description: `A public page where this was published before. ${CONTENT_INPUT.url}` }),
    status: t.field({ type: ProblemStatusEnum, description: 'OPEN, EXPLORING or SOLVED; use archiveProblem to archive' }),
    phaseEndsOn: t.field({ type: 'Date', description: 'When its current phase is expected to end, YYYY-MM-DD: once it passes, its council is asked whether it is still current; null clears it' }),
  }),
});

const problemVersionFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  id: t.globalID({ for: [ProblemRef], required: true, description: 'The problem' }),
  version: t.int({ description: 'When given, the change fails with a conflict if the problem has moved on' }),
});
const PublishProblemInput = builder.inputType('PublishProblemInput', { description: 'The draft problem to publish', fields: problemVersionFields });
const ArchiveProblemInput = builder.inputType('ArchiveProblemInput', { description: 'The problem to archive', fields: problemVersionFields });
const ConfirmProblemCurrentInput = builder.inputType('ConfirmProblemCurrentInput', { description: 'The problem your council says is still current', fields: problemVersionFields });

const SupportProblemInput = builder.inputType('SupportProblemInput', {
  description: "Your council's support for another council's published problem",
  fields: (t) => ({
    problemId: t.globalID({ for: [ProblemRef], required: true, description: 'A published problem of another council' }),
    note: t.string({ description: `How the problem shows up at your council: plain text, at most ${LIMITS.note} characters. Supporting again replaces the note` }),
  }),
});

const WithdrawSupportInput = builder.inputType('WithdrawSupportInput', {
  description: "The problem your council no longer supports",
  fields: (t) => ({ problemId: t.globalID({ for: [ProblemRef], required: true, description: 'A problem your council supports' }) }),
});

const MarkProblemSameAsInput = builder.inputType('MarkProblemSameAsInput', {
  description: "Says your council's problem is the same as an existing published one",
  fields: (t) => ({
    id: t.globalID({ for: [ProblemRef], required: true, description: "Your council's problem, a draft or published; it is archived" }),
    sameAsId: t.globalID({ for: [ProblemRef], required: true, description: 'The published problem it is the same as; your council (and the councils that supported yours) support it instead' }),
    note: t.string({ description: `How the problem shows up at your council, kept with your support: plain text, at most ${LIMITS.note} characters` }),
    version: t.int({ description: 'When given, the change fails with a conflict if your problem has moved on' }),
  }),
});

const problemPayload = { types: MUTATION_ERRORS, dataField: { name: 'problem', description: 'The problem as it is now' } };
// Creating or publishing a problem also says which published problems look the same.
const problemPayloadWithDuplicates = {
  ...problemPayload,
  result: { fields: (t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Summary<Problem>>) => ({ possibleDuplicates: possibleDuplicatesField(t, 'problem') }) },
};

builder.mutationFields((t) => ({
  createProblem: t.field({
    type: ProblemRef,
    description: 'Drafts a problem for your council; publish it to share it',
    errors: problemPayloadWithDuplicates,
    args: { input: t.arg({ type: CreateProblemInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.create(ctx.viewer, input),
  }),
  updateProblem: t.field({
    type: ProblemRef,
    description: "Edits one of your council's problems (editors and admins)",
    errors: problemPayload,
    args: { input: t.arg({ type: UpdateProblemInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.update(ctx.viewer, { ...input, id: input.id.id }),
  }),
  publishProblem: t.field({
    type: ProblemRef,
    description: 'Shares a draft problem with every council (it becomes searchable and its event is published); says which published problems look the same',
    errors: problemPayloadWithDuplicates,
    args: { input: t.arg({ type: PublishProblemInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.publish(ctx.viewer, input.id.id, input.version),
  }),
  archiveProblem: t.field({
    type: ProblemRef,
    description: 'Retires a problem: it stays readable at its address but leaves listings and search',
    errors: problemPayload,
    args: { input: t.arg({ type: ArchiveProblemInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.archive(ctx.viewer, input.id.id, input.version),
  }),
  confirmProblemCurrent: t.field({
    type: ProblemRef,
    description: "Says one of your council's problems is still current (editors and admins): answers a freshness nudge, clears \"may be out of date\" and counts as a change",
    errors: problemPayload,
    args: { input: t.arg({ type: ConfirmProblemCurrentInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.confirmCurrent(ctx.viewer, input.id.id, input.version),
  }),
  supportProblem: t.field({
    type: ProblemRef,
    description: '"We have this problem too": your council joins a published problem',
    errors: problemPayload,
    args: { input: t.arg({ type: SupportProblemInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.support(ctx.viewer, input.problemId.id, input.note),
  }),
  markProblemSameAs: t.field({
    type: ProblemRef,
    description: '"Same problem": archives your council\'s problem, links it to the existing one and adds your council (and its supporters) to the existing one\'s supporters, so the demand adds up there',
    errors: {
      ...problemPayload,
      dataField: { name: 'problem', description: 'Your problem, now ARCHIVED, with sameAs set' },
      result: { fields: (t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Summary<Problem>>) => ({
        sameAs: t.field({ type: ProblemRef, description: 'The problem yours is the same as, with its supporters as they are now', resolve: (p, _, ctx) => ctx.loaders.problem.load(p.sameAsId!).then((found) => found!) }),
      }) },
    },
    args: { input: t.arg({ type: MarkProblemSameAsInput, required: true, description: INPUT_ARG }) },
    resolve: async (_, { input }, ctx) => (await ctx.services.problems.markSameAs(ctx.viewer, { ...input, id: input.id.id, sameAsId: input.sameAsId.id })).problem,
  }),
  withdrawSupport: t.field({
    type: ProblemRef,
    description: 'Takes back your council\'s "we have this too"; a ConflictError if it never said so',
    errors: problemPayload,
    args: { input: t.arg({ type: WithdrawSupportInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.withdrawSupport(ctx.viewer, input.problemId.id),
  }),
}));
