import type {
  AdoptionFlow, Insights, MonthActivity, MonthCount, OutcomeCount, RegionDemand, ServiceAreaDemand, SharedProblem,
} from '../server/domain/insights/insight-model.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';
import { builder } from './builder.js';
import { CaseStudyOutcomeEnum } from './case-study.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef, ProblemRef } from './refs.js';
import { ServiceAreaEnum } from './service-area.js';

const ServiceAreaDemandRef = builder.objectRef<ServiceAreaDemand>('ServiceAreaDemand').implement({
  description: 'How many public problems one service area has, and how many councils are behind them',
  fields: (t) => ({
    serviceArea: t.field({ type: ServiceAreaEnum, description: 'The service area', resolve: (d) => d.serviceArea }),
    problems: t.exposeInt('problems', { description: 'Public problems in the area' }),
    councils: t.exposeInt('councils', { description: 'Councils that published or support a problem in the area' }),
  }),
});

const RegionDemandRef = builder.objectRef<RegionDemand>('RegionDemand').implement({
  description: 'What the councils of one region published and support',
  fields: (t) => ({
    region: t.exposeString('region', { description: 'The region, spelled as `Council.region` is' }),
    problems: t.exposeInt('problems', { description: 'Public problems the region\'s councils published' }),
    supports: t.exposeInt('supports', { description: 'Public problems of other councils that the region\'s councils support' }),
    councils: t.exposeInt('councils', { description: 'The region\'s councils that published or support a problem' }),
  }),
});

const SharedProblemRef = builder.objectRef<SharedProblem>('SharedProblemInsight').implement({
  description: 'A problem many councils share, and who they are',
  fields: (t) => ({
    problem: t.field({ type: ProblemRef, description: 'The problem', resolve: (s, _, ctx) => ctx.loaders.problem.load(s.problemId).then(must) }),
    councilCount: t.exposeInt('councils', { description: 'Its council and the councils that support it' }),
    councils: t.field({
      type: [CouncilRef],
      extensions: listCap(LIST_CAPS.sameSystem),
      description: 'Those councils, its own first, then supporters in the order they joined',
      resolve: (s, _, ctx) => Promise.all(s.councilIds.map((id) => ctx.loaders.council.load(id).then(must))),
    }),
  }),
});

const MonthCountRef = builder.objectRef<MonthCount>('MonthCount').implement({
  description: 'A count for one calendar month',
  fields: (t) => ({
    month: t.exposeString('month', { description: 'YYYY-MM, UTC' }),
    count: t.exposeInt('count', { description: 'How many that month' }),
  }),
});

const AdoptionFlowRef = builder.objectRef<AdoptionFlow>('AdoptionFlow').implement({
  description: 'Adoptions of one council\'s solutions by another council',
  fields: (t) => ({
    from: t.field({ type: CouncilRef, description: 'The council that published the solutions', resolve: (f, _, ctx) => ctx.loaders.council.load(f.fromCouncilId).then(must) }),
    to: t.field({ type: CouncilRef, description: 'The council that adopted them', resolve: (f, _, ctx) => ctx.loaders.council.load(f.toCouncilId).then(must) }),
    adoptions: t.exposeInt('adoptions', { description: 'Solutions of `from` that `to` adopted' }),
  }),
});

const OutcomeCountRef = builder.objectRef<OutcomeCount>('CaseStudyOutcomeCount').implement({
  description: 'How many public case studies in one service area had one outcome',
  fields: (t) => ({
    serviceArea: t.field({ type: ServiceAreaEnum, description: 'The service area', resolve: (o) => o.serviceArea }),
    outcome: t.field({ type: CaseStudyOutcomeEnum, description: 'What happened', resolve: (o) => o.outcome }),
    caseStudies: t.exposeInt('caseStudies', { description: 'Public case studies with this area and outcome' }),
  }),
});

const MonthActivityRef = builder.objectRef<MonthActivity>('MonthActivity').implement({
  description: 'What was published and done on the hub in one calendar month',
  fields: (t) => ({
    month: t.exposeString('month', { description: 'YYYY-MM, UTC' }),
    problems: t.exposeInt('problems', { description: 'Problems published that month (still public)' }),
    solutions: t.exposeInt('solutions', { description: 'Solutions published that month (still public)' }),
    caseStudies: t.exposeInt('caseStudies', { description: 'Case studies published that month (still public)' }),
    supports: t.exposeInt('supports', { description: 'Councils that said "we have this too" that month' }),
    adoptions: t.exposeInt('adoptions', { description: 'Adoptions that reached ADOPTED that month' }),
  }),
});

const list = <T>(cap: number, pick: (i: Insights) => readonly T[]) => ({ extensions: listCap(cap), resolve: (i: Insights) => [...pick(i)] });

const InsightsRef = builder.objectRef<Insights>('Insights').implement({
  description: 'What the public record says: published, unarchived items only, the same for every viewer (the figures on /insights)',
  fields: (t) => ({
    demandByServiceArea: t.field({ type: [ServiceAreaDemandRef], ...list(LIST_CAPS.serviceAreas, (i) => i.demandByServiceArea), description: 'Every service area, in taxonomy order' }),
    demandByRegion: t.field({ type: [RegionDemandRef], ...list(LIST_CAPS.insightsRows, (i) => i.demandByRegion), description: 'Every region with a council on the hub, by name' }),
    mostSharedProblems: t.field({ type: [SharedProblemRef], ...list(LIST_CAPS.insightsTop, (i) => i.mostSharedProblems), description: 'The 10 problems most councils share, most first' }),
    adoptionsByMonth: t.field({ type: [MonthCountRef], ...list(LIST_CAPS.insightsMonths, (i) => i.adoptionsByMonth), description: 'Adoptions that reached ADOPTED, by month, for the last 24 months' }),
    adoptionFlows: t.field({ type: [AdoptionFlowRef], ...list(LIST_CAPS.insightsTop, (i) => i.adoptionFlows), description: 'The 20 largest flows of adoptions from one council to another, most first' }),
    caseStudyOutcomes: t.field({ type: [OutcomeCountRef], ...list(LIST_CAPS.insightsRows, (i) => i.caseStudyOutcomes), description: 'Case studies by service area and outcome; pairs with none are left out' }),
    activityByMonth: t.field({ type: [MonthActivityRef], ...list(LIST_CAPS.insightsMonths, (i) => i.activityByMonth), description: 'The last 24 months, oldest first' }),
  }),
});

builder.queryField('insights', (t) => t.field({
  type: InsightsRef,
  description: 'Demand by service area and region, how solutions spread, case study outcomes and activity over time',
  resolve: (_, __, ctx) => ctx.services.insights.figures(),
}));
