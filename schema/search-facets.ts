import type { Facet, FacetCount } from '../server/search/engine.js';
import { builder } from './builder.js';
import { must } from '../server/kernel/must.js';
import { ServiceAreaEnum } from './service-area.js';
import { CouncilRef } from './refs.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

export const SearchKindEnum = builder.enumType('SearchKind', {
  values: { PROBLEM: { value: 'problem' }, SOLUTION: { value: 'solution' }, CASE_STUDY: { value: 'case_study' } } as const,
});

/** Every kind's statuses in one enum, spelled as each kind's own status enum spells them. */
export const ContentStatusEnum = builder.enumType('ContentStatus', {
  description: 'The status of a problem (OPEN, EXPLORING, SOLVED), solution or case study (ACTIVE), or of any archived item (ARCHIVED)',
  values: {
    OPEN: { value: 'open' }, EXPLORING: { value: 'exploring' }, SOLVED: { value: 'solved' },
    ACTIVE: { value: 'active' }, ARCHIVED: { value: 'archived' },
  } as const,
});

const facet = (name: string, valueField: string, type: typeof SearchKindEnum | typeof ServiceAreaEnum | typeof ContentStatusEnum | 'String') =>
  builder.objectRef<FacetCount>(name).implement({
    fields: (t) => ({
      [valueField]: t.field({ type: type as 'String', resolve: (f) => f.value }),
      count: t.exposeInt('count'),
    }),
  });

const KindFacet = facet('SearchKindFacet', 'kind', SearchKindEnum);
const ServiceAreaFacet = facet('SearchServiceAreaFacet', 'serviceArea', ServiceAreaEnum);
const TagFacet = facet('SearchTagFacet', 'tag', 'String');
const StatusFacet = facet('SearchStatusFacet', 'status', ContentStatusEnum);
const CouncilFacet = builder.objectRef<FacetCount>('SearchCouncilFacet').implement({
  fields: (t) => ({
    council: t.field({ type: CouncilRef, resolve: (f, _, ctx) => ctx.loaders.council.load(f.value).then(must) }),
    count: t.exposeInt('count'),
  }),
});

export const FacetsRef = builder.objectRef<Record<Facet, readonly FacetCount[]>>('SearchFacets').implement({
  description: 'How many matches have each value, most frequent first (at most 100 values per facet)',
  fields: (t) => ({
    kinds: t.field({ type: [KindFacet], extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.kind.slice(0, LIST_CAPS.facetValues) }),
    serviceAreas: t.field({ type: [ServiceAreaFacet], extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.serviceArea.slice(0, LIST_CAPS.facetValues) }),
    councils: t.field({ type: [CouncilFacet], extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.councilId.slice(0, LIST_CAPS.facetValues) }),
    tags: t.field({ type: [TagFacet], extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.tags.slice(0, LIST_CAPS.facetValues) }),
    statuses: t.field({ type: [StatusFacet], extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.status.slice(0, LIST_CAPS.facetValues) }),
  }),
});

