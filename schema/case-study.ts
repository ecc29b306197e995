import type { Summary } from '../server/domain/content.js';
import type { CaseStudy, CreateCaseStudyInput as CreateInput } from '../server/domain/case-studies.js';
import type { Problem } from '../server/domain/problems.js';
import type { Solution } from '../server/domain/solution-model.js';
import { MAX_POUNDS } from '../server/domain/case-studies.js';
import { MAX_LINKS } from '../server/domain/case-study-links.js';
import { LIMITS } from '../server/domain/input-checker.js';
import { builder } from './builder.js';
import { CaseStudyOutcomeEnum } from './case-study-outcome.js';
import { possibleDuplicatesField, type BuilderTypes } from './search.js';
import { CONTENT_INPUT, commonFilterFields, CaseStudyOrderEnum, resolveContentConnection, toListFilter } from './content.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { ServiceAreaEnum } from './service-area.js';
import { idsOfType } from './typed-ids.js';
import { CaseStudyRef, ContentRef, ProblemRef, SolutionRef } from './refs.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

export { CaseStudyOutcomeEnum } from './case-study-outcome.js';

export const CaseStudyStatusEnum = builder.enumType('CaseStudyStatus', {
  description: 'Whether a case study is current',
  values: {
    ACTIVE: { value: 'active', description: 'Current (the status of a new case study)' },
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
    status: t.field({ type: CaseStudyStatusEnum, description: 'Whether it is current', resolve: (c) => c.status }),
    outcome: t.field({ type: CaseStudyOutcomeEnum, description: 'What happened', resolve: (c) => c.outcome }),
    lessons: t.exposeString('lessons', { description: 'Lessons learned, in Markdown' }),
    costPounds: t.exposeInt('costPounds', { nullable: true, description: 'What it cost, in whole pounds' }),
    savingsClaimedPounds: t.exposeInt('savingsClaimedPounds', { nullable: true, description: 'Savings the council claims, in whole pounds' }),
    evidenceUrl: t.exposeString('evidenceUrl', { nullable: true, description: 'Where the figures come from' }),
    solutions: t.field({
      type: [SolutionRef],
      extensions: listCap(LIST_CAPS.caseStudyLinks),
      description: `The solutions this case study concerns, newest first (at most ${LIST_CAPS.caseStudyLinks}); drafts of other councils are left out`,
      resolve: async (c, _, ctx) => {
        const { solutionIds } = await ctx.loaders.caseStudyLinks.load(c.id);
        return newestFirst<Solution>(await ctx.loaders.solution.loadMany(solutionIds));
      },
    }),
    problems: t.field({
      type: [ProblemRef],
      extensions: listCap(LIST_CAPS.caseStudyLinks),
      description: `The problems this case study concerns, newest first (at most ${LIST_CAPS.caseStudyLinks}); drafts of other councils are left out`,
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
  description: 'Narrows `caseStudies`; every field given must match, a list matches any of its values',
  fields: (t) => ({
    ...commonFilterFields(t),
    statuses: t.field({ type: [CaseStudyStatusEnum], description: 'Default: ACTIVE only' }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'With any of these outcomes' }),
  }),
});

builder.queryField('caseStudies', (t) =>
  t.connection({
    type: CaseStudyRef,
    description: 'Published case studies (and your own drafts on request)',
    args: {
      filter: t.arg({ type: CaseStudyFilter, description: 'Default: every published ACTIVE case study' }),
      orderBy: t.arg({ type: CaseStudyOrderEnum, defaultValue: 'created_at', description: 'Default: NEWEST' }),
    },
    resolve: (_, args, ctx, info) => resolveContentConnection(args, args.orderBy ?? 'created_at', ctx.loaders, info, (page) =>
      ctx.services.caseStudies.list(ctx.viewer, { ...toListFilter(args.filter), outcomes: args.filter?.outcomes }, args.orderBy ?? 'created_at', page)),
  }),
);

const measuredFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  lessons: t.string({ description: `Lessons learned: Markdown, at most ${LIMITS.body} characters` }),
  costPounds: t.int({ description: `What it cost: whole pounds, 0 to ${MAX_POUNDS.toLocaleString('en-GB')}; null clears it` }),
  savingsClaimedPounds: t.int({ description: `Savings the council claims: whole pounds, 0 to ${MAX_POUNDS.toLocaleString('en-GB')}; null clears it` }),
  evidenceUrl: t.string({ description: `Where the figures come from. ${CONTENT_INPUT.url}` }),
  solutionIds: t.globalIDList({ description: `Solutions it concerns, at most ${MAX_LINKS}, published or your council's drafts; replaces the current links` }),
  problemIds: t.globalIDList({ description: `Problems it concerns, at most ${MAX_LINKS}, published or your council's drafts; replaces the current links` }),
});

