import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ValidationError } from '../server/kernel/errors.js';
import { encodeSearchCursor, type SearchPage } from '../server/domain/search.js';
import type { ConsumerStatus } from '../server/events/consumer-cursors.js';
import type { SearchHit, SearchKind, SimilarHit } from '../server/search/engine.js';
import { builder } from './builder.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { must } from './must.js';
import { ServiceAreaEnum } from './service-area.js';
import { CouncilRef } from './refs.js';
import { FacetsRef, SearchKindEnum } from './search-facets.js';
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
  description: 'A published problem, solution or case study as the search index holds it; fetch more with `node(id:)`',
  fields: (t) => ({
    id: t.id({ description: 'The global ID of the problem, solution or case study', resolve: (item) => encodeGlobalId(TYPENAMES[item.kind], item.id) }),
    kind: t.field({ type: SearchKindEnum, resolve: (item) => item.kind }),
    title: t.exposeString('title'),
    summary: t.exposeString('summary'),
    serviceArea: t.field({ type: ServiceAreaEnum, resolve: (item) => item.serviceArea as never }),
    tags: t.stringList({ resolve: (item) => [...item.tags] }),
    status: t.exposeString('status', { description: 'Lower case, as in the kind\'s own status enum (e.g. "open", "active")' }),
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

const SearchFilterInput = builder.inputType('SearchFilter', {
  fields: (t) => ({
    kinds: t.field({ type: [SearchKindEnum] }),
    serviceAreas: t.field({ type: [ServiceAreaEnum] }),
    councils: t.globalIDList({ for: [CouncilRef] }),
    tags: t.stringList({ description: 'Carrying any of these tags' }),
    statuses: t.stringList({ description: 'Lower-case status values, e.g. "open", "solved", "active"' }),
  }),
});

builder.queryFields((t) => ({
  search: t.field({
    type: SearchConnectionRef,
    description: 'Published problems, solutions and case studies, with typo tolerance and council vocabulary',
    args: {
      query: t.arg.string({ required: true, description: 'Words to look for; empty lists everything the filter allows' }),
      filter: t.arg({ type: SearchFilterInput }),
      first: t.arg.int({ defaultValue: 20, description: 'At most 50' }),
      after: t.arg.string(),
      orderBy: t.arg({ type: SearchOrderEnum, defaultValue: 'relevance' }),
    },
    resolve: (_, args, ctx, info) => ctx.services.search.search(ctx.viewer, {
      query: args.query,
      filter: args.filter ? {
        kinds: args.filter.kinds ?? undefined,
        serviceAreas: args.filter.serviceAreas ?? undefined,
        councilIds: args.filter.councils?.map((c) => c.id),
        tags: args.filter.tags ?? undefined,
        statuses: args.filter.statuses?.map((s) => s.trim().toLowerCase()),
      } : undefined,
      first: args.first,
      after: args.after,
      sort: args.orderBy,
      facets: selects(info, 'facets'),
    }),
  }),
  similar: t.field({
    type: [SimilarItemRef],
    extensions: listCap(LIST_CAPS.similar),
    description: 'Published items most like a text or like an item you can see',
    args: {
      text: t.arg.string(),
      id: t.arg.globalID({ description: 'A Problem, Solution or CaseStudy' }),
      kinds: t.arg({ type: [SearchKindEnum] }),
      first: t.arg.int({ defaultValue: 5, description: 'At most 20' }),
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

/** `possibleDuplicates` for problem payloads; null (with an error) if the engine is down. */
export function possibleDuplicatesField<P extends { id: string; title: string; summary: string }>(t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, P>) {
  return t.field({
    type: [SimilarItemRef],
    nullable: true,
    extensions: listCap(LIST_CAPS.duplicates),
    description: 'Published problems that look like this one, most alike first',
    resolve: (problem, _, ctx) => ctx.services.search.possibleDuplicates(problem),
  });
}
