import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../logger.js';
import { EVENT_CHANNEL } from './postgres-signal.js';
import { createRinger } from './ringer.js';
import type { EventSignal } from './signal.js';

/**
 * The embedded doorbell: NOTIFY and LISTEN on PGlite's one connection. PGlite runs plain
 * queries only between transactions (Kysely holds its transaction lock for a whole
 * transaction), so the NOTIFY, like on PostgreSQL, is sent after the writer committed, and
 * rings are coalesced because every statement waits its turn on that one connection.
 */
export async function createPgliteSignal(pglite: PGlite, logger: Logger, channel = EVENT_CHANNEL): Promise<EventSignal> {
  const listeners = new Set<() => void>();
  const unlisten = await pglite.listen(channel, () => { for (const listener of listeners) listener(); });
  const sendNotify = createRinger(async () => {
    await pglite.query('select pg_notify($1, $2)', [channel, '']);
  }, (error) => logger.warn('could not send the outbox NOTIFY; readers will poll', { error }));
  let closed = false;
  return {
    notify() {
      if (!closed) sendNotify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await sendNotify.idle();
      if (!pglite.closed) await unlisten();
    },
  };
}
