const LINKED = 'id title council { name slug }';

export const ITEM_PAGE_QUERY = `query ItemPage($id: ID!) {
  node(id: $id) {
    __typename
    ... on Content {
      id title summary body serviceArea tags publishedAt updatedAt version visibility viewerCanEdit
      council { name slug }
      contact { name email member { id } }
      commentCount
      comments(first: 50) { edges { node { id body createdAt editedAt author { id name } council { name slug } } } }
    }
    ... on Problem {
      problemStatus: status supporterCount sourceUrl phaseEndsOn mayBeOutOfDate
      supporters { council { name slug } note }
      sameAs { ${LINKED} }
      sameProblems { ${LINKED} }
      sharedSystems { supplier product category councils { council { name slug } contractEndsOn } }
      solutions { ${LINKED} }
      caseStudies { ${LINKED} }
    }
    ... on Solution {
      solutionStatus: status kind phase licence url costBand sourceUrl phaseEndsOn mayBeOutOfDate
      partners { name slug }
      adoptions { council { name slug } stage note }
      problems { ${LINKED} }
      caseStudies { ${LINKED} }
    }
    ... on CaseStudy {
      caseStudyStatus: status outcome lessons costPounds savingsClaimedPounds evidenceUrl
      problems { ${LINKED} }
      solutions { ${LINKED} }
    }
  }
  serviceAreas { code name }
}`;

export interface CouncilName { name: string; slug: string }
export interface LinkedItem { id: string; title: string; council: CouncilName }

export interface ItemData {
  __typename: 'Problem' | 'Solution' | 'CaseStudy';
  id: string; title: string; summary: string; body: string; serviceArea: string; tags: string[];
  publishedAt: string | null; updatedAt: string; version: number; visibility: 'DRAFT' | 'PUBLISHED' | 'HIDDEN'; viewerCanEdit: boolean;
  council: CouncilName;
  /** Null for anonymous visitors (the API answers it to signed-in members only) or when none is named. */
  contact: { name: string; email: string; member: { id: string } } | null;
  commentCount: number;
  comments: { edges: { node: { id: string; body: string; createdAt: string; editedAt: string | null; author: { id: string; name: string }; council: CouncilName } }[] };
  sharedSystems?: { supplier: string; product: string; category: string; councils: { council: CouncilName; contractEndsOn: string | null }[] }[];
  sameAs?: LinkedItem | null; sameProblems?: LinkedItem[];
  problemStatus?: string; supporterCount?: number; supporters?: { council: CouncilName; note: string | null }[]; solutions?: LinkedItem[];
  solutionStatus?: string; kind?: string; phase?: string; licence?: string | null; url?: string | null; costBand?: string | null;
  partners?: CouncilName[]; adoptions?: { council: CouncilName; stage: string; note: string | null }[]; problems?: LinkedItem[];
  caseStudies?: LinkedItem[]; sourceUrl?: string | null; phaseEndsOn?: string | null; mayBeOutOfDate?: boolean;
  caseStudyStatus?: string; outcome?: string; lessons?: string; costPounds?: number | null; savingsClaimedPounds?: number | null; evidenceUrl?: string | null;
}

export interface ItemPageData {
  node: ItemData | null;
  serviceAreas: { code: string; name: string }[];
}
