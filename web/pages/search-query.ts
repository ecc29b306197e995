import type { Kind } from '../vocabulary.js';

export const SEARCH_PAGE_QUERY = `query SearchPage($q: String!, $filter: SearchFilterInput, $first: Int!, $after: String, $filtered: Boolean!, $councils: [ID!]!) {
  search(query: $q, filter: $filter, first: $first, after: $after) {
    totalCount
    countsAreEstimates
    partialMatches
    pageInfo { hasNextPage }
    edges {
      highlights { title summary }
      node { id: contentId kind status serviceArea tags publishedAt council { name slug } }
    }
    facets {
      kinds { kind count }
      serviceAreas { serviceArea count }
      councils { council { id name } count }
      statuses { status count }
      tags { tag count }
      regions { region count }
      councilKinds { councilKind count }
      phases { phase count }
      outcomes { outcome count }
    }
  }
  unfiltered: search(query: $q, first: 1) @include(if: $filtered) { totalCount }
  selectedCouncils: nodes(ids: $councils) { ... on Council { id name } }
  serviceAreas { code name }
  indexerStatus { head }
}`;

export interface SearchHitData {
  highlights: { title: string; summary: string };
  node: { id: string; kind: Kind; status: string; serviceArea: string; tags: string[]; publishedAt: string | null; council: { name: string; slug: string } };
}

export interface SearchPageData {
  search: {
    totalCount: number;
    countsAreEstimates: boolean;
    partialMatches: boolean;
    pageInfo: { hasNextPage: boolean };
    edges: SearchHitData[];
    facets: {
      kinds: { kind: Kind; count: number }[];
      serviceAreas: { serviceArea: string; count: number }[];
      councils: { council: { id: string; name: string }; count: number }[];
      statuses: { status: string; count: number }[];
      tags: { tag: string; count: number }[];
      regions: { region: string; count: number }[];
      councilKinds: { councilKind: string; count: number }[];
      phases: { phase: string; count: number }[];
      outcomes: { outcome: string; count: number }[];
    };
  };
  unfiltered?: { totalCount: number };
  selectedCouncils: ({ id: string; name: string } | null)[];
  serviceAreas: { code: string; name: string }[];
  indexerStatus: { head: number };
}
