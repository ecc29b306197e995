import type { Services } from '../server/services.js';
import type { ProblemDates } from './dates.js';
import type { EditorOf } from './editors.js';
import type { SeedProblem } from './problems.js';
import type { TimedStep } from './timeline.js';

export interface LoadedProblems {
  /** Problem id by seed key, filled as the steps run, for the solutions and case studies that link to them. */
  readonly ids: Map<string, string>;
  readonly supporters: number;
  readonly steps: TimedStep[];
}

/**
 * The steps that create, publish and move on each problem through the problem service, and
 * add its supporters, each at its planned date.
 */
export function problemSteps(problems: readonly SeedProblem[], deps: {
  services: Pick<Services, 'problems'>;
  editorOf: EditorOf;
  dates: ReadonlyMap<string, ProblemDates>;
}): LoadedProblems {
  const { services, editorOf } = deps;
  const ids = new Map<string, string>();
  const steps: TimedStep[] = [];
  let supporters = 0;
  for (const seed of problems) {
    const dates = deps.dates.get(seed.key)!;
    let version = 0;
    steps.push({ at: dates.created, run: async () => {
      const draft = await services.problems.create(await editorOf(seed.council), {
        title: seed.title, summary: seed.summary, body: seed.body, serviceArea: seed.serviceArea, tags: seed.tags,
        sourceUrl: seed.sourceUrl ?? null,
      });
      ids.set(seed.key, draft.id);
      version = draft.version;
    } });
    steps.push({ at: dates.published, run: async () => {
      version = (await services.problems.publish(await editorOf(seed.council), ids.get(seed.key)!, version)).version;
    } });
    if (seed.status) {
      const status = seed.status;
      steps.push({ at: dates.statusChanged, run: async () => {
        version = (await services.problems.update(await editorOf(seed.council), { id: ids.get(seed.key)!, version, status })).version;
      } });
    }
    (seed.supporters ?? []).forEach((supporter, j) => {
      supporters++;
      steps.push({ at: dates.supporters[j]!, run: async () =>
        services.problems.support(await editorOf(supporter.council), ids.get(seed.key)!, supporter.note) });
    });
  }
  return { ids, supporters, steps };
}
