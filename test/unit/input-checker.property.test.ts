import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../server/kernel/errors.js';
import { InputChecker, LIMITS } from '../../server/domain/input-checker.js';
import { SERVICE_AREA_CODES } from '../../server/domain/service-areas.js';

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const TAG = /^[a-z0-9][a-z0-9 \-']{0,48}[a-z0-9]$|^[a-z0-9]$/;

// Any code point, lone surrogates, controls, and the whitespace and combining marks that
// normalisation and trimming act on: the strings a hostile or careless client sends.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('a', 'é', 'e\u0301', ' ', '\n', '\r', '\t', '\u0000', '\u001b', '\u0085', '\u00a0', '\ud800', '\u200b', '-', "'"), maxLength: 300 }),
);

function outcome<T>(run: (check: InputChecker) => T): { value: T; problems: string[] } {
  const check = new InputChecker();
  const value = run(check);
  try {
    check.check();
    return { value, problems: [] };
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { value, problems: (error as ValidationError).fields.map((f) => f.field) };
  }
}

describe('InputChecker (property-based)', () => {
  it('text: returns NFC-normalised, trimmed, bounded text without controls, or names the field', () => {
    fc.assert(fc.property(anyText, fc.integer({ min: 1, max: 400 }), fc.boolean(), fc.boolean(), (raw, max, multiline, required) => {
      const { value, problems } = outcome((c) => c.text('title', raw, max, { multiline, required }));
      // Accepted exactly when the cleaned text is acceptable: a checker that refused
      // everything (or anything fine) fails here.
      const cleaned = raw.normalize('NFC').trim();
      const acceptable = !(required && cleaned === '') && cleaned.length <= max && !CONTROL.test(cleaned) && (multiline || !/[\r\n]/.test(cleaned));
      expect(value !== undefined).toBe(acceptable);
      if (value === undefined) {
        expect(problems).toEqual(['title']);
        return;
      }
      expect(problems).toEqual([]);
      expect(value).toBe(raw.normalize('NFC').trim());
      expect(value.length).toBeLessThanOrEqual(max);
      expect(CONTROL.test(value)).toBe(false);
      if (!multiline) expect(/[\r\n]/.test(value)).toBe(false);
      if (required) expect(value).not.toBe('');
      // Cleaning is idempotent: a stored value passes the same check unchanged.
      expect(outcome((c) => c.text('title', value, max, { multiline, required })).value).toBe(value);
    }), { numRuns: 2_000 });
  });

  it('text: absent values are a problem only when required', () => {
    fc.assert(fc.property(fc.constantFrom(null, undefined), fc.boolean(), (raw, required) => {
      const { value, problems } = outcome((c) => c.text('summary', raw, LIMITS.summary, { required }));
      expect(value).toBeUndefined();
      expect(problems).toEqual(required ? ['summary'] : []);
    }));
  });

  it('tags: returns distinct lower-case tags of the allowed shape, at most 20, or names each bad one', () => {
    const tagish = fc.oneof(anyText, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 \-']{0,48}[A-Za-z0-9]$/));
    fc.assert(fc.property(fc.array(tagish, { maxLength: 30 }), (raw) => {
      const { value, problems } = outcome((c) => c.tags('tags', raw));
      if (raw.length > LIMITS.tags) {
        expect(value).toBeUndefined();
        expect(problems).toEqual(['tags']);
        return;
      }
      expect(value!.length).toBeLessThanOrEqual(raw.length);
      expect(new Set(value).size).toBe(value!.length);
      for (const tag of value!) expect(tag).toMatch(TAG);
      for (const field of problems) expect(field).toMatch(/^tags\.\d+$/);
      const bad = raw.filter((t) => !TAG.test(t.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ')));
      expect(problems.length).toBe(bad.length);
    }), { numRuns: 1_000 });
  });

  it('url: keeps only http and https URLs within the length limit', () => {
    const urlish = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), anyText,
      fc.constantFrom('javascript:alert(1)', 'data:text/html,<b>', 'ftp://files.example.gov.uk/a', 'file:///etc/passwd', ' https://ok.gov.uk '));
    fc.assert(fc.property(urlish, (raw) => {
      const { value, problems } = outcome((c) => c.url('website', raw));
      if (value === undefined) {
        expect(problems).toEqual(['website']);
      } else if (value === null) {
        expect(raw.trim()).toBe('');
      } else {
        expect(['http:', 'https:']).toContain(new URL(value).protocol);
        expect(raw.trim().length).toBeLessThanOrEqual(LIMITS.url);
        expect(problems).toEqual([]);
      }
    }), { numRuns: 1_000 });
    const long = `https://example.gov.uk/${'a'.repeat(LIMITS.url)}`;
    expect(outcome((c) => c.url('website', long)).problems).toEqual(['website']);
  });

  it('url: accepts every well-formed http and https URL within the limit', () => {
    fc.assert(fc.property(fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }), (raw) => {
      fc.pre(raw.length <= LIMITS.url);
      const { value, problems } = outcome((c) => c.url('website', raw));
      expect(problems).toEqual([]);
      expect(new URL(value!).href).toBe(new URL(raw).href);
    }), { numRuns: 500 });
    for (const raw of ['http://www.example.gov.uk/bins', 'https://www.example.gov.uk/bins?ward=3#map']) {
      expect(outcome((c) => c.url('website', raw))).toMatchObject({ problems: [] });
    }
  });

  it('wholeNumber, oneOf and serviceArea accept exactly their domain', () => {
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.double()), fc.integer({ min: -1_000, max: 0 }), fc.integer({ min: 0, max: 1_000 }), (n, min, max) => {
      const { value } = outcome((c) => c.wholeNumber('cost', n, min, max));
      expect(value !== undefined).toBe(Number.isInteger(n) && n >= min && n <= max);
    }));
    fc.assert(fc.property(fc.oneof(fc.constantFrom(...SERVICE_AREA_CODES), anyText), (raw) => {
      const { value, problems } = outcome((c) => c.serviceArea('serviceArea', raw, true));
      expect(value !== undefined).toBe((SERVICE_AREA_CODES as readonly string[]).includes(raw));
      expect(problems.length).toBe(value === undefined ? 1 : 0);
      const status = outcome((c) => c.oneOf('status', raw, ['open', 'solved'] as const, false)).value;
      expect(status === undefined || status === 'open' || status === 'solved').toBe(true);
    }));
  });

  it('collects every failing field before failing, never throwing on the way', () => {
    fc.assert(fc.property(anyText, anyText, fc.array(anyText, { maxLength: 25 }), (title, summary, tags) => {
      const check = new InputChecker();
      check.text('title', title, LIMITS.title, { required: true });
      check.text('summary', summary, 5, { required: true, multiline: true });
      check.tags('tags', tags);
      // The same fields, checked one by one, say what the whole check must report.
      const expected = [
        ...outcome((c) => c.text('title', title, LIMITS.title, { required: true })).problems,
        ...outcome((c) => c.text('summary', summary, 5, { required: true, multiline: true })).problems,
        ...outcome((c) => c.tags('tags', tags)).problems,
      ];
      let thrown: unknown;
      try { check.check(); } catch (error) { thrown = error; }
      if (expected.length === 0) {
        expect(thrown).toBeUndefined();
        return;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      const fields = (thrown as ValidationError).fields.map((f) => f.field);
      expect(fields).toEqual(expected);
      expect((thrown as ValidationError).message).toContain(fields[0]!);
    }), { numRuns: 1_000 });
  });
});
