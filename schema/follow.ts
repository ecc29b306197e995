import type { EmailMode } from '../server/db/notification-tables.js';
import { asServiceArea } from '../server/domain/service-areas.js';
import { GraphQLError } from 'graphql';
import type { Context } from '../server/context.js';
import type { ContentItem } from '../server/domain/content.js';
import type { Follow } from '../server/notifications/follow-model.js';
import type { SearchKind } from '../server/search/engine.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';
import { MAX_FOLLOWS, MAX_FILTER_VALUES } from '../server/notifications/follow-model.js';
import { MAX_SAVED_SEARCHES } from '../server/notifications/follow-model.js';
import { QUERY_LIMIT } from '../server/notifications/follows.js';
import { builder } from './builder.js';
import { CaseStudyOutcomeEnum } from './case-study-outcome.js';
import { CouncilKindEnum } from './council.js';
import { SolutionPhaseEnum } from './solution.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { CouncilRef, ContentRef } from './refs.js';
import { SearchKindEnum } from './search-facets.js';
import { ServiceAreaEnum } from './service-area.js';
import { ViewerRef } from './viewer.js';

export const FollowRef = builder.objectRef<Follow>('Follow');

const FollowKindEnum = builder.enumType('FollowKind', {
  description: 'What a follow listens for',
  values: {
    SERVICE_AREA: { value: 'service_area', description: 'New items published in a service area' },
    COUNCIL: { value: 'council', description: 'New items a council publishes' },
    ITEM: { value: 'item', description: 'Everything that happens to one item: changes, comments, adoptions, links' },
    SAVED_SEARCH: { value: 'saved_search', description: 'New items a search finds, with its typo tolerance and synonyms' },
    SOLUTIONS_FOR: { value: 'problem_outcomes', description: 'A solution or case study appears for a problem' },
  } as const,
});

export const EmailFrequencyEnum = builder.enumType('EmailFrequency', {
  description: 'How your notifications reach your email',
  values: {
    IMMEDIATE: { value: 'immediate', description: 'One email per notification, as it happens' },
    DAILY: { value: 'daily', description: 'One digest a day' },
    WEEKLY: { value: 'weekly', description: 'One digest a week' },
    OFF: { value: 'off', description: 'No email; the inbox only' },
  } as const,
});

const FollowEmailEnum = builder.enumType('FollowEmail', {
  description: "How one follow's notifications reach your email",
  values: {
    DEFAULT: { value: 'default', description: 'As your own email setting (`Viewer.emailSettings`) says' },
    IMMEDIATE: { value: 'immediate', description: 'One email per notification, as it happens' },
    DAILY: { value: 'daily', description: 'In the daily digest' },
    WEEKLY: { value: 'weekly', description: 'In the weekly digest' },
    OFF: { value: 'off', description: 'No email; the inbox only' },
  } as const,
});

const SavedSearchFilterRef = builder.objectRef<NonNullable<Follow['search']>['filter']>('SavedSearchFilter').implement({
  description: "A saved search's filter; an empty list does not narrow",
  fields: (t) => ({
    kinds: t.field({ type: [SearchKindEnum], description: 'Only these kinds of item', extensions: listCap(MAX_FILTER_VALUES), resolve: (f) => [...(f.kinds ?? [])] }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'Only these service areas', extensions: listCap(LIST_CAPS.serviceAreas), resolve: (f) => (f.serviceAreas ?? []).map(asServiceArea) }),
    councils: t.field({ type: [CouncilRef], description: 'Only items of these councils', extensions: listCap(MAX_FILTER_VALUES), resolve: async (f, _, ctx) => (await Promise.all((f.councilIds ?? []).map((id) => ctx.loaders.council.load(id)))).filter((c) => c !== null) }),
    tags: t.stringList({ description: 'Only items with any of these tags', extensions: listCap(MAX_FILTER_VALUES), resolve: (f) => [...(f.tags ?? [])] }),
    regions: t.stringList({ description: 'Only items of councils in these regions', extensions: listCap(MAX_FILTER_VALUES), resolve: (f) => [...(f.regions ?? [])] }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Only items of councils of these kinds', extensions: listCap(MAX_FILTER_VALUES), resolve: (f) => [...(f.councilKinds ?? [])] as (typeof CouncilKindEnum.$inferType)[] }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'Only solutions in these phases', extensions: listCap(MAX_FILTER_VALUES), resolve: (f) => [...(f.phases ?? [])] as (typeof SolutionPhaseEnum.$inferType)[] }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'Only case studies with these outcomes', extensions: listCap(MAX_FILTER_VALUES), resolve: (f) => [...(f.outcomes ?? [])] as (typeof CaseStudyOutcomeEnum.$inferType)[] }),
  }),
});

