/**
 * The constraint a statement broke when it was a unique violation (SQLSTATE 23505), else
 * undefined. Both pg and PGlite report `code` and `constraint` on their errors. Services
 * check uniqueness first for a clear message; this catches the race between two writers.
 */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && typeof constraint === 'string' ? constraint : undefined;
}
