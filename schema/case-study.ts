import type { Summary } from '../server/domain/content.js';
import type { CaseStudy, CreateCaseStudyInput as CreateInput } from '../server/domain/case-studies.js';
import type { Problem } from '../server/domain/problems.js';
import type { Solution } from '../server/domain/solution-model.js';
import { builder } from './builder.js';
import { possibleDuplicatesField, type BuilderTypes } from './search.js';
import { commonFilterFields, CaseStudyOrderEnum, resolveContentConnection, toListFilter } from './content.js';
import { MUTATION_ERRORS } from './errors.js';
import { ServiceAreaEnum } from './service-area.js';
import { idsOfType } from './typed-ids.js';
import { CaseStudyRef, ContentRef, ProblemRef, SolutionRef } from './refs.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

export const CaseStudyOutcomeEnum = builder.enumType('CaseStudyOutcome', {
  description: 'What happened. Failures are worth as much to other councils as successes',
  values: {
    WORKED: { value: 'worked' },
    PARTLY_WORKED: { value: 'partly_worked' },
    DID_NOT_WORK: { value: 'did_not_work' },
    TOO_EARLY_TO_TELL: { value: 'too_early_to_tell' },
  } as const,
});

export const CaseStudyStatusEnum = builder.enumType('CaseStudyStatus', {
  values: {
    ACTIVE: { value: 'active' },
    ARCHIVED: { value: 'archived', description: 'Kept for the record; hidden from listings and search' },
  } as const,
});

const newestFirst = <T extends { createdAt: Date }>(items: readonly (T | null | Error)[]): T[] =>
  items.filter((i): i is T => i !== null && !(i instanceof Error)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());

builder.node(CaseStudyRef, {
  id: { resolve: (caseStudy) => caseStudy.id },
  interfaces: [ContentRef],
  isTypeOf: (value) => (value as CaseStudy).subject === 'case_study',
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.caseStudy.load(id)),
  description: 'What a council did, how it turned out and what it learned',
  fields: (t) => ({
    status: t.field({ type: CaseStudyStatusEnum, resolve: (c) => c.status }),
    outcome: t.field({ type: CaseStudyOutcomeEnum, resolve: (c) => c.outcome }),
    lessons: t.exposeString('lessons', { description: 'Lessons learned, in Markdown' }),
    costPounds: t.exposeInt('costPounds', { nullable: true, description: 'What it cost, in whole pounds' }),
    savingsClaimedPounds: t.exposeInt('savingsClaimedPounds', { nullable: true, description: 'Savings the council claims, in whole pounds' }),
    evidenceUrl: t.exposeString('evidenceUrl', { nullable: true, description: 'Where the figures come from' }),
    solutions: t.field({
      type: [SolutionRef],
      extensions: listCap(LIST_CAPS.caseStudyLinks),
      description: 'The solutions this case study concerns, newest first; drafts of other councils are left out',
      resolve: async (c, _, ctx) => {
        const { solutionIds } = await ctx.loaders.caseStudyLinks.load(c.id);
        return newestFirst<Solution>(await ctx.loaders.solution.loadMany(solutionIds));
      },
    }),
    problems: t.field({
      type: [ProblemRef],
      extensions: listCap(LIST_CAPS.caseStudyLinks),
      description: 'The problems this case study concerns, newest first; drafts of other councils are left out',
      resolve: async (c, _, ctx) => {
        const { problemIds } = await ctx.loaders.caseStudyLinks.load(c.id);
        return newestFirst<Problem>(await ctx.loaders.problem.loadMany(problemIds));
      },
    }),
  }),
});

// The other side of a case study's links: what happened when councils tried to solve it.
builder.objectFields(ProblemRef, (t) => ({
  caseStudies: t.field({
    type: [CaseStudyRef],
    extensions: listCap(LIST_CAPS.caseStudies),
    description: `Case studies about this problem, newest first (at most ${LIST_CAPS.caseStudies}); drafts of other councils are left out`,
    resolve: (p, _, ctx) => ctx.loaders.problemCaseStudies.load(p.id),
  }),
}));
builder.objectFields(SolutionRef, (t) => ({
  caseStudies: t.field({
    type: [CaseStudyRef],
    extensions: listCap(LIST_CAPS.caseStudies),
    description: `Case studies about this solution, newest first (at most ${LIST_CAPS.caseStudies}); drafts of other councils are left out`,
    resolve: (s, _, ctx) => ctx.loaders.solutionCaseStudies.load(s.id),
  }),
}));

const CaseStudyFilter = builder.inputType('CaseStudyFilterInput', {
  fields: (t) => ({
    ...commonFilterFields(t),
    statuses: t.field({ type: [CaseStudyStatusEnum], description: 'Default: ACTIVE only' }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum] }),
  }),
});

