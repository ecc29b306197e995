import { COUNCIL_KINDS, NATIONS_AND_REGIONS, type CouncilKind } from './councils.js';
import type { InputChecker } from './input-checker.js';

// Deliberately plain: a dot-atom local part and a dotted domain of LDH labels. Anything
// odder (quoted local parts, IP literals) is legal but not an address council staff use.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** ONS GSS codes for local authorities: a nation letter (England, Northern Ireland, Scotland, Wales) and eight digits. */
const GSS_CODE = /^[ENSW]\d{8}$/;

export const ADMIN_LIMITS = { email: 254, slug: 60, label: 100 } as const;

/** Addresses are stored lower-case, so uniqueness ignores case. */
export function checkEmail(check: InputChecker, field: string, value: string | null | undefined, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) check.fail(field, 'is required');
    return undefined;
  }
  const email = value.trim().toLowerCase();
  if (email.length > ADMIN_LIMITS.email) return check.fail(field, `must be at most ${ADMIN_LIMITS.email} characters`), undefined;
  if (!EMAIL.test(email)) return check.fail(field, 'must be an email address such as jo.bloggs@example.gov.uk'), undefined;
  return email;
}

export function checkSlug(check: InputChecker, field: string, value: string | null | undefined, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) check.fail(field, 'is required');
    return undefined;
  }
  const slug = value.trim();
  if (slug.length < 2 || slug.length > ADMIN_LIMITS.slug || !SLUG.test(slug)) {
    return check.fail(field, `must be 2 to ${ADMIN_LIMITS.slug} lower-case letters and digits in words joined by hyphens, e.g. north-somerset`), undefined;
  }
  return slug;
}

/** `null` clears the code (a council without one, such as a combined authority in waiting). */
export function checkGssCode(check: InputChecker, field: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const code = value.trim().toUpperCase();
  if (!GSS_CODE.test(code)) return check.fail(field, 'must be an ONS GSS code: E, N, S or W and eight digits, e.g. E06000023'), undefined;
  return code;
}

export function checkCouncilKind(check: InputChecker, field: string, value: string | null | undefined, required: boolean): CouncilKind | undefined {
  return check.oneOf(field, value, COUNCIL_KINDS, required);
}

export function checkRegion(check: InputChecker, field: string, value: string | null | undefined, required: boolean): string | undefined {
  return check.oneOf(field, value?.trim(), NATIONS_AND_REGIONS, required);
}
