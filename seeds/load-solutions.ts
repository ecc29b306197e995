import type { Services } from '../server/services.js';
import type { EditorOf } from './editors.js';
import type { SeedSolution } from './solutions.js';

export interface LoadedSolutions {
  /** Solution id by seed key, for the case studies and comments that refer to them. */
  readonly ids: Map<string, string>;
  readonly problemLinks: number;
  readonly adoptions: number;
}

/**
 * Creates and publishes each solution with its partners, links it to the problems it
 * addresses, then records other councils' adoptions, all through the solution service.
 */
export async function loadSolutions(solutions: readonly SeedSolution[], deps: {
  services: Pick<Services, 'solutions'>;
  editorOf: EditorOf;
  councilIds: ReadonlyMap<string, string>;
  problemIds: ReadonlyMap<string, string>;
}): Promise<LoadedSolutions> {
  const { services, editorOf } = deps;
  const ids = new Map<string, string>();
  let problemLinks = 0;
  let adoptions = 0;
  for (const s of solutions) {
    const owner = await editorOf(s.council);
    const draft = await services.solutions.create(owner, {
      title: s.title, summary: s.summary, body: s.body, serviceArea: s.serviceArea, tags: s.tags,
      kind: s.kind, phase: s.phase, licence: s.licence ?? null, url: s.url ?? null, costBand: s.costBand,
      partners: (s.partners ?? []).map((slug) => lookup(deps.councilIds, slug, 'council')),
    });
    // Adoptions need a published solution, and links made after publishing are public news.
    await services.solutions.publish(owner, draft.id, draft.version);
    for (const key of s.problems) {
      await services.solutions.linkSolutionToProblem(owner, draft.id, lookup(deps.problemIds, key, 'problem'));
      problemLinks++;
    }
    for (const a of s.adoptions ?? []) {
      await services.solutions.recordAdoption(await editorOf(a.council), draft.id, a.stage, a.note ?? null);
      adoptions++;
    }
    ids.set(s.key, draft.id);
  }
  return { ids, problemLinks, adoptions };
}

export function lookup(ids: ReadonlyMap<string, string>, key: string, what: string): string {
  const id = ids.get(key);
  if (!id) throw new Error(`seed data names an unknown ${what}: ${key}`);
  return id;
}
