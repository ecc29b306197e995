import { asServiceArea } from '../server/domain/service-areas.js';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ValidationError } from '../server/kernel/errors.js';
import type { PossibleDuplicate } from '../server/domain/duplicate-warning.js';
import { MAX_SHARED_WORDS } from '../server/search/likeness.js';
import { encodeSearchCursor, SEARCH_PAGE, SIMILAR_PAGE, type SearchPage } from '../server/domain/search.js';
import { pageSize } from './page-size-plugin.js';
import type { ConsumerStatus } from '../server/events/consumer-cursors.js';
import type { SearchHit, SearchKind, SimilarHit } from '../server/search/engine.js';
import { builder } from './builder.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { must } from '../server/kernel/must.js';
import { ServiceAreaEnum } from './service-area.js';
import { ContentRef, CouncilRef } from './refs.js';
import { ContentStatusEnum, FacetsRef, SearchKindEnum } from './search-facets.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

type Item = SearchHit['document'];
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const TYPENAMES: Record<SearchKind, string> = { problem: 'Problem', solution: 'Solution', case_study: 'CaseStudy' };
const KINDS_BY_TYPENAME = Object.fromEntries(Object.entries(TYPENAMES).map(([kind, name]) => [name, kind as SearchKind]));

const SearchOrderEnum = builder.enumType('SearchOrder', {
  values: {
    RELEVANCE: { value: 'relevance' },
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
    kind: t.field({ type: SearchKindEnum, resolve: (item) => item.kind }),
    title: t.exposeString('title'),
    summary: t.exposeString('summary'),
    serviceArea: t.field({ type: ServiceAreaEnum, resolve: (item) => asServiceArea(item.serviceArea) }),
    tags: t.stringList({ resolve: (item) => [...item.tags] }),
    status: t.field({ type: ContentStatusEnum, resolve: (item) => item.status as typeof ContentStatusEnum.$inferType }),
    council: t.field({ type: CouncilRef, resolve: (item, _, ctx) => ctx.loaders.council.load(item.councilId).then(must) }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (item) => (item.publishedAt === null ? null : new Date(item.publishedAt)) }),
  }),
});

const HighlightsRef = builder.objectRef<SearchHit['highlights']>('SearchHighlights').implement({
  description: 'HTML: the text is escaped and each match is wrapped in <mark>…</mark>',
  fields: (t) => ({ title: t.exposeString('title'), summary: t.exposeString('summary') }),
});

interface Edge { hit: SearchHit; cursor: string }

const SearchEdgeRef = builder.objectRef<Edge>('SearchEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: SearchItemRef, resolve: (edge) => edge.hit.document }),
    highlights: t.field({ type: HighlightsRef, resolve: (edge) => edge.hit.highlights }),
  }),
});

const SearchConnectionRef = builder.objectRef<SearchPage>('SearchConnection').implement({
  fields: (t) => ({
    edges: t.field({
      type: [SearchEdgeRef],
      resolve: (page) => page.hits.map((hit, i) => ({ hit, cursor: encodeSearchCursor(page.offset + i + 1) })),
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.offset > 0,
        startCursor: page.hits.length ? encodeSearchCursor(page.offset + 1) : null,
        endCursor: page.hits.length ? encodeSearchCursor(page.offset + page.hits.length) : null,
      }),
    }),
    totalCount: t.exposeInt('total', { description: 'Matches in all; an estimate when countsAreEstimates is true' }),
    facets: t.field({ type: FacetsRef, resolve: (page) => page.facets }),
    countsAreEstimates: t.exposeBoolean('countsAreEstimates', {
      description: 'True when totalCount and the facet counts are estimates: Meilisearch estimates its totals; the Postgres '
        + 'engine, for a query matching over 5,000 items, scales them up from a sample and ranks only the newest 1,000 matches',
    }),
    partialMatches: t.exposeBoolean('partialMatches', {
      description: 'True when no item had every word of the query: the results have the most of its rarest words, or match it in meaning only',
    }),
    processingTimeMs: t.exposeInt('processingTimeMs', { description: "The search engine's own time for this search" }),
    engine: t.exposeString('engine', { description: '"postgres" or "meilisearch"' }),
  }),
});

export const SimilarItemRef = builder.objectRef<SimilarHit>('SimilarItem').implement({
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'From 0 to 1; higher is more alike (comparable within one engine only)' }),
    item: t.field({ type: SearchItemRef, resolve: (hit) => hit.document }),
  }),
});

const IndexerStatusRef = builder.objectRef<ConsumerStatus & { engine: string }>('IndexerStatus').implement({
  description: 'How far the search index is behind the event log',
  fields: (t) => ({
    engine: t.exposeString('engine'),
    position: t.exposeInt('position', { description: 'The last event position applied to the index' }),
    head: t.exposeInt('head', { description: 'The newest event position' }),
    lag: t.exposeInt('lag', { description: 'Events not yet applied' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last batch failed; platform admins only' }),
    lastErrorAt: t.expose('lastErrorAt', { type: 'DateTime', nullable: true }),
  }),
});

const SearchFilterInput = builder.inputType('SearchFilterInput', {
  fields: (t) => ({
    kinds: t.field({ type: [SearchKindEnum] }),
    serviceAreas: t.field({ type: [ServiceAreaEnum] }),
    councilIds: t.globalIDList({ for: [CouncilRef] }),
    tags: t.stringList({ description: 'Carrying any of these tags' }),
    statuses: t.field({ type: [ContentStatusEnum] }),
  }),
});

builder.queryFields((t) => ({
  search: t.field({
    type: SearchConnectionRef,
    description: 'Published problems, solutions and case studies, with typo tolerance and council vocabulary. Only the first 1,000 matches can be paged to',
    extensions: pageSize(SEARCH_PAGE),
    args: {
      query: t.arg.string({ required: true, description: 'Words to look for; empty lists everything the filter allows' }),
      filter: t.arg({ type: SearchFilterInput }),
      first: t.arg.int({ defaultValue: 20, description: `Matches on this page: from ${SEARCH_PAGE.min} to ${SEARCH_PAGE.max} (more is a \`VALIDATION_FAILED\` error). Default: 20` }),
      after: t.arg.string(),
      orderBy: t.arg({ type: SearchOrderEnum, defaultValue: 'relevance' }),
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
      text: t.arg.string(),
      id: t.arg.globalID({ description: 'A Problem, Solution or CaseStudy' }),
      kinds: t.arg({ type: [SearchKindEnum] }),
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
  values: {
    DUPLICATE: { value: 'duplicate', description: "Another council's item of the same kind about the same thing: support or reuse it rather than start again" },
    LIKELY_ABOUT: { value: 'likely_about', description: 'For a case study: a problem or solution it is likely about (link it)' },
    RELATED: { value: 'related', description: 'Related work: your own council\'s earlier phase or the same work, an item already linked, or close in topic below the duplicate line' },
  } as const,
});

const PossibleDuplicateRef = builder.objectRef<PossibleDuplicate>('PossibleDuplicate').implement({
  description: 'A published item like the one being drafted or published, and why it was flagged',
  fields: (t) => ({
    item: t.field({ type: SearchItemRef, resolve: (d) => d.hit.document }),
    likeness: t.field({ type: LikenessEnum, resolve: (d) => d.likeness }),
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
      kind: t.arg({ type: SearchKindEnum, required: true }),
      title: t.arg.string({ required: true }),
      summary: t.arg.string(),
    },
    resolve: (_, args, ctx) => ctx.services.search.checkDraft(ctx.viewer, args),
  }),
}));
