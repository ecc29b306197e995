const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Row ids are UUIDs; checking before a query keeps Postgres's cast error away from clients. */
export function isUuid(value: unknown): boolean {
  return typeof value === 'string' && UUID.test(value);
}
