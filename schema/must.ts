/** For references the database guarantees (foreign keys): a miss is a bug, not a client error. */
export function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('a referenced row is missing');
  return value;
}
