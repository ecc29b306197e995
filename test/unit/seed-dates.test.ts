import { describe, expect, it } from 'vitest';
import { CASE_STUDIES } from '../../seeds/case-studies.js';
import { COMMENTS } from '../../seeds/comments.js';
import { planSeedDates } from '../../seeds/dates.js';
import { PROBLEMS } from '../../seeds/problems.js';
import { SOLUTIONS } from '../../seeds/solutions.js';
import { SEED_ANCHOR, SEED_START } from '../../seeds/timeline.js';

const dates = planSeedDates({ problems: PROBLEMS, solutions: SOLUTIONS, caseStudies: CASE_STUDIES, comments: COMMENTS });
const iso = (t: number) => new Date(t).toISOString();

/** `later` strictly after each of `earlier`, as ISO strings so a failure names the dates. */
function expectAfter(what: string, later: number, ...earlier: number[]) {
  for (const e of earlier) expect(later > e, `${what}: ${iso(later)} is not after ${iso(e)}`).toBe(true);
}

describe('seed dates', () => {
  it('are fixed in the past: after the councils joined, never after the anchor, and the anchor is not in the future', () => {
    expect(SEED_ANCHOR).toBeLessThanOrEqual(Date.now());
    const all = [
      ...[...dates.problems.values()].flatMap((p) => [p.created, p.published, p.statusChanged, ...p.supporters]),
      ...[...dates.solutions.values()].flatMap((s) => [s.created, s.published, ...s.adoptions]),
      ...[...dates.caseStudies.values()].flatMap((c) => [c.created, c.published]),
      ...dates.comments,
    ];
    for (const t of all) {
      expect(t > SEED_START && t <= SEED_ANCHOR, iso(t)).toBe(true);
    }
    expect(planSeedDates({ problems: PROBLEMS, solutions: SOLUTIONS, caseStudies: CASE_STUDIES, comments: COMMENTS })).toEqual(dates);
  });

  it('put every response after what it responds to', () => {
    for (const p of PROBLEMS) {
      const d = dates.problems.get(p.key)!;
      expectAfter(`${p.key} published`, d.published, d.created);
      expectAfter(`${p.key} status`, d.statusChanged, d.published);
      d.supporters.forEach((t, j) => expectAfter(`${p.key} supporter ${j}`, t, d.published));
    }
    for (const s of SOLUTIONS) {
      const d = dates.solutions.get(s.key)!;
      expectAfter(`${s.key} created`, d.created, ...s.problems.map((k) => dates.problems.get(k)!.published));
      expectAfter(`${s.key} published`, d.published, d.created);
      d.adoptions.forEach((t, j) => expectAfter(`${s.key} adoption ${j}`, t, d.published));
    }
    for (const c of CASE_STUDIES) {
      const d = dates.caseStudies.get(c.key)!;
      expectAfter(`${c.key} created`, d.created,
        ...c.solutions.map((k) => dates.solutions.get(k)!.published), ...c.problems.map((k) => dates.problems.get(k)!.published));
      expectAfter(`${c.key} published`, d.published, d.created);
    }
    COMMENTS.forEach((comment, i) => {
      const on = comment.on;
      const subject = 'problem' in on ? dates.problems.get(on.problem) : 'solution' in on ? dates.solutions.get(on.solution) : dates.caseStudies.get(on.caseStudy);
      expectAfter(`comment ${i}`, dates.comments[i]!, subject!.published);
    });
  });

  it('spread over several years, so the newest items are not all from one month', () => {
    const published = [...dates.problems.values(), ...dates.solutions.values(), ...dates.caseStudies.values()].map((d) => d.published);
    expect(new Set(published.map((t) => new Date(t).getUTCFullYear())).size).toBeGreaterThanOrEqual(3);
    const newest = [...published].sort((a, b) => b - a).slice(0, 20);
    expect(new Set(newest.map((t) => iso(t).slice(0, 7))).size).toBeGreaterThanOrEqual(4);
  });
});