builder.queryField('caseStudies', (t) =>
  t.connection({
    type: CaseStudyRef,
    args: {
      filter: t.arg({ type: CaseStudyFilter }),
      orderBy: t.arg({ type: CaseStudyOrderEnum, defaultValue: 'created_at', description: 'Default: NEWEST' }),
    },
    resolve: (_, args, ctx, info) => resolveContentConnection(args, args.orderBy ?? 'created_at', ctx.loaders, info, (page) =>
      ctx.services.caseStudies.list(ctx.viewer, { ...toListFilter(args.filter), outcomes: args.filter?.outcomes }, args.orderBy ?? 'created_at', page)),
  }),
);

const measuredFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  lessons: t.string({ description: 'Lessons learned, in Markdown' }),
  costPounds: t.int({ description: 'Whole pounds, 0 to 1,000,000,000' }),
  savingsClaimedPounds: t.int({ description: 'Whole pounds, 0 to 1,000,000,000' }),
  evidenceUrl: t.string({ description: 'An http or https link to the evidence' }),
  solutionIds: t.globalIDList({ description: 'The solutions it concerns; replaces the current links' }),
  problemIds: t.globalIDList({ description: 'The problems it concerns; replaces the current links' }),
});

const CreateCaseStudyInput = builder.inputType('CreateCaseStudyInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    summary: t.string({ required: true }),
    body: t.string({ description: 'Markdown' }),
    serviceArea: t.field({ type: ServiceAreaEnum, required: true }),
    tags: t.stringList(),
    outcome: t.field({ type: CaseStudyOutcomeEnum, required: true }),
    ...measuredFields(t),
  }),
});

const UpdateCaseStudyInput = builder.inputType('UpdateCaseStudyInput', {
  fields: (t) => ({
    id: t.globalID({ for: [CaseStudyRef], required: true }),
    version: t.int({ required: true, description: 'The version you edited' }),
    title: t.string(),
    summary: t.string(),
    body: t.string(),
    serviceArea: t.field({ type: ServiceAreaEnum }),
    tags: t.stringList(),
    outcome: t.field({ type: CaseStudyOutcomeEnum }),
    ...measuredFields(t),
  }),
});

const caseStudyVersionFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  id: t.globalID({ for: [CaseStudyRef], required: true }),
  version: t.int({ description: 'When given, the change fails with a conflict if the case study has moved on' }),
});
const PublishCaseStudyInput = builder.inputType('PublishCaseStudyInput', { fields: caseStudyVersionFields });
const ArchiveCaseStudyInput = builder.inputType('ArchiveCaseStudyInput', { fields: caseStudyVersionFields });

type LinkInput = {
  solutionIds?: { typename: string; id: string }[] | null;
  problemIds?: { typename: string; id: string }[] | null;
};

/** Global IDs of links become database ids, checked for the right type. */
function withLinkIds<T extends LinkInput>(input: T): Omit<T, keyof LinkInput> & Pick<CreateInput, 'solutionIds' | 'problemIds'> {
  return {
    ...input,
    solutionIds: idsOfType('solutionIds', input.solutionIds, 'Solution'),
    problemIds: idsOfType('problemIds', input.problemIds, 'Problem'),
  };
}

const caseStudyPayload = { types: MUTATION_ERRORS, dataField: { name: 'caseStudy' } };
// Creating or publishing a case study also says which problems and solutions it is likely about.
const caseStudyPayloadWithDuplicates = {
  ...caseStudyPayload,
  result: { fields: (t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Summary<CaseStudy>>) => ({ possibleDuplicates: possibleDuplicatesField(t, 'case_study') }) },
};

builder.mutationFields((t) => ({
  createCaseStudy: t.field({
    type: CaseStudyRef,
    description: 'Drafts a case study for your council; publish it to share it',
    errors: caseStudyPayloadWithDuplicates,
    args: { input: t.arg({ type: CreateCaseStudyInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.create(ctx.viewer, withLinkIds(input)),
  }),
  updateCaseStudy: t.field({
    type: CaseStudyRef,
    errors: caseStudyPayload,
    args: { input: t.arg({ type: UpdateCaseStudyInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.update(ctx.viewer, { ...withLinkIds(input), id: input.id.id }),
  }),
  publishCaseStudy: t.field({
    type: CaseStudyRef,
    description: 'Shares a draft case study with every council; says which published problems and solutions it is likely about',
    errors: caseStudyPayloadWithDuplicates,
    args: { input: t.arg({ type: PublishCaseStudyInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.publish(ctx.viewer, input.id.id, input.version),
  }),
  archiveCaseStudy: t.field({
    type: CaseStudyRef,
    description: 'Retires a case study: it stays readable at its address but leaves listings and search',
    errors: caseStudyPayload,
    args: { input: t.arg({ type: ArchiveCaseStudyInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.archive(ctx.viewer, input.id.id, input.version),
  }),
}));
