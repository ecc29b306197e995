/** For references the database guarantees (foreign keys): a miss is a bug, not a client error. */
export function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('a referenced row is missing');
  return value;
}

/**
 * For a value the code has already made sure of (a required input after its check passed, a
 * column a listing reads when its field is selected): a miss is a bug, named by `what`.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing: ${what}`);
  return value;
}
