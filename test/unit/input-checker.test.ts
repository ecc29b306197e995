import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldProblem } from '../../server/kernel/errors.js';
import { InputChecker, LIMITS } from '../../server/domain/input-checker.js';

/** The value a check returns and the problems (field and message) a client is shown. */
function outcome<T>(run: (check: InputChecker) => T): { value: T; problems: readonly FieldProblem[] } {
  const check = new InputChecker();
  const value = run(check);
  try {
    check.check();
    return { value, problems: [] };
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { value, problems: (error as ValidationError).fields };
  }
}

// The examples at each edge of each check, with the message a client reads: the property
// tests (input-checker.property.test.ts) cover the space between, and name only fields.
describe('InputChecker at its edges, with the message a client reads', () => {
  it('text: says why a value is refused', () => {
    const cases: [string | null, { required?: boolean; multiline?: boolean }, string][] = [
      [null, { required: true }, 'is required'],
      ['   ', { required: true }, 'must not be empty'],
      ['abcdef', {}, 'must be at most 5 characters (got 6)'],
      ['a\u0007b', {}, 'must not contain control characters'],
      ['a\nb', {}, 'must be a single line'],
    ];
    for (const [raw, opts, message] of cases) {
      expect(outcome((c) => c.text('title', raw, 5, opts))).toEqual({ value: undefined, problems: [{ field: 'title', message }] });
    }
    expect(outcome((c) => c.text('title', ' abcde ', 5))).toEqual({ value: 'abcde', problems: [] });
    expect(outcome((c) => c.text('title', null, 5))).toEqual({ value: undefined, problems: [] });
  });

  it('serviceArea: absent is a problem only when required, and an unknown code is named', () => {
    expect(outcome((c) => c.serviceArea('serviceArea', null, true)).problems).toEqual([{ field: 'serviceArea', message: 'is required' }]);
    expect(outcome((c) => c.serviceArea('serviceArea', undefined, true)).problems).toEqual([{ field: 'serviceArea', message: 'is required' }]);
    expect(outcome((c) => c.serviceArea('serviceArea', null, false))).toEqual({ value: undefined, problems: [] });
    expect(outcome((c) => c.serviceArea('serviceArea', 'bins', false)).problems).toEqual([{ field: 'serviceArea', message: 'is not a known service area: bins' }]);
    expect(outcome((c) => c.serviceArea('serviceArea', 'waste', true))).toEqual({ value: 'waste', problems: [] });
  });

  it('oneOf: absent is a problem only when required, and a refusal lists what is allowed', () => {
    const allowed = ['open', 'solved'] as const;
    for (const raw of [null, undefined]) {
      expect(outcome((c) => c.oneOf('status', raw, allowed, true)).problems).toEqual([{ field: 'status', message: 'is required' }]);
      expect(outcome((c) => c.oneOf('status', raw, allowed, false))).toEqual({ value: undefined, problems: [] });
    }
    expect(outcome((c) => c.oneOf('status', 'closed', allowed, false)).problems).toEqual([{ field: 'status', message: 'must be one of open, solved' }]);
    expect(outcome((c) => c.oneOf('status', 'solved', allowed, true))).toEqual({ value: 'solved', problems: [] });
  });

  it('tags: exactly 20 pass, 21 are refused as a whole; spaces collapse; absent stays absent', () => {
    const twenty = Array.from({ length: LIMITS.tags }, (_, i) => `tag ${i}`);
    expect(outcome((c) => c.tags('tags', twenty))).toEqual({ value: twenty, problems: [] });
    expect(outcome((c) => c.tags('tags', [...twenty, 'one more']))).toEqual({ value: undefined, problems: [{ field: 'tags', message: 'must have at most 20 tags' }] });
    expect(outcome((c) => c.tags('tags', ['  Fly   Tipping ', 'fly tipping', 'Bins']))).toEqual({ value: ['fly tipping', 'bins'], problems: [] });
    expect(outcome((c) => c.tags('tags', ['ok', '!']))).toEqual({
      value: ['ok'], problems: [{ field: 'tags.1', message: 'must be 1 to 50 letters, digits, spaces, hyphens or apostrophes' }],
    });
    expect(outcome((c) => c.tags('tags', null))).toEqual({ value: undefined, problems: [] });
    expect(outcome((c) => c.tags('tags', undefined))).toEqual({ value: undefined, problems: [] });
  });

  it('url: trims, clears on null or blank, keeps exactly the limit, and says why it refuses', () => {
    expect(outcome((c) => c.url('website', undefined))).toEqual({ value: undefined, problems: [] });
    expect(outcome((c) => c.url('website', null))).toEqual({ value: null, problems: [] });
    expect(outcome((c) => c.url('website', '   '))).toEqual({ value: null, problems: [] });
    expect(outcome((c) => c.url('website', ' http://www.example.gov.uk/bins '))).toEqual({ value: 'http://www.example.gov.uk/bins', problems: [] });
    const base = 'https://example.gov.uk/';
    const atLimit = base + 'a'.repeat(LIMITS.url - base.length);
    expect(outcome((c) => c.url('website', atLimit))).toEqual({ value: atLimit, problems: [] });
    // The limit counts the trimmed text.
    expect(outcome((c) => c.url('website', ` ${atLimit} `))).toEqual({ value: atLimit, problems: [] });
    expect(outcome((c) => c.url('website', `${atLimit}a`)).problems).toEqual([{ field: 'website', message: 'must be at most 2000 characters' }]);
    for (const raw of ['ftp://files.example.gov.uk/a', 'not a url']) {
      expect(outcome((c) => c.url('website', raw)).problems).toEqual([{ field: 'website', message: 'must be an http or https URL' }]);
    }
  });

  it('wholeNumber: both ends of the range pass, one past either fails with the range named, absent passes through', () => {
    expect(outcome((c) => c.wholeNumber('cost', 0, 0, 10))).toEqual({ value: 0, problems: [] });
    expect(outcome((c) => c.wholeNumber('cost', 10, 0, 10))).toEqual({ value: 10, problems: [] });
    for (const n of [-1, 11, 2.5]) {
      expect(outcome((c) => c.wholeNumber('cost', n, 0, 10))).toEqual({ value: undefined, problems: [{ field: 'cost', message: 'must be a whole number from 0 to 10' }] });
    }
    expect(outcome((c) => c.wholeNumber('cost', null, 0, 10))).toEqual({ value: null, problems: [] });
    expect(outcome((c) => c.wholeNumber('cost', undefined, 0, 10))).toEqual({ value: undefined, problems: [] });
  });
});
