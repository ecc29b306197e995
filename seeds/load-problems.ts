import type { Services } from '../server/services.js';
import type { EditorOf } from './editors.js';
import type { SeedProblem } from './problems.js';

export interface LoadedProblems {
  /** Problem id by seed key, for the solutions and case studies that link to them. */
  readonly ids: Map<string, string>;
  readonly supporters: number;
}

/** Creates, publishes and moves each problem on through the problem service, then adds its supporters. */
export async function loadProblems(problems: readonly SeedProblem[], deps: { services: Pick<Services, 'problems'>; editorOf: EditorOf }): Promise<LoadedProblems> {
  const { services, editorOf } = deps;
  const ids = new Map<string, string>();
  let supporters = 0;
  for (const seed of problems) {
    const viewer = await editorOf(seed.council);
    const draft = await services.problems.create(viewer, {
      title: seed.title, summary: seed.summary, body: seed.body, serviceArea: seed.serviceArea, tags: seed.tags,
    });
    const published = await services.problems.publish(viewer, draft.id, draft.version);
    if (seed.status) {
      await services.problems.update(viewer, { id: published.id, version: published.version, status: seed.status });
    }
    for (const supporter of seed.supporters ?? []) {
      await services.problems.support(await editorOf(supporter.council), published.id, supporter.note);
      supporters++;
    }
    ids.set(seed.key, published.id);
  }
  return { ids, supporters };
}
