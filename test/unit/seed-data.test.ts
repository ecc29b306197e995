import { describe, expect, it } from 'vitest';
import { COUNCIL_KINDS, NATIONS_AND_REGIONS } from '../../server/domain/councils.js';
import { checkCommonInput } from '../../server/domain/content.js';
import { InputChecker, LIMITS } from '../../server/domain/input-checker.js';
import { COUNCILS } from '../../seeds/councils.js';
import { PROBLEMS } from '../../seeds/problems.js';
import { SOLUTIONS } from '../../seeds/solutions.js';
import { SOLUTION_KINDS, SOLUTION_PHASES } from '../../server/domain/solution-input.js';
import { CASE_STUDIES } from '../../seeds/case-studies.js';
import { CASE_STUDY_OUTCOMES } from '../../server/domain/case-studies.js';
import { COMMENTS } from '../../seeds/comments.js';

const slugs = new Set(COUNCILS.map((c) => c.slug));
const problemKeys = new Set(PROBLEMS.map((p) => p.key));
const solutionKeys = new Set(SOLUTIONS.map((s) => s.key));
const caseStudyKeys = new Set(CASE_STUDIES.map((c) => c.key));
const CONTENT = [...PROBLEMS, ...SOLUTIONS, ...CASE_STUDIES];

// ONS GSS entity codes: E06 unitary, E07 non-metropolitan district, E08 metropolitan
// district, E09 London borough (and the City), E10 county, E47 combined authority; S12, W06
// and N09 are the council areas of Scotland, Wales and Northern Ireland.
function expectedGssPrefix(kind: string, region: string): RegExp {
  if (region === 'Scotland') return /^S12$/;
  if (region === 'Wales') return /^W06$/;
  if (region === 'Northern Ireland') return /^N09$/;
  return ({
    unitary: /^E06$/, district: /^E07$/, metropolitan_district: /^E08$/, london_borough: /^E09$/,
    county: /^E10$/, combined_authority: /^E47$/, other: /^E0[69]$/,
  } as Record<string, RegExp>)[kind]!;
}

