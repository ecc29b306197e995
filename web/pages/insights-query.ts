export const INSIGHTS_QUERY = `query InsightsPage {
  insights {
    demandByServiceArea { serviceArea problems councils }
    demandByRegion { region problems supports councils }
    mostSharedProblems { problem { id title } councilCount councils { name slug } }
    adoptionsByMonth { month count }
    adoptionFlows { from { name slug } to { name slug } adoptions }
    caseStudyOutcomes { serviceArea outcome caseStudies }
    activityByMonth { month problems solutions caseStudies supports adoptions }
  }
  serviceAreas { code name }
}`;

interface CouncilName { name: string; slug: string }

export interface InsightsData {
  insights: {
    demandByServiceArea: { serviceArea: string; problems: number; councils: number }[];
    demandByRegion: { region: string; problems: number; supports: number; councils: number }[];
    mostSharedProblems: { problem: { id: string; title: string }; councilCount: number; councils: CouncilName[] }[];
    adoptionsByMonth: { month: string; count: number }[];
    adoptionFlows: { from: CouncilName; to: CouncilName; adoptions: number }[];
    caseStudyOutcomes: { serviceArea: string; outcome: string; caseStudies: number }[];
    activityByMonth: { month: string; problems: number; solutions: number; caseStudies: number; supports: number; adoptions: number }[];
  };
  serviceAreas: { code: string; name: string }[];
}
