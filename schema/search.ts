import { asServiceArea } from '../server/domain/service-areas.js';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ValidationError } from '../server/kernel/errors.js';
import type { PossibleDuplicate } from '../server/domain/duplicate-warning.js';
import { MAX_SHARED_WORDS } from '../server/search/likeness.js';
import { encodeSearchCursor, QUERY_LIMIT, SEARCH_PAGE, SIMILAR_PAGE, SIMILAR_TEXT_LIMIT, type SearchPage } from '../server/domain/search.js';
import { pageSize } from './page-size-plugin.js';
import type { ConsumerStatus } from '../server/events/consumer-cursors.js';
import type { SearchHit, SearchKind, SimilarHit } from '../server/search/engine.js';
import { builder } from './builder.js';
import { SystemCategoryEnum, SystemNameInput } from './council-system.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { must } from '../server/kernel/must.js';
import { ServiceAreaEnum } from './service-area.js';
import { ContentRef, CouncilRef } from './refs.js';
import { ContentStatusEnum, FacetsRef, SearchKindEnum } from './search-facets.js';
import { CaseStudyOutcomeEnum } from './case-study-outcome.js';
import { CouncilKindEnum } from './council.js';
import { SolutionPhaseEnum } from './solution.js';
import { NATIONS_AND_REGIONS } from '../server/domain/councils.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

type Item = SearchHit['document'];
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const TYPENAMES: Record<SearchKind, string> = { problem: 'Problem', solution: 'Solution', case_study: 'CaseStudy' };
const KINDS_BY_TYPENAME = Object.fromEntries(Object.entries(TYPENAMES).map(([kind, name]) => [name, kind as SearchKind]));

const SearchOrderEnum = builder.enumType('SearchOrder', {
  description: 'How search results are ordered',
  values: {
    RELEVANCE: { value: 'relevance', description: 'Best match first, by words and meaning together' },
    NEWEST: { value: 'newest', description: 'Newest first among the matches' },
  } as const,
});

const SearchItemRef = builder.objectRef<Item>('SearchItem').implement({
  description: 'A published problem, solution or case study as the search index holds it. It has no id of its own (it is a view, not an object): `contentId` is the item\'s global id, which `node(id:)` loads',
  fields: (t) => ({
    contentId: t.id({ description: 'The global id of the problem, solution or case study', resolve: (item) => encodeGlobalId(TYPENAMES[item.kind], item.id) }),
    content: t.field({
      type: ContentRef,
      nullable: true,
      description: 'The problem, solution or case study itself; null if it was archived or hidden since it was indexed',
      resolve: (item, _, ctx) => (item.kind === 'problem' ? ctx.loaders.problem : item.kind === 'solution' ? ctx.loaders.solution : ctx.loaders.caseStudy).load(item.id),
    }),
    kind: t.field({ type: SearchKindEnum, description: 'Problem, solution or case study', resolve: (item) => item.kind }),
    title: t.exposeString('title', { description: 'Its title when it was indexed' }),
    summary: t.exposeString('summary', { description: 'Its summary when it was indexed' }),
    serviceArea: t.field({ type: ServiceAreaEnum, description: 'Its service area', resolve: (item) => asServiceArea(item.serviceArea) }),
    tags: t.stringList({ description: 'Its tags', resolve: (item) => [...item.tags] }),
    status: t.field({ type: ContentStatusEnum, description: 'Its status (never ARCHIVED: archived items leave the index)', resolve: (item) => item.status as typeof ContentStatusEnum.$inferType }),
    phase: t.field({ type: SolutionPhaseEnum, nullable: true, description: 'A solution\'s delivery phase when it was indexed; null for other kinds', resolve: (item) => item.phase as typeof SolutionPhaseEnum.$inferType | null }),
    outcome: t.field({ type: CaseStudyOutcomeEnum, nullable: true, description: 'A case study\'s outcome when it was indexed; null for other kinds', resolve: (item) => item.outcome as typeof CaseStudyOutcomeEnum.$inferType | null }),
    council: t.field({ type: CouncilRef, description: 'The council that owns it', resolve: (item, _, ctx) => ctx.loaders.council.load(item.councilId).then(must) }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was published', resolve: (item) => (item.publishedAt === null ? null : new Date(item.publishedAt)) }),
  }),
});

const HighlightsRef = builder.objectRef<SearchHit['highlights']>('SearchHighlights').implement({
  description: 'HTML: the text is escaped and each match is wrapped in <mark>…</mark>',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title, matches marked' }),
    summary: t.exposeString('summary', { description: 'The summary, matches marked' }),
  }),
});

