import type { ProblemSupport } from '../server/domain/council-activity.js';
import type { CouncilCounts } from '../server/domain/council-counts.js';
import { builder } from './builder.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef, ProblemRef, SolutionRef } from './refs.js';
import { AdoptionRef } from './solution.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

const ProblemSupportRef = builder.objectRef<ProblemSupport>('ProblemSupport').implement({
  description: 'A council that said "we have this too" about a problem',
  fields: (t) => ({
    council: t.field({ type: CouncilRef, description: 'The supporting council', resolve: (s, _, ctx) => ctx.loaders.council.load(s.councilId).then(must) }),
    note: t.exposeString('note', { nullable: true, description: 'How the problem shows up at that council' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it said so' }),
  }),
});

builder.objectField(ProblemRef, 'supporters', (t) => t.field({
  type: [ProblemSupportRef],
  extensions: listCap(LIST_CAPS.supports),
  description: `Councils that said "we have this too", in the order they joined (the first ${LIST_CAPS.supports})`,
  resolve: (p, _, ctx) => ctx.loaders.problemSupporters.load(p.id),
}));

builder.objectField(AdoptionRef, 'solution', (t) => t.field({
  type: SolutionRef,
  description: 'The solution',
  resolve: (a, _, ctx) => ctx.loaders.solution.load(a.solutionId).then(must),
}));

const CouncilCountsRef = builder.objectRef<CouncilCounts>('CouncilCounts').implement({
  description: 'What a council has on the hub that anyone may see: published, unarchived items only, as the open data counts them',
  fields: (t) => ({
    problems: t.exposeInt('problems', { description: 'Problems it published' }),
    solutions: t.exposeInt('solutions', { description: 'Solutions it published' }),
    caseStudies: t.exposeInt('caseStudies', { description: 'Case studies it published' }),
    supports: t.exposeInt('supports', { description: 'Other councils\' problems it said it has too ("we have this too")' }),
    adopted: t.exposeInt('adopted', { description: 'Solutions it recorded as adopted' }),
  }),
});

builder.objectFields(CouncilRef, (t) => ({
  counts: t.field({
    type: CouncilCountsRef,
    description: 'How many items it published, shares and adopted',
    resolve: (c, _, ctx) => ctx.loaders.councilCounts.load(c.id),
  }),
  supportedProblems: t.field({
    type: [ProblemRef],
    extensions: listCap(LIST_CAPS.supports),
    description: `Published problems this council shares ("we have this too"), most recently joined first (at most ${LIST_CAPS.supports})`,
    resolve: (c, _, ctx) => ctx.loaders.councilSupports.load(c.id),
  }),
  adoptions: t.field({
    type: [AdoptionRef],
    extensions: listCap(LIST_CAPS.adoptions),
    description: `Where this council stands with solutions it considered, piloted, adopted or rejected, most recently changed first (at most ${LIST_CAPS.adoptions})`,
    resolve: (c, _, ctx) => ctx.loaders.councilAdoptions.load(c.id),
  }),
}));
