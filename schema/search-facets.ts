import type { Facet, FacetCount } from '../server/search/engine.js';
import { builder } from './builder.js';
import { must } from '../server/kernel/must.js';
import { ServiceAreaEnum } from './service-area.js';
import { CouncilRef } from './refs.js';
import { CaseStudyOutcomeEnum } from './case-study-outcome.js';
import { CouncilKindEnum } from './council.js';
import { SolutionPhaseEnum } from './solution.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

export const SearchKindEnum = builder.enumType('SearchKind', {
  description: 'A kind of published item',
  values: {
    PROBLEM: { value: 'problem', description: 'A Problem' },
    SOLUTION: { value: 'solution', description: 'A Solution' },
    CASE_STUDY: { value: 'case_study', description: 'A CaseStudy' },
  } as const,
});

/** Every kind's statuses in one enum, spelled as each kind's own status enum spells them. */
export const ContentStatusEnum = builder.enumType('ContentStatus', {
  description: 'The status of a problem (OPEN, EXPLORING, SOLVED), solution or case study (ACTIVE), or of any archived item (ARCHIVED)',
  values: {
    OPEN: { value: 'open', description: 'A problem nobody is working on yet' },
    EXPLORING: { value: 'exploring', description: 'A problem councils are looking at options for' },
    SOLVED: { value: 'solved', description: 'A problem its council considers solved' },
    ACTIVE: { value: 'active', description: 'A solution still offered, or a current case study' },
    ARCHIVED: { value: 'archived', description: 'Archived; archived items are not in the search index, so search never returns one' },
  } as const,
});

const COUNT = 'Matches with this value (an estimate when `countsAreEstimates` is true)';

type FacetValueType = typeof SearchKindEnum | typeof ServiceAreaEnum | typeof ContentStatusEnum | typeof CouncilKindEnum
  | typeof SolutionPhaseEnum | typeof CaseStudyOutcomeEnum | 'String';

const facet = (name: string, valueField: string, type: FacetValueType, what: string) =>
  builder.objectRef<FacetCount>(name).implement({
    description: `How many matches have one ${what}`,
    fields: (t) => ({
      [valueField]: t.field({ type: type as 'String', description: `The ${what}`, resolve: (f) => f.value }),
      count: t.exposeInt('count', { description: COUNT }),
    }),
  });

const KindFacet = facet('SearchKindFacet', 'kind', SearchKindEnum, 'kind');
const ServiceAreaFacet = facet('SearchServiceAreaFacet', 'serviceArea', ServiceAreaEnum, 'service area');
const TagFacet = facet('SearchTagFacet', 'tag', 'String', 'tag');
const StatusFacet = facet('SearchStatusFacet', 'status', ContentStatusEnum, 'status');
const RegionFacet = facet('SearchRegionFacet', 'region', 'String', 'region of the owning council (spelled as `Council.region`)');
const CouncilKindFacet = facet('SearchCouncilKindFacet', 'councilKind', CouncilKindEnum, 'kind of owning council');
const PhaseFacet = facet('SearchPhaseFacet', 'phase', SolutionPhaseEnum, 'solution delivery phase');
const OutcomeFacet = facet('SearchOutcomeFacet', 'outcome', CaseStudyOutcomeEnum, 'case study outcome');
const CouncilFacet = builder.objectRef<FacetCount>('SearchCouncilFacet').implement({
  description: 'How many matches one council owns',
  fields: (t) => ({
    council: t.field({ type: CouncilRef, description: 'The council', resolve: (f, _, ctx) => ctx.loaders.council.load(f.value).then(must) }),
    count: t.exposeInt('count', { description: COUNT }),
  }),
});

export const FacetsRef = builder.objectRef<Record<Facet, readonly FacetCount[]>>('SearchFacets').implement({
  description: 'How many matches have each value, most frequent first (at most 100 values per facet)',
  fields: (t) => ({
    kinds: t.field({ type: [KindFacet], description: 'Counts by kind', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.kind.slice(0, LIST_CAPS.facetValues) }),
    serviceAreas: t.field({ type: [ServiceAreaFacet], description: 'Counts by service area', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.serviceArea.slice(0, LIST_CAPS.facetValues) }),
    councils: t.field({ type: [CouncilFacet], description: 'Counts by council', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.councilId.slice(0, LIST_CAPS.facetValues) }),
    tags: t.field({ type: [TagFacet], description: 'Counts by tag', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.tags.slice(0, LIST_CAPS.facetValues) }),
    statuses: t.field({ type: [StatusFacet], description: 'Counts by status', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.status.slice(0, LIST_CAPS.facetValues) }),
    regions: t.field({ type: [RegionFacet], description: 'Counts by the owning council\'s region', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.region.slice(0, LIST_CAPS.facetValues) }),
    councilKinds: t.field({ type: [CouncilKindFacet], description: 'Counts by the owning council\'s kind', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.councilKind.slice(0, LIST_CAPS.facetValues) }),
    phases: t.field({ type: [PhaseFacet], description: 'Counts of solutions by delivery phase (other kinds have none)', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.phase.slice(0, LIST_CAPS.facetValues) }),
    outcomes: t.field({ type: [OutcomeFacet], description: 'Counts of case studies by outcome (other kinds have none)', extensions: listCap(LIST_CAPS.facetValues), resolve: (f) => f.outcome.slice(0, LIST_CAPS.facetValues) }),
  }),
});