const duplicates = (values: readonly string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe('seed councils', () => {
  it('has at least 45 councils of every kind, in every English region and nation', () => {
    expect(COUNCILS.length).toBeGreaterThanOrEqual(45);
    expect(new Set(COUNCILS.map((c) => c.kind))).toEqual(new Set(COUNCIL_KINDS));
    expect(new Set(COUNCILS.map((c) => c.region))).toEqual(new Set(NATIONS_AND_REGIONS));
  });

  it('keeps the slugs the rest of the project already uses', () => {
    for (const slug of ['bristol', 'leeds', 'kent', 'hackney']) expect(slugs).toContain(slug);
  });

  it('has unique slugs, names and GSS codes whose entity type matches the kind and nation', () => {
    expect(duplicates(COUNCILS.map((c) => c.slug))).toEqual([]);
    expect(duplicates(COUNCILS.map((c) => c.name))).toEqual([]);
    const real = COUNCILS.filter((c) => !c.fictional);
    expect(duplicates(real.map((c) => c.gssCode!))).toEqual([]);
    for (const c of real) {
      expect(c.gssCode, c.slug).toMatch(/^[ESWN]\d{8}$/);
      expect(c.gssCode!.slice(0, 3), `${c.slug} ${c.gssCode}`).toMatch(expectedGssPrefix(c.kind, c.region));
      expect(c.website, c.slug).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+$/);
    }
    for (const c of COUNCILS) expect(c.slug, c.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('names a fictional council as fictional, with no GSS code or website that could be mistaken for a real one', () => {
    const fictional = COUNCILS.filter((c) => c.fictional);
    expect(fictional.length).toBeGreaterThan(0);
    for (const c of fictional) {
      expect(c.name, c.slug).toMatch(/\(fictional\)$/);
      expect({ gssCode: c.gssCode, website: c.website }, c.slug).toEqual({ gssCode: null, website: null });
    }
    for (const c of COUNCILS.filter((c) => !c.fictional)) expect(c.name, c.slug).not.toMatch(/fictional/i);
  });
});

describe('seed content', () => {
  it('has at least 40 problems, 25 solutions and 20 case studies, 85 in all', () => {
    expect(PROBLEMS.length).toBeGreaterThanOrEqual(40);
    expect(SOLUTIONS.length).toBeGreaterThanOrEqual(25);
    expect(CASE_STUDIES.length).toBeGreaterThanOrEqual(20);
    expect(CONTENT.length).toBeGreaterThanOrEqual(85);
  });

  it('keeps the two original problems', () => {
    expect(PROBLEMS.find((p) => p.key === 'housing-repairs-channels')?.council).toBe('bristol');
    expect(PROBLEMS.find((p) => p.key === 'send-transport-routes')?.council).toBe('kent');
  });

  it('passes the same input checks as the GraphQL API, item by item', () => {
    for (const item of CONTENT) {
      const check = new InputChecker();
      checkCommonInput(check, item, true);
      if ('url' in item) check.url('url', item.url);
      if ('evidenceUrl' in item) check.url('evidenceUrl', item.evidenceUrl);
      expect(() => check.check(), item.key).not.toThrow();
    }
  });

  it('has unique keys and titles', () => {
    expect(duplicates(PROBLEMS.map((p) => p.key))).toEqual([]);
    expect(duplicates(SOLUTIONS.map((s) => s.key))).toEqual([]);
    expect(duplicates(CASE_STUDIES.map((c) => c.key))).toEqual([]);
    expect(duplicates(CONTENT.map((i) => i.title))).toEqual([]);
  });

  it('covers every solution kind and phase, and owns up to failures', () => {
    expect(new Set(SOLUTIONS.map((s) => s.kind))).toEqual(new Set(SOLUTION_KINDS));
    expect(new Set(SOLUTIONS.map((s) => s.phase))).toEqual(new Set(SOLUTION_PHASES));
    expect(CASE_STUDIES.filter((c) => c.outcome === 'did_not_work').length).toBeGreaterThanOrEqual(3);
    expect(new Set(CASE_STUDIES.map((c) => c.outcome))).toEqual(new Set(CASE_STUDY_OUTCOMES));
  });
});

describe('seed references', () => {
  it('names only seeded councils, and never has a council support, partner or adopt its own work', () => {
    for (const p of PROBLEMS) {
      expect(slugs, p.key).toContain(p.council);
      const supporters = (p.supporters ?? []).map((s) => s.council);
      expect(duplicates(supporters), p.key).toEqual([]);
      for (const s of p.supporters ?? []) {
        expect(slugs, `${p.key} supporter`).toContain(s.council);
        expect(s.council, `${p.key} is supported by its owner`).not.toBe(p.council);
        expect((s.note ?? '').length).toBeLessThanOrEqual(LIMITS.note);
      }
      expect(p.supporters?.length ?? 0, `${p.key} has no supporters`).toBeGreaterThan(0);
    }
    for (const s of SOLUTIONS) {
      expect(slugs, s.key).toContain(s.council);
      for (const partner of s.partners ?? []) {
        expect(slugs, `${s.key} partner`).toContain(partner);
        expect(partner, `${s.key} partners its owner`).not.toBe(s.council);
      }
      const adopters = (s.adoptions ?? []).map((a) => a.council);
      expect(duplicates(adopters), s.key).toEqual([]);
      for (const adopter of adopters) {
        expect(slugs, `${s.key} adopter`).toContain(adopter);
        expect(adopter, `${s.key} is adopted by its owner`).not.toBe(s.council);
      }
    }
    for (const c of CASE_STUDIES) expect(slugs, c.key).toContain(c.council);
    for (const c of COMMENTS) expect(slugs, c.body).toContain(c.council);
  });

  it('links solutions, case studies and comments only to seeded problems, solutions and case studies', () => {
    for (const s of SOLUTIONS) {
      expect(s.problems.length, s.key).toBeGreaterThan(0);
      for (const key of s.problems) expect(problemKeys, s.key).toContain(key);
    }
    for (const c of CASE_STUDIES) {
      expect(c.solutions.length + c.problems.length, c.key).toBeGreaterThan(0);
      for (const key of c.solutions) expect(solutionKeys, c.key).toContain(key);
      for (const key of c.problems) expect(problemKeys, c.key).toContain(key);
    }
    for (const c of COMMENTS) {
      const on = c.on;
      if ('problem' in on) expect(problemKeys).toContain(on.problem);
      else if ('solution' in on) expect(solutionKeys).toContain(on.solution);
      else expect(caseStudyKeys).toContain(on.caseStudy);
      expect(c.body.length).toBeLessThanOrEqual(LIMITS.comment);
    }
  });
});
