import { ValidationError } from '../server/kernel/errors.js';

/**
 * Checks decoded global IDs name one of the expected types, reporting a wrong one as a typed
 * validation error with its input path (`solutionIds.2`), and returns the database ids.
 */
export function idsOfType(field: string, ids: readonly { typename: string; id: string }[], typename: string): string[];
export function idsOfType(field: string, ids: readonly { typename: string; id: string }[] | null | undefined, typename: string): string[] | undefined;
export function idsOfType(field: string, ids: readonly { typename: string; id: string }[] | null | undefined, typename: string) {
  if (ids === null || ids === undefined) return undefined;
  const wrong = ids.flatMap((g, i) => g.typename === typename ? [] : [{ field: `${field}.${i}`, message: `must be the ID of a ${typename}` }]);
  if (wrong.length > 0) throw new ValidationError(wrong);
  return ids.map((g) => g.id);
}
