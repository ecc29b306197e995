import { isServiceArea, type ServiceAreaCode } from './service-areas.js';
import { ValidationError, type FieldProblem } from '../kernel/errors.js';

// C0 controls other than tab and newline, DEL and C1 controls: never legitimate in content.
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const TAG = /^[a-z0-9][a-z0-9 \-']{0,48}[a-z0-9]$|^[a-z0-9]$/;

export const LIMITS = {
  title: 200,
  summary: 1_000,
  body: 100_000,
  note: 2_000,
  comment: 10_000,
  tags: 20,
  url: 2_000,
  name: 200,
  /** A report's or a moderator's reason. */
  reason: 1_000,
} as const;

/**
 * Collects every problem with an input before failing, so a client sees all failing fields
 * at once. Each method returns the cleaned value (trimmed, normalised) or undefined.
 */
export class InputChecker {
  private readonly problems: FieldProblem[] = [];

  fail(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  text(field: string, value: string | null | undefined, max: number, opts: { required?: boolean; multiline?: boolean } = {}): string | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.fail(field, 'is required');
      return undefined;
    }
    const cleaned = value.normalize('NFC').trim();
    if (opts.required && cleaned === '') return this.fail(field, 'must not be empty'), undefined;
    if (cleaned.length > max) return this.fail(field, `must be at most ${max} characters (got ${cleaned.length})`), undefined;
    if (CONTROL_CHARS.test(cleaned)) return this.fail(field, 'must not contain control characters'), undefined;
    if (!opts.multiline && /[\r\n]/.test(cleaned)) return this.fail(field, 'must be a single line'), undefined;
    return cleaned;
  }

  serviceArea(field: string, value: string | null | undefined, required: boolean): ServiceAreaCode | undefined {
    if (value === undefined || value === null) {
      if (required) this.fail(field, 'is required');
      return undefined;
    }
    if (!isServiceArea(value)) return this.fail(field, `is not a known service area: ${value}`), undefined;
    return value;
  }

  oneOf<T extends string>(field: string, value: string | null | undefined, allowed: readonly T[], required: boolean): T | undefined {
    if (value === undefined || value === null) {
      if (required) this.fail(field, 'is required');
      return undefined;
    }
    if (!(allowed as readonly string[]).includes(value)) {
      return this.fail(field, `must be one of ${allowed.join(', ')}`), undefined;
    }
    return value as T;
  }

  /** Tags are lower-case words or short phrases, de-duplicated, at most 20. */
  tags(field: string, value: readonly string[] | null | undefined): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (value.length > LIMITS.tags) return this.fail(field, `must have at most ${LIMITS.tags} tags`), undefined;
    const tags = new Set<string>();
    value.forEach((raw, i) => {
      const tag = raw.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
      if (!TAG.test(tag)) this.fail(`${field}.${i}`, 'must be 1 to 50 letters, digits, spaces, hyphens or apostrophes');
      else tags.add(tag);
    });
    return [...tags];
  }

  /** http(s) URLs only; `null` clears the field. */
  url(field: string, value: string | null | undefined): string | null | undefined {
    if (value === undefined) return undefined;
    if (value === null || value.trim() === '') return null;
    const cleaned = value.trim();
    if (cleaned.length > LIMITS.url) return this.fail(field, `must be at most ${LIMITS.url} characters`), undefined;
    try {
      const url = new URL(cleaned);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      return url.toString();
    } catch {
      return this.fail(field, 'must be an http or https URL'), undefined;
    }
  }

  wholeNumber(field: string, value: number | null | undefined, min: number, max: number): number | null | undefined {
    if (value === undefined || value === null) return value;
    if (!Number.isInteger(value) || value < min || value > max) {
      return this.fail(field, `must be a whole number from ${min} to ${max}`), undefined;
    }
    return value;
  }

  /** Throws one ValidationError naming every failing field. */
  check(): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
  }
}
