import type { Services } from '../server/services.js';
import type { ItemDates } from './dates.js';
import type { EditorOf } from './editors.js';
import type { SeedCaseStudy } from './case-studies.js';
import type { SeedComment } from './comments.js';
import { lookup } from './load-solutions.js';
import type { TimedStep } from './timeline.js';

/** The steps that create and publish each case study with its links, and add the comments, each at its planned date. */
export function caseStudyAndCommentSteps(seed: { caseStudies: readonly SeedCaseStudy[]; comments: readonly SeedComment[] }, deps: {
  services: Pick<Services, 'caseStudies' | 'comments'>;
  editorOf: EditorOf;
  problemIds: ReadonlyMap<string, string>;
  solutionIds: ReadonlyMap<string, string>;
  dates: { caseStudies: ReadonlyMap<string, ItemDates>; comments: readonly number[] };
}) {
  const { services, editorOf } = deps;
  const caseStudyIds = new Map<string, string>();
  const steps: TimedStep[] = [];
  for (const c of seed.caseStudies) {
    const dates = deps.dates.caseStudies.get(c.key)!;
    let version = 0;
    steps.push({ at: dates.created, run: async () => {
      const draft = await services.caseStudies.create(await editorOf(c.council), {
        title: c.title, summary: c.summary, body: c.body, serviceArea: c.serviceArea, tags: c.tags,
        outcome: c.outcome, lessons: c.lessons, costPounds: c.costPounds ?? null,
        savingsClaimedPounds: c.savingsClaimedPounds ?? null, evidenceUrl: c.evidenceUrl,
        solutionIds: c.solutions.map((key) => lookup(deps.solutionIds, key, 'solution')),
        problemIds: c.problems.map((key) => lookup(deps.problemIds, key, 'problem')),
      });
      caseStudyIds.set(c.key, draft.id);
      version = draft.version;
    } });
    steps.push({ at: dates.published, run: async () => services.caseStudies.publish(await editorOf(c.council), caseStudyIds.get(c.key)!, version) });
  }

  seed.comments.forEach((comment, i) => {
    steps.push({ at: deps.dates.comments[i]!, run: async () => {
      const on = comment.on;
      const [subjectType, subjectId] = 'problem' in on ? ['problem', lookup(deps.problemIds, on.problem, 'problem')] as const
        : 'solution' in on ? ['solution', lookup(deps.solutionIds, on.solution, 'solution')] as const
          : ['case_study', lookup(caseStudyIds, on.caseStudy, 'case study')] as const;
      await services.comments.add(await editorOf(comment.council), subjectType, subjectId, comment.body);
    } });
  });
  return { steps, caseStudies: seed.caseStudies.length, comments: seed.comments.length };
}