interface Edge { hit: SearchHit; cursor: string }

const SearchEdgeRef = builder.objectRef<Edge>('SearchEdge').implement({
  description: 'One search result',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque; pass it as `after` for the results after this one' }),
    node: t.field({ type: SearchItemRef, description: 'The item found', resolve: (edge) => edge.hit.document }),
    highlights: t.field({ type: HighlightsRef, description: 'Its title and summary with the matches marked', resolve: (edge) => edge.hit.highlights }),
  }),
});

const SearchConnectionRef = builder.objectRef<SearchPage>('SearchConnection').implement({
  description: 'A page of search results, best first (or as `orderBy` says), with facet counts over every match',
  fields: (t) => ({
    edges: t.field({
      type: [SearchEdgeRef],
      description: 'The results on this page',
      resolve: (page) => page.hits.map((hit, i) => ({ hit, cursor: encodeSearchCursor(page.offset + i + 1) })),
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Where this page is: pass `endCursor` as `after` for the next (up to the 1,000th match)',
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.offset > 0,
        startCursor: page.hits.length ? encodeSearchCursor(page.offset + 1) : null,
        endCursor: page.hits.length ? encodeSearchCursor(page.offset + page.hits.length) : null,
      }),
    }),
    totalCount: t.exposeInt('total', { description: 'Matches in all; an estimate when countsAreEstimates is true' }),
    facets: t.field({ type: FacetsRef, description: 'Counts of every match by kind, service area, council, tag, status, region, council kind, solution phase and case study outcome', resolve: (page) => page.facets }),
    countsAreEstimates: t.exposeBoolean('countsAreEstimates', {
      description: 'True when the facet counts, and perhaps totalCount, are estimates: Meilisearch estimates its totals; the Postgres '
        + 'engine counts the facets of a query matching over 2,500 items from a sample, and for one matching over 5,000 scales the '
        + 'total up from it too and ranks only the newest 1,000 matches',
    }),
    partialMatches: t.exposeBoolean('partialMatches', {
      description: 'True when no item had every word of the query: the results have the most of its rarest words, or match it in meaning only',
    }),
    processingTimeMs: t.exposeInt('processingTimeMs', { description: "The search engine's own time for this search" }),
    engine: t.exposeString('engine', { description: '"postgres" or "meilisearch"' }),
  }),
});

export const SimilarItemRef = builder.objectRef<SimilarHit>('SimilarItem').implement({
  description: 'A published item like the text or item given, and how alike',
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'From 0 to 1; higher is more alike (comparable within one engine only)' }),
    item: t.field({ type: SearchItemRef, description: 'The item', resolve: (hit) => hit.document }),
  }),
});

