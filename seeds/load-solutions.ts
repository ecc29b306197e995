import type { Services } from '../server/services.js';
import type { SolutionDates } from './dates.js';
import type { EditorOf } from './editors.js';
import type { SeedSolution } from './solutions.js';
import type { TimedStep } from './timeline.js';

export interface LoadedSolutions {
  /** Solution id by seed key, filled as the steps run, for the case studies and comments that refer to them. */
  readonly ids: Map<string, string>;
  readonly problemLinks: number;
  readonly adoptions: number;
  readonly steps: TimedStep[];
}

/**
 * The steps that create each solution with its partners, publish it and link it to the
 * problems it addresses, then record other councils' adoptions, all through the solution
 * service, each at its planned date.
 */
export function solutionSteps(solutions: readonly SeedSolution[], deps: {
  services: Pick<Services, 'solutions'>;
  editorOf: EditorOf;
  councilIds: ReadonlyMap<string, string>;
  problemIds: ReadonlyMap<string, string>;
  dates: ReadonlyMap<string, SolutionDates>;
}): LoadedSolutions {
  const { services, editorOf } = deps;
  const ids = new Map<string, string>();
  const steps: TimedStep[] = [];
  let problemLinks = 0;
  let adoptions = 0;
  for (const s of solutions) {
    const dates = deps.dates.get(s.key)!;
    let version = 0;
    steps.push({ at: dates.created, run: async () => {
      const draft = await services.solutions.create(await editorOf(s.council), {
        title: s.title, summary: s.summary, body: s.body, serviceArea: s.serviceArea, tags: s.tags,
        kind: s.kind, phase: s.phase, licence: s.licence ?? null, url: s.url ?? null, costBand: s.costBand,
        sourceUrl: s.sourceUrl ?? null,
        partnerIds: (s.partners ?? []).map((slug) => lookup(deps.councilIds, slug, 'council')),
      });
      ids.set(s.key, draft.id);
      version = draft.version;
    } });
    // Adoptions need a published solution, and links made after publishing are public news.
    problemLinks += s.problems.length;
    steps.push({ at: dates.published, run: async () => {
      const owner = await editorOf(s.council);
      await services.solutions.publish(owner, ids.get(s.key)!, version);
      for (const key of s.problems) await services.solutions.linkSolutionToProblem(owner, ids.get(s.key)!, lookup(deps.problemIds, key, 'problem'));
    } });
    (s.adoptions ?? []).forEach((a, j) => {
      adoptions++;
      steps.push({ at: dates.adoptions[j]!, run: async () =>
        services.solutions.recordAdoption(await editorOf(a.council), ids.get(s.key)!, a.stage, a.note ?? null) });
    });
  }
  return { ids, problemLinks, adoptions, steps };
}

export function lookup(ids: ReadonlyMap<string, string>, key: string, what: string): string {
  const id = ids.get(key);
  if (!id) throw new Error(`seed data names an unknown ${what}: ${key}`);
  return id;
}
