import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { CaseStudyOutcome } from '../case-studies.js';
import { LIST_CAPS } from '../list-caps.js';
import { SERVICE_AREA_CODES, type ServiceAreaCode } from '../service-areas.js';
import { headPosition } from '../../events/reader.js';
import { insightQueries as q } from './insight-queries.js';
import { INSIGHT_MONTHS, INSIGHT_TOP, type Insights, type MonthActivity, type MonthCount } from './insight-model.js';

/**
 * What the hub's public record says about the sector. The figures are the same for every
 * viewer (public rows only) and change only with a change that appends an event, so they
 * are kept per (outbox head, month): a read that finds the log where it was answers from
 * memory, and the first read after any event computes them again (concurrent readers share
 * that computation). Keyed on the shared log, the copy is never stale on any process.
 */
export function createInsights({ db }: { db: Kysely<Database> }) {
  let kept: { key: string; figures: Promise<Insights> } | null = null;
  return {
    async figures(): Promise<Insights> {
      const [head, [current]] = await Promise.all([headPosition(db), q.currentMonth(db)]);
      const key = `${head}@${current!.month}`;
      if (kept?.key !== key) {
        const figures = compute(db);
        kept = { key, figures };
        // A failed computation is not kept: the next read tries again.
        figures.catch(() => { if (kept?.figures === figures) kept = null; });
      }
      return kept.figures;
    },
  };
}

export type InsightsService = ReturnType<typeof createInsights>;

async function compute(db: Kysely<Database>): Promise<Insights> {
  const [[current], problems, councils, [regions, regionProblems, regionSupports, regionCouncils], shared, adoptions, flows, outcomes, published, supports] = await Promise.all([
    q.currentMonth(db), q.problemsByArea(db), q.councilsByArea(db),
    Promise.all([q.regions(db), q.problemsByRegion(db), q.supportsByRegion(db), q.councilsByRegion(db)]), q.mostShared(db, INSIGHT_TOP),
    q.adoptionsByMonth(db, INSIGHT_MONTHS), q.adoptionFlows(db, LIST_CAPS.insightsTop), q.outcomes(db),
    Promise.all((['problems', 'solutions', 'case_studies'] as const).map((t) => q.publishedByMonth(db, t, INSIGHT_MONTHS))),
    q.supportsByMonth(db, INSIGHT_MONTHS),
  ]);
  const months = lastMonths(current!.month, INSIGHT_MONTHS);
  const sharedCouncils = shared.length ? await q.councilsOf(db, shared.map((s) => s.problem_id), LIST_CAPS.sameSystem) : [];
  const adoptionCounts = byMonth(months, adoptions);
  const [problemMonths, solutionMonths, caseStudyMonths] = published.map((rows) => byMonth(months, rows));
  const supportMonths = byMonth(months, supports);
  return {
    demandByServiceArea: SERVICE_AREA_CODES.map((serviceArea) => ({
      serviceArea,
      problems: countOf(problems, (r) => r.service_area === serviceArea),
      councils: countOf(councils, (r) => r.service_area === serviceArea),
    })),
    demandByRegion: regions.map(({ region }) => ({
      region,
      problems: countOf(regionProblems, (r) => r.region === region),
      supports: countOf(regionSupports, (r) => r.region === region),
      councils: countOf(regionCouncils, (r) => r.region === region),
    })),
    mostSharedProblems: shared.map((s) => ({
      problemId: s.problem_id,
      councils: Number(s.n),
      councilIds: sharedCouncils.filter((c) => c.problem_id === s.problem_id).map((c) => c.council_id),
    })),
    adoptionsByMonth: adoptionCounts,
    adoptionFlows: flows.map((f) => ({ fromCouncilId: f.from_council, toCouncilId: f.to_council, adoptions: Number(f.n) })),
    caseStudyOutcomes: outcomes
      .map((r) => ({ serviceArea: r.service_area as ServiceAreaCode, outcome: r.outcome as CaseStudyOutcome, caseStudies: Number(r.n) }))
      .sort((a, b) => SERVICE_AREA_CODES.indexOf(a.serviceArea) - SERVICE_AREA_CODES.indexOf(b.serviceArea) || a.outcome.localeCompare(b.outcome)),
    activityByMonth: months.map((month, i): MonthActivity => ({
      month,
      problems: problemMonths![i]!.count,
      solutions: solutionMonths![i]!.count,
      caseStudies: caseStudyMonths![i]!.count,
      supports: supportMonths[i]!.count,
      adoptions: adoptionCounts[i]!.count,
    })),
  };
}

function countOf<R extends { n: string }>(rows: readonly R[], match: (row: R) => boolean): number {
  return Number(rows.find(match)?.n ?? 0);
}

/** The `count` months ending with `current` (YYYY-MM), oldest first. */
export function lastMonths(current: string, count: number): string[] {
  const [year, month] = current.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

function byMonth(months: readonly string[], rows: readonly { month: string; n: string }[]): MonthCount[] {
  return months.map((month) => ({ month, count: Number(rows.find((r) => r.month === month)?.n ?? 0) }));
}
