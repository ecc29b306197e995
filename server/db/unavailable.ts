// Socket errors while connecting or mid-query, and PostgreSQL's SQLSTATEs for a server that
// is shutting down, starting up, or has dropped the connection (classes 08 and 57P).
const CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300',
]);
// node-postgres reports a connection lost mid-query by message only.
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Connection is closed/i;

/**
 * True when an error means "the database cannot be reached right now", as opposed to a bug
 * or a bad statement: such a request may succeed if retried once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, hops = 0; e instanceof Error && hops < 5; e = e.cause, hops++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODES.has(code)) return true;
    if (MESSAGES.test(e.message)) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}
