import type { Viewer } from '../server/auth/viewer.js';
import type { EditorOf } from './editors.js';
import type { SeedSolution } from './solutions.js';
import type { SeedCaseStudy } from './case-studies.js';
import type { SeedComment } from './comments.js';

/**
 * The parts of the solution, case study and comment services the seed needs, as built on
 * the `solutions` and `case-studies` branches. Typed structurally so this module compiles
 * before those services reach main; passing the real services checks that they still fit.
 */
export interface ContentSeedServices {
  solutions: {
    create(viewer: Viewer, input: {
      title: string; summary: string; body: string; serviceArea: string; tags: readonly string[];
      kind: string; phase: string; licence: string | null; url: string | null; costBand: string | null;
      partners: readonly string[];
    }): Promise<{ id: string; version: number }>;
    publish(viewer: Viewer, id: string, version?: number | null): Promise<unknown>;
    recordAdoption(viewer: Viewer, solutionId: string, stage: string, note?: string | null): Promise<unknown>;
    linkSolutionToProblem(viewer: Viewer, solutionId: string, problemId: string): Promise<unknown>;
  };
  caseStudies: {
    create(viewer: Viewer, input: {
      title: string; summary: string; body: string; serviceArea: string; tags: readonly string[];
      outcome: string; lessons: string; costPounds: number | null; savingsClaimedPounds: number | null;
      evidenceUrl: string | null; solutionIds: readonly string[]; problemIds: readonly string[];
    }): Promise<{ id: string; version: number }>;
    publish(viewer: Viewer, id: string, version?: number | null): Promise<unknown>;
  };
  comments: {
    add(viewer: Viewer, subjectType: 'problem' | 'solution' | 'case_study', subjectId: string, body: string): Promise<unknown>;
  };
}

export interface ContentSeed {
  solutions: readonly SeedSolution[];
  caseStudies: readonly SeedCaseStudy[];
  comments: readonly SeedComment[];
}

export interface ContentSeedDeps {
  services: ContentSeedServices;
  editorOf: EditorOf;
  councilIds: ReadonlyMap<string, string>;
  /** Problem id by seed key, from loading the problems. */
  problemIds: ReadonlyMap<string, string>;
}

/** Loads solutions (with links and adoptions), then case studies, then comments, all published. */
export async function loadContent(seed: ContentSeed, deps: ContentSeedDeps) {
  const { services, editorOf } = deps;
  const solutionIds = new Map<string, string>();
  const caseStudyIds = new Map<string, string>();
  let adoptions = 0;
  let links = 0;

  for (const s of seed.solutions) {
    const owner = await editorOf(s.council);
    const created = await services.solutions.create(owner, {
      title: s.title, summary: s.summary, body: s.body, serviceArea: s.serviceArea, tags: s.tags,
      kind: s.kind, phase: s.phase, licence: s.licence ?? null, url: s.url ?? null, costBand: s.costBand,
      partners: (s.partners ?? []).map((slug) => lookup(deps.councilIds, slug, 'council')),
    });
    // Adoptions need a published solution; links made after publishing are public news.
    await services.solutions.publish(owner, created.id, created.version);
    for (const key of s.problems) {
      await services.solutions.linkSolutionToProblem(owner, created.id, lookup(deps.problemIds, key, 'problem'));
      links++;
    }
    for (const a of s.adoptions ?? []) {
      await services.solutions.recordAdoption(await editorOf(a.council), created.id, a.stage, a.note ?? null);
      adoptions++;
    }
    solutionIds.set(s.key, created.id);
  }

  for (const c of seed.caseStudies) {
    const owner = await editorOf(c.council);
    const created = await services.caseStudies.create(owner, {
      title: c.title, summary: c.summary, body: c.body, serviceArea: c.serviceArea, tags: c.tags,
      outcome: c.outcome, lessons: c.lessons, costPounds: c.costPounds ?? null,
      savingsClaimedPounds: c.savingsClaimedPounds ?? null, evidenceUrl: c.evidenceUrl ?? null,
      solutionIds: c.solutions.map((key) => lookup(solutionIds, key, 'solution')),
      problemIds: c.problems.map((key) => lookup(deps.problemIds, key, 'problem')),
    });
    await services.caseStudies.publish(owner, created.id, created.version);
    caseStudyIds.set(c.key, created.id);
  }

  for (const comment of seed.comments) {
    const on = comment.on;
    const [subjectType, subjectId] = 'problem' in on ? ['problem', lookup(deps.problemIds, on.problem, 'problem')] as const
      : 'solution' in on ? ['solution', lookup(solutionIds, on.solution, 'solution')] as const
        : ['case_study', lookup(caseStudyIds, on.caseStudy, 'case study')] as const;
    await services.comments.add(await editorOf(comment.council), subjectType, subjectId, comment.body);
  }

  return {
    solutions: solutionIds.size, solutionProblemLinks: links, adoptions,
    caseStudies: caseStudyIds.size, comments: seed.comments.length,
  };
}

function lookup(ids: ReadonlyMap<string, string>, key: string, what: string): string {
  const id = ids.get(key);
  if (!id) throw new Error(`seed data names an unknown ${what}: ${key}`);
  return id;
}