const SavedSearchRef = builder.objectRef<NonNullable<Follow['search']>>('SavedSearch').implement({
  description: 'A search run again for each newly published item',
  fields: (t) => ({
    query: t.exposeString('query', { description: 'The words, as search takes them' }),
    filter: t.field({ type: SavedSearchFilterRef, description: 'What narrows it', resolve: (s) => s.filter }),
  }),
});

/** The followed item as the viewer may see it now; null once it is gone from their view. */
async function loadItem(kind: SearchKind, id: string, ctx: Context): Promise<ContentItem | null> {
  switch (kind) {
    case 'problem': return ctx.loaders.problem.load(id);
    case 'solution': return ctx.loaders.solution.load(id);
    case 'case_study': return ctx.loaders.caseStudy.load(id);
  }
}

builder.node(FollowRef, {
  id: { resolve: (f) => f.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'subject' in value && 'search' in value && 'email' in value,
  // Your own follows only (at most MAX_FOLLOWS): `node(id:)` on someone else's is null.
  loadMany: async (ids, ctx) => {
    const own = (await ctx.services.follows.list(ctx.viewer)) ?? [];
    return ids.map((id) => own.find((f) => f.id === id) ?? null);
  },
  description: 'Something you follow: what happens to it reaches your inbox and, as you choose, your email; `node(id:)` loads it for you alone',
  fields: (t) => ({
    kind: t.field({ type: FollowKindEnum, description: 'What it listens for', resolve: (f) => f.kind }),
    serviceArea: t.field({ type: ServiceAreaEnum, nullable: true, description: 'The service area followed (SERVICE_AREA)', resolve: (f) => (f.serviceArea === null ? null : asServiceArea(f.serviceArea)) }),
    council: t.field({ type: CouncilRef, nullable: true, description: 'The council followed (COUNCIL)', resolve: (f, _, ctx) => f.councilId ? ctx.loaders.council.load(f.councilId) : null }),
    item: t.field({
      type: ContentRef, nullable: true,
      description: 'The item (ITEM) or problem (SOLUTIONS_FOR) followed; null if you can no longer see it',
      resolve: (f, _, ctx) => f.subject ? loadItem(f.subject.type, f.subject.id, ctx) : null,
    }),
    search: t.field({ type: SavedSearchRef, nullable: true, description: 'The saved search (SAVED_SEARCH)', resolve: (f) => f.search }),
    email: t.field({ type: FollowEmailEnum, description: 'How it reaches your email', resolve: (f) => f.email }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When you followed it' }),
  }),
});

const SavedSearchFilterInput = builder.inputType('SavedSearchFilterInput', {
  description: `What narrows a saved search; each list holds at most ${MAX_FILTER_VALUES} values, and an item matches a list when it has any of them`,
  fields: (t) => ({
    kinds: t.field({ type: [SearchKindEnum], description: 'Only these kinds of item' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'Only these service areas' }),
    councilIds: t.globalIDList({ for: [CouncilRef], description: 'Only items of these councils' }),
    tags: t.stringList({ description: 'Only items with any of these tags' }),
    regions: t.stringList({ description: 'Only items of councils in these regions, spelled as `Council.region` is (another value is a `VALIDATION_FAILED` error)' }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Only items of councils of these kinds' }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'Only solutions in these delivery phases' }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'Only case studies with these outcomes' }),
  }),
});

const SavedSearchInput = builder.inputType('SavedSearchInput', {
  description: `A search to run again for each newly published item (at most ${MAX_SAVED_SEARCHES} saved searches each)`,
  fields: (t) => ({
    query: t.string({ required: true, description: `The words, as you would type them into search: one line, at most ${QUERY_LIMIT} characters` }),
    filter: t.field({ type: SavedSearchFilterInput, description: 'What narrows it' }),
  }),
});

const FollowInput = builder.inputType('FollowInput', {
  description: `What to follow: give exactly one of serviceArea, councilId, itemId, search or solutionsForProblemId (at most ${MAX_FOLLOWS} follows each)`,
  fields: (t) => ({
    serviceArea: t.field({ type: ServiceAreaEnum, description: 'Hear of items published in this service area' }),
    councilId: t.globalID({ for: [CouncilRef], description: 'Hear of items this council publishes' }),
    itemId: t.globalID({ description: 'A problem, solution or case study you can see' }),
    search: t.field({ type: SavedSearchInput, description: 'Hear of newly published items this search finds' }),
    solutionsForProblemId: t.globalID({ description: 'A problem: hear when a solution or case study appears for it' }),
    email: t.field({ type: FollowEmailEnum, description: 'Default: DEFAULT (your own email setting)' }),
  }),
});

const ITEM_KINDS: Record<string, SearchKind> = { Problem: 'problem', Solution: 'solution', CaseStudy: 'case_study' };

function itemKind(typename: string, field: string, allowed: readonly SearchKind[]): SearchKind {
  const kind = ITEM_KINDS[typename];
  if (!kind || !allowed.includes(kind)) throw new GraphQLError(`${field} must be the ID of a ${allowed.join(', ').replace('_', ' ')}`, { extensions: { code: 'INVALID_ID' } });
  return kind;
}

function followId(id: { typename: string; id: string }): string {
  if (id.typename !== 'Follow') throw new GraphQLError('id must be the ID of a Follow', { extensions: { code: 'INVALID_ID' } });
  return id.id;
}

const FollowIdInput = builder.inputType('UnfollowInput', {
  description: 'The follow to stop',
  fields: (t) => ({ id: t.globalID({ required: true, description: 'One of your follows' }) }),
});
const UpdateFollowInput = builder.inputType('UpdateFollowInput', {
  description: 'How one of your follows reaches your email',
  fields: (t) => ({
    id: t.globalID({ required: true, description: 'One of your follows' }),
    email: t.field({ type: FollowEmailEnum, required: true, description: 'Its email setting' }),
  }),
});
const UpdateEmailSettingsInput = builder.inputType('UpdateEmailSettingsInput', {
  description: 'Your own email setting',
  fields: (t) => ({ email: t.field({ type: EmailFrequencyEnum, required: true, description: 'OFF stops every email, whatever each follow says' }) }),
});
const EmailSettingsRef = builder.objectRef<{ email: EmailMode }>('EmailSettings').implement({
  description: 'How your notifications reach your email',
  fields: (t) => ({ email: t.field({ type: EmailFrequencyEnum, description: 'For every follow left at DEFAULT; OFF stops every email', resolve: (s) => s.email }) }),
});

builder.mutationFields((t) => ({
  follow: t.field({
    type: FollowRef,
    description: 'Follows a service area, a council, an item, a saved search or the solutions for a problem; following it again returns the same follow',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'follow', description: 'The follow' } },
    args: { input: t.arg({ type: FollowInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.follows.follow(ctx.viewer, {
      serviceArea: input.serviceArea,
      councilId: input.councilId?.id,
      item: input.itemId ? { kind: itemKind(input.itemId.typename, 'itemId', ['problem', 'solution', 'case_study']), id: input.itemId.id } : null,
      outcomesOf: input.solutionsForProblemId ? (itemKind(input.solutionsForProblemId.typename, 'solutionsForProblemId', ['problem']), input.solutionsForProblemId.id) : null,
      search: input.search ? {
        query: input.search.query,
        filter: input.search.filter ? {
          kinds: input.search.filter.kinds ?? undefined, serviceAreas: input.search.filter.serviceAreas ?? undefined,
          councilIds: input.search.filter.councilIds?.map((c) => c.id), tags: input.search.filter.tags ?? undefined,
          regions: input.search.filter.regions ?? undefined, councilKinds: input.search.filter.councilKinds ?? undefined,
          phases: input.search.filter.phases ?? undefined, outcomes: input.search.filter.outcomes ?? undefined,
        } : null,
      } : null,
      email: input.email,
    }),
  }),
  unfollow: t.field({
    type: FollowRef,
    description: 'Stops following; notifications already in your inbox stay',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'follow', description: 'The follow, as it was' } },
    args: { input: t.arg({ type: FollowIdInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.follows.unfollow(ctx.viewer, followId(input.id)),
  }),
  updateFollow: t.field({
    type: FollowRef,
    description: 'Chooses how a follow reaches your email',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'follow', description: 'The follow as it is now' } },
    args: { input: t.arg({ type: UpdateFollowInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.follows.setFollowEmail(ctx.viewer, followId(input.id), input.email),
  }),
  updateEmailSettings: t.field({
    type: EmailSettingsRef,
    description: 'Your email setting for every follow left at DEFAULT',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'settings', description: 'Your email setting now' } },
    args: { input: t.arg({ type: UpdateEmailSettingsInput, required: true, description: INPUT_ARG }) },
    resolve: async (_, { input }, ctx) => ({ email: await ctx.services.follows.setMemberEmail(ctx.viewer, input.email) }),
  }),
}));

builder.objectFields(ViewerRef, (t) => ({
  follows: t.field({
    type: [FollowRef], nullable: true,
    extensions: listCap(MAX_FOLLOWS),
    description: `What you follow, newest first (at most ${MAX_FOLLOWS}); null without a token`,
    resolve: (_, __, ctx) => ctx.services.follows.list(ctx.viewer),
  }),
  emailSettings: t.field({
    type: EmailSettingsRef, nullable: true,
    description: 'How your notifications reach your email; null without a token',
    resolve: async (_, __, ctx) => {
      const email = await ctx.services.follows.memberEmail(ctx.viewer);
      return email ? { email } : null;
    },
  }),
}));

