import type { Summary } from '../server/domain/content.js';
import type { Problem } from '../server/domain/problems.js';
import { builder } from './builder.js';
import { commonFilterFields, ProblemOrderEnum, resolveContentConnection, toListFilter } from './content.js';
import { MUTATION_ERRORS } from './errors.js';
import { ServiceAreaEnum } from './service-area.js';
import { ContentRef, ProblemRef } from './refs.js';
import { possibleDuplicatesField, type BuilderTypes } from './search.js';

export const ProblemStatusEnum = builder.enumType('ProblemStatus', {
  values: {
    OPEN: { value: 'open' },
    EXPLORING: { value: 'exploring', description: 'Councils are looking at options' },
    SOLVED: { value: 'solved' },
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
    status: t.field({ type: ProblemStatusEnum, resolve: (p) => p.status }),
    supporterCount: t.exposeInt('supporterCount', { description: 'Councils that said "we have this too"' }),
    solutionCount: t.exposeInt('solutionCount'),
    adoptionCount: t.exposeInt('adoptionCount', { description: 'Adoptions of the solutions linked to this problem' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'A public page where this was published before: a council report, a blog post, the press' }),
  }),
});

const ProblemFilter = builder.inputType('ProblemFilterInput', {
  fields: (t) => ({
    ...commonFilterFields(t),
    statuses: t.field({ type: [ProblemStatusEnum], description: 'Default: every status but ARCHIVED' }),
  }),
});

builder.queryField('problems', (t) =>
  t.connection({
    type: ProblemRef,
    args: {
      filter: t.arg({ type: ProblemFilter }),
      orderBy: t.arg({ type: ProblemOrderEnum, defaultValue: 'created_at', description: 'Default: NEWEST' }),
    },
    resolve: (_, args, ctx, info) => resolveContentConnection(args, args.orderBy ?? 'created_at', ctx.loaders, info, (page) =>
      ctx.services.problems.list(ctx.viewer, toListFilter(args.filter), args.orderBy ?? 'created_at', page)),
  }),
);

const CreateProblemInput = builder.inputType('CreateProblemInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    summary: t.string({ required: true }),
    body: t.string({ description: 'Markdown' }),
    serviceArea: t.field({ type: ServiceAreaEnum, required: true }),
    tags: t.stringList(),
    sourceUrl: t.string({ description: 'A public page where this was published before, http or https; null clears it' }),
  }),
});

const UpdateProblemInput = builder.inputType('UpdateProblemInput', {
  fields: (t) => ({
    id: t.globalID({ for: [ProblemRef], required: true }),
    version: t.int({ required: true, description: 'The version you edited' }),
    title: t.string(),
    summary: t.string(),
    body: t.string(),
    serviceArea: t.field({ type: ServiceAreaEnum }),
    tags: t.stringList(),
    sourceUrl: t.string({ description: 'A public page where this was published before, http or https; null clears it' }),
    status: t.field({ type: ProblemStatusEnum, description: 'OPEN, EXPLORING or SOLVED; use archiveProblem to archive' }),
  }),
});

const problemVersionFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  id: t.globalID({ for: [ProblemRef], required: true }),
  version: t.int({ description: 'When given, the change fails with a conflict if the problem has moved on' }),
});
const PublishProblemInput = builder.inputType('PublishProblemInput', { fields: problemVersionFields });
const ArchiveProblemInput = builder.inputType('ArchiveProblemInput', { fields: problemVersionFields });

const SupportProblemInput = builder.inputType('SupportProblemInput', {
  fields: (t) => ({
    problemId: t.globalID({ for: [ProblemRef], required: true }),
    note: t.string({ description: 'How the problem shows up at your council' }),
  }),
});

const WithdrawSupportInput = builder.inputType('WithdrawSupportInput', {
  fields: (t) => ({ problemId: t.globalID({ for: [ProblemRef], required: true }) }),
});

const problemPayload = { types: MUTATION_ERRORS, dataField: { name: 'problem' } };
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
    args: { input: t.arg({ type: CreateProblemInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.create(ctx.viewer, input),
  }),
  updateProblem: t.field({
    type: ProblemRef,
    errors: problemPayload,
    args: { input: t.arg({ type: UpdateProblemInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.update(ctx.viewer, { ...input, id: input.id.id }),
  }),
  publishProblem: t.field({
    type: ProblemRef,
    description: 'Shares a draft problem with every council (it becomes searchable and its event is published); says which published problems look the same',
    errors: problemPayloadWithDuplicates,
    args: { input: t.arg({ type: PublishProblemInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.publish(ctx.viewer, input.id.id, input.version),
  }),
  archiveProblem: t.field({
    type: ProblemRef,
    description: 'Retires a problem: it stays readable at its address but leaves listings and search',
    errors: problemPayload,
    args: { input: t.arg({ type: ArchiveProblemInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.archive(ctx.viewer, input.id.id, input.version),
  }),
  supportProblem: t.field({
    type: ProblemRef,
    description: '"We have this problem too": your council joins a published problem',
    errors: problemPayload,
    args: { input: t.arg({ type: SupportProblemInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.support(ctx.viewer, input.problemId.id, input.note),
  }),
  withdrawSupport: t.field({
    type: ProblemRef,
    errors: problemPayload,
    args: { input: t.arg({ type: WithdrawSupportInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.problems.withdrawSupport(ctx.viewer, input.problemId.id),
  }),
}));
