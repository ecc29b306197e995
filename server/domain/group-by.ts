/** Groups batch-read rows by key, one (possibly empty) group per requested key, in key order. */
export function groupBy<T>(keys: readonly string[], rows: readonly { key: string; value: T }[]): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const { key, value } of rows) groups.get(key)?.push(value);
  return keys.map((k) => groups.get(k)!);
}
