import type { Services } from '../server/services.js';
import type { EditorOf } from './editors.js';
import type { SeedCaseStudy } from './case-studies.js';
import type { SeedComment } from './comments.js';
import { lookup } from './load-solutions.js';

/** Creates and publishes each case study with its links, then adds the comments. */
export async function loadCaseStudiesAndComments(seed: { caseStudies: readonly SeedCaseStudy[]; comments: readonly SeedComment[] }, deps: {
  services: Pick<Services, 'caseStudies' | 'comments'>;
  editorOf: EditorOf;
  problemIds: ReadonlyMap<string, string>;
  solutionIds: ReadonlyMap<string, string>;
}) {
  const { services, editorOf } = deps;
  const caseStudyIds = new Map<string, string>();
  for (const c of seed.caseStudies) {
    const owner = await editorOf(c.council);
    const draft = await services.caseStudies.create(owner, {
      title: c.title, summary: c.summary, body: c.body, serviceArea: c.serviceArea, tags: c.tags,
      outcome: c.outcome, lessons: c.lessons, costPounds: c.costPounds ?? null,
      savingsClaimedPounds: c.savingsClaimedPounds ?? null, evidenceUrl: c.evidenceUrl ?? null,
      solutionIds: c.solutions.map((key) => lookup(deps.solutionIds, key, 'solution')),
      problemIds: c.problems.map((key) => lookup(deps.problemIds, key, 'problem')),
    });
    await services.caseStudies.publish(owner, draft.id, draft.version);
    caseStudyIds.set(c.key, draft.id);
  }

  for (const comment of seed.comments) {
    const on = comment.on;
    const [subjectType, subjectId] = 'problem' in on ? ['problem', lookup(deps.problemIds, on.problem, 'problem')] as const
      : 'solution' in on ? ['solution', lookup(deps.solutionIds, on.solution, 'solution')] as const
        : ['case_study', lookup(caseStudyIds, on.caseStudy, 'case study')] as const;
    await services.comments.add(await editorOf(comment.council), subjectType, subjectId, comment.body);
  }
  return { caseStudies: caseStudyIds.size, comments: seed.comments.length };
}
