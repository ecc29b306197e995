import type { SeedCaseStudy } from './case-studies.js';
import type { SeedComment } from './comments.js';
import type { SeedProblem } from './problems.js';
import type { SeedSolution } from './solutions.js';
import { later, SEED_ANCHOR, spread } from './timeline.js';

export interface ItemDates { readonly created: number; readonly published: number }
export interface ProblemDates extends ItemDates { readonly statusChanged: number; readonly supporters: readonly number[] }
export interface SolutionDates extends ItemDates { readonly adoptions: readonly number[] }

export interface SeedDates {
  readonly problems: ReadonlyMap<string, ProblemDates>;
  readonly solutions: ReadonlyMap<string, SolutionDates>;
  readonly caseStudies: ReadonlyMap<string, ItemDates>;
  /** By the comment's index in the seed list. */
  readonly comments: readonly number[];
}

const DAY = 86_400_000;
const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 9);

/**
 * When each seeded thing happened: problems spread over 2023 to 2025; a solution after the
 * problems it addresses, a case study after what it is about, supporters, adoptions and
 * comments after what they respond to. Pure and deterministic, so tests can check the order.
 */
export function planSeedDates(seed: {
  problems: readonly SeedProblem[];
  solutions: readonly SeedSolution[];
  caseStudies: readonly SeedCaseStudy[];
  comments: readonly SeedComment[];
}): SeedDates {
  const problems = new Map<string, ProblemDates>();
  seed.problems.forEach((p, i) => {
    const created = spread(i, seed.problems.length, at(2023, 1, 9), at(2025, 9, 30));
    const published = later(created, 1 + (i % 6), i);
    problems.set(p.key, {
      created, published,
      statusChanged: within(published, 35 + (i % 4) * 20, i + 1),
      supporters: (p.supporters ?? []).map((_, j) => within(published, 9 + j * 23 + (i % 5) * 3, i + j)),
    });
  });

  const solutions = new Map<string, SolutionDates>();
  seed.solutions.forEach((s, k) => {
    const after = Math.max(...s.problems.map((key) => problems.get(key)?.published ?? 0));
    const created = Math.max(spread(k, seed.solutions.length, at(2023, 3, 1), at(2025, 11, 28)), later(after, 14 + (k % 20), k));
    const published = later(created, 4 + (k % 5), k);
    solutions.set(s.key, { created, published, adoptions: (s.adoptions ?? []).map((_, j) => within(published, 30 + j * 41 + (k % 6) * 5, k + j)) });
  });

  const caseStudies = new Map<string, ItemDates>();
  seed.caseStudies.forEach((c, n) => {
    const after = Math.max(0, ...c.solutions.map((key) => solutions.get(key)?.published ?? 0),
      ...c.problems.map((key) => problems.get(key)?.published ?? 0));
    const created = Math.max(spread(n, seed.caseStudies.length, at(2023, 9, 4), at(2026, 6, 30)), later(after, 90 + (n % 6) * 15, n));
    caseStudies.set(c.key, { created, published: later(created, 3 + (n % 4), n) });
  });

  const comments = seed.comments.map((comment, idx) => {
    const on = comment.on;
    const subject = 'problem' in on ? problems.get(on.problem) : 'solution' in on ? solutions.get(on.solution) : caseStudies.get(on.caseStudy);
    return within(subject?.published ?? at(2023, 1, 9), 15 + ((idx * 37) % 200), idx);
  });
  return { problems, solutions, caseStudies, comments };
}

/** `days` after `from`, but never later than the day before the anchor. */
function within(from: number, days: number, salt: number): number {
  return later(from, Math.max(1, Math.min(days, Math.floor((SEED_ANCHOR - from) / DAY) - 1)), salt);
}