const CreateCaseStudyInput = builder.inputType('CreateCaseStudyInput', {
  description: 'A new case study, saved as a draft of your council',
  fields: (t) => ({
    title: t.string({ required: true, description: CONTENT_INPUT.title }),
    summary: t.string({ required: true, description: CONTENT_INPUT.summary }),
    body: t.string({ description: CONTENT_INPUT.body }),
    serviceArea: t.field({ type: ServiceAreaEnum, required: true, description: CONTENT_INPUT.serviceArea }),
    tags: t.stringList({ description: CONTENT_INPUT.tags }),
    outcome: t.field({ type: CaseStudyOutcomeEnum, required: true, description: 'What happened' }),
    ...measuredFields(t),
  }),
});

const UpdateCaseStudyInput = builder.inputType('UpdateCaseStudyInput', {
  description: 'Changes to a case study; a field left out keeps its value',
  fields: (t) => ({
    id: t.globalID({ for: [CaseStudyRef], required: true, description: 'The case study to change' }),
    version: t.int({ required: true, description: 'The version you edited: if the case study has changed since, the update is a ConflictError' }),
    title: t.string({ description: CONTENT_INPUT.title }),
    summary: t.string({ description: CONTENT_INPUT.summary }),
    body: t.string({ description: CONTENT_INPUT.body }),
    serviceArea: t.field({ type: ServiceAreaEnum, description: CONTENT_INPUT.serviceArea }),
    tags: t.stringList({ description: `Replaces every tag. ${CONTENT_INPUT.tags}` }),
    outcome: t.field({ type: CaseStudyOutcomeEnum, description: 'What happened' }),
    ...measuredFields(t),
  }),
});

const caseStudyVersionFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  id: t.globalID({ for: [CaseStudyRef], required: true, description: 'The case study' }),
  version: t.int({ description: 'When given, the change fails with a conflict if the case study has moved on' }),
});
const PublishCaseStudyInput = builder.inputType('PublishCaseStudyInput', { description: 'The draft case study to publish', fields: caseStudyVersionFields });
const ArchiveCaseStudyInput = builder.inputType('ArchiveCaseStudyInput', { description: 'The case study to archive', fields: caseStudyVersionFields });

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

const caseStudyPayload = { types: MUTATION_ERRORS, dataField: { name: 'caseStudy', description: 'The case study as it is now' } };
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
    args: { input: t.arg({ type: CreateCaseStudyInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.create(ctx.viewer, withLinkIds(input)),
  }),
  updateCaseStudy: t.field({
    type: CaseStudyRef,
    description: "Edits one of your council's case studies (editors and admins)",
    errors: caseStudyPayload,
    args: { input: t.arg({ type: UpdateCaseStudyInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.update(ctx.viewer, { ...withLinkIds(input), id: input.id.id }),
  }),
  publishCaseStudy: t.field({
    type: CaseStudyRef,
    description: 'Shares a draft case study with every council; says which published problems and solutions it is likely about',
    errors: caseStudyPayloadWithDuplicates,
    args: { input: t.arg({ type: PublishCaseStudyInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.publish(ctx.viewer, input.id.id, input.version),
  }),
  archiveCaseStudy: t.field({
    type: CaseStudyRef,
    description: 'Retires a case study: it stays readable at its address but leaves listings and search',
    errors: caseStudyPayload,
    args: { input: t.arg({ type: ArchiveCaseStudyInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.caseStudies.archive(ctx.viewer, input.id.id, input.version),
  }),
}));