const IndexerStatusRef = builder.objectRef<ConsumerStatus & { engine: string }>('IndexerStatus').implement({
  description: 'How far the search index is behind the event log',
  fields: (t) => ({
    engine: t.exposeString('engine', { description: 'The search engine: "postgres" or "meilisearch"' }),
    position: t.exposeInt('position', { description: 'The last event position applied to the index' }),
    head: t.exposeInt('head', { description: 'The newest event position' }),
    lag: t.exposeInt('lag', { description: 'Events not yet applied' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true, description: 'When the indexer last moved on; null before it first ran' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last batch failed; platform admins only' }),
    lastErrorAt: t.expose('lastErrorAt', { type: 'DateTime', nullable: true, description: 'When the last batch failed; null if none has' }),
  }),
});

const SearchFilterInput = builder.inputType('SearchFilterInput', {
  description: 'Narrows a search; every field given must match, a list matches any of its values',
  fields: (t) => ({
    kinds: t.field({ type: [SearchKindEnum], description: 'Only these kinds of item' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'Only these service areas' }),
    councilIds: t.globalIDList({ for: [CouncilRef], description: 'Only items of these councils' }),
    tags: t.stringList({ description: 'Carrying any of these tags' }),
    statuses: t.field({ type: [ContentStatusEnum], description: 'Only items with these statuses' }),
    regions: t.stringList({ description: `Only items of councils in these regions, spelled as \`Council.region\` is (${NATIONS_AND_REGIONS.length} values; another is a \`VALIDATION_FAILED\` error)` }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Only items of councils of these kinds' }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'Only solutions in these delivery phases (no problem or case study matches)' }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'Only case studies with these outcomes (no problem or solution matches)' }),
    system: t.field({ type: SystemNameInput, description: 'From councils running this system' }),
    systemCategory: t.field({ type: SystemCategoryEnum, description: 'From councils running a system of this category' }),
    mayBeOutOfDate: t.boolean({ description: 'true: only problems and solutions that may be out of date (a freshness nudge went unanswered)' }),
    contractsEndingWithinMonths: t.int({ description: 'From councils with a system whose contract ends from today to this many months ahead (1 to 120); with `system` or `systemCategory`, that system\'s contract' }),
  }),
});

builder.queryFields((t) => ({
  search: t.field({
    type: SearchConnectionRef,
    description: 'Published problems, solutions and case studies, with typo tolerance and council vocabulary. Only the first 1,000 matches can be paged to',
    extensions: pageSize(SEARCH_PAGE),
    args: {
      query: t.arg.string({ required: true, description: `Words to look for, at most ${QUERY_LIMIT} characters; empty lists everything the filter allows` }),
      filter: t.arg({ type: SearchFilterInput, description: 'Default: every published item' }),
      first: t.arg.int({ defaultValue: 20, description: `Matches on this page: from ${SEARCH_PAGE.min} to ${SEARCH_PAGE.max} (more is a \`VALIDATION_FAILED\` error). Default: 20` }),
      after: t.arg.string({ description: 'The `endCursor` of the page before, for the next page' }),
      orderBy: t.arg({ type: SearchOrderEnum, defaultValue: 'relevance', description: 'Default: RELEVANCE' }),
      semanticRatio: t.arg.float({ description: 'How much meaning counts against words, from 0 (words only) to 1 (meaning only); default 0.3' }),
    },
    resolve: (_, args, ctx, info) => ctx.services.search.search(ctx.viewer, {
      query: args.query,
      filter: args.filter ? {
        kinds: args.filter.kinds ?? undefined,
        serviceAreas: args.filter.serviceAreas ?? undefined,
        councilIds: args.filter.councilIds?.map((c) => c.id),
        tags: args.filter.tags ?? undefined,
        statuses: args.filter.statuses ?? undefined,
        regions: args.filter.regions ?? undefined,
        councilKinds: args.filter.councilKinds ?? undefined,
        phases: args.filter.phases ?? undefined,
        outcomes: args.filter.outcomes ?? undefined,
        mayBeOutOfDate: args.filter.mayBeOutOfDate ?? undefined,
      } : undefined,
      systems: args.filter ? {
        system: args.filter.system, category: args.filter.systemCategory, contractsEndingWithinMonths: args.filter.contractsEndingWithinMonths,
      } : undefined,
      first: args.first,
      after: args.after,
      sort: args.orderBy,
      semanticRatio: args.semanticRatio,
      facets: selects(info, 'facets'),
    }),
  }),
  similar: t.field({
    type: [SimilarItemRef],
    extensions: { ...listCap(LIST_CAPS.similar), ...pageSize(SIMILAR_PAGE) },
    description: 'Published items most like a text or like an item you can see',
    args: {
      text: t.arg.string({ description: `Text to compare, at most ${SIMILAR_TEXT_LIMIT} characters; give either this or \`id\`` }),
      id: t.arg.globalID({ description: 'A Problem, Solution or CaseStudy you can see; give either this or `text`' }),
      kinds: t.arg({ type: [SearchKindEnum], description: 'Only these kinds. Default: every kind' }),
      first: t.arg.int({ defaultValue: 5, description: `How many: from ${SIMILAR_PAGE.min} to ${SIMILAR_PAGE.max} (more is a \`VALIDATION_FAILED\` error). Default: 5` }),
    },
    resolve: (_, args, ctx) => {
      const kind = args.id ? KINDS_BY_TYPENAME[args.id.typename] : undefined;
      if (args.id && !kind) throw new ValidationError([{ field: 'id', message: 'must be the ID of a problem, solution or case study' }]);
      return ctx.services.search.similar(ctx.viewer, {
        text: args.text, item: args.id && kind ? { kind, id: args.id.id } : null, kinds: args.kinds, first: args.first,
      });
    },
  }),
  indexerStatus: t.field({
    type: IndexerStatusRef,
    description: 'How far the search index is behind the event log',
    resolve: (_, __, ctx) => ctx.services.search.indexerStatus(ctx.viewer),
  }),
}));

/** Whether the query selects `field` on this field's result (facets cost a pass over every match). */
function selects(info: GraphQLResolveInfo, field: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean => !!set && set.selections.some((s) =>
    s.kind === Kind.FIELD ? s.name.value === field
      : s.kind === Kind.INLINE_FRAGMENT ? visit(s.selectionSet)
        : visit(info.fragments[s.name.value]?.selectionSet));
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

const LikenessEnum = builder.enumType('Likeness', {
  description: 'How a published item is like the one being drafted',
  values: {
    DUPLICATE: { value: 'duplicate', description: "Another council's item of the same kind about the same thing: support or reuse it rather than start again" },
    LIKELY_ABOUT: { value: 'likely_about', description: 'For a case study: a problem or solution it is likely about (link it)' },
    RELATED: { value: 'related', description: 'Related work: your own council\'s earlier phase or the same work, an item already linked, or close in topic below the duplicate line' },
  } as const,
});

const PossibleDuplicateRef = builder.objectRef<PossibleDuplicate>('PossibleDuplicate').implement({
  description: 'A published item like the one being drafted or published, and why it was flagged',
  fields: (t) => ({
    item: t.field({ type: SearchItemRef, description: 'The published item', resolve: (d) => d.hit.document }),
    likeness: t.field({ type: LikenessEnum, description: 'How it is like the draft', resolve: (d) => d.likeness }),
    score: t.exposeFloat('likenessScore', { description: 'From 0 to 1: meaning and shared key words together; 0.5 is the duplicate line' }),
    similarity: t.float({ description: 'Cosine similarity of the two texts\' sentence vectors', resolve: (d) => d.hit.score }),
    reasons: t.stringList({ description: 'Why it was flagged, in words (at most 5)', extensions: listCap(LIST_CAPS.duplicates), resolve: (d) => [...d.reasons] }),
    sharedWords: t.stringList({ description: `At most ${MAX_SHARED_WORDS}`, extensions: listCap(MAX_SHARED_WORDS), resolve: (d) => [...d.sharedWords] }),
    addressedBy: t.field({
      type: [SearchItemRef],
      extensions: listCap(LIST_CAPS.duplicates),
      description: 'For a problem: published solutions already linked to it (up to 3)',
      resolve: (d) => [...d.addressedBy],
    }),
  }),
});

/** `possibleDuplicates` for create and publish payloads; null (with an error) if the engine is down. */
export function possibleDuplicatesField<P extends { id: string; councilId: string; title: string; summary: string }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, P>, kind: SearchKind,
) {
  const compared = { problem: 'problems (with the solutions addressing them)', solution: 'solutions', case_study: 'problems and solutions this case study is likely about' }[kind];
  return t.field({
    type: [PossibleDuplicateRef],
    nullable: true,
    extensions: listCap(LIST_CAPS.duplicates),
    description: `Published ${compared} like this one, most alike first, each with why`,
    resolve: (item, _, ctx) => ctx.services.search.possibleDuplicates({ kind, id: item.id, councilId: item.councilId, title: item.title, summary: item.summary }),
  });
}

builder.queryFields((t) => ({
  duplicateCheck: t.field({
    type: [PossibleDuplicateRef],
    extensions: listCap(LIST_CAPS.duplicates),
    description: 'The duplicate warning for text you are drafting, before you save it (members only)',
    args: {
      kind: t.arg({ type: SearchKindEnum, required: true, description: 'What you are drafting' }),
      title: t.arg.string({ required: true, description: 'Its title: one line, 1 to 200 characters' }),
      summary: t.arg.string({ description: 'Its summary, at most 1,000 characters' }),
    },
    resolve: (_, args, ctx) => ctx.services.search.checkDraft(ctx.viewer, args),
  }),
}));
