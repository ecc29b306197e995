import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { createRinger } from './ringer.js';
import type { EventSignal } from './signal.js';

export const EVENT_CHANNEL = 'cc_outbox';

export interface PostgresSignalOptions {
  /** Settings for the dedicated LISTEN connection (the pool's connections come and go). */
  readonly clientConfig: pg.ClientConfig;
  /** The pool NOTIFY goes through. */
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  readonly channel?: string;
  /** First reconnect delay, doubled up to `maxBackoffMs`. @default 100 */
  readonly minBackoffMs?: number;
  /** @default 5000 */
  readonly maxBackoffMs?: number;
}

export interface PostgresSignal extends EventSignal {
  /** Resolves once the LISTEN connection is up (again); tests wait on it. */
  listening(): Promise<void>;
}

/**
 * The doorbell across processes: NOTIFY after commit, LISTEN on one dedicated connection.
 *
 * NOTIFY is sent through the pool after the writing transaction has committed, never inside
 * it: a transaction that notifies takes a database-wide lock at commit, which would make
 * every writer wait on every other. Rings are coalesced, so a burst of commits costs one
 * NOTIFY in flight plus one queued behind it, not one per commit.
 *
 * The LISTEN connection reconnects with back-off when it drops (a database restart); on
 * reconnecting it rings once, since notifications sent meanwhile are gone. The tail's slow
 * poll covers whatever else is lost.
 */
export function createPostgresSignal(options: PostgresSignalOptions): PostgresSignal {
  const { db, logger } = options;
  const channel = options.channel ?? EVENT_CHANNEL;
  const minBackoffMs = options.minBackoffMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const listeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let backoffMs = minBackoffMs;
  let retryTimer: NodeJS.Timeout | undefined;
  let up = deferred();
  let isUp = false;

  const ringListeners = () => { for (const listener of listeners) listener(); };
  // This process rings its own listeners when it commits; its NOTIFY coming back through
  // LISTEN would only make them read the outbox again for nothing. So each NOTIFY says which
  // signal sent it (a name, never event data) and a signal ignores its own.
  const origin = randomUUID();
  const sendNotify = createRinger(async () => {
    await sql`select pg_notify(${channel}, ${origin})`.execute(db);
  }, (error) => logger.warn('could not send the outbox NOTIFY; other processes will poll', { error }));

  async function connect(): Promise<void> {
    if (closed) return;
    // Keep-alive finds a half-open connection (the server vanished without a FIN); the
    // connect timeout stops one attempt from hanging while the database is unreachable.
    const next = new pg.Client({
      ...options.clientConfig, application_name: 'cc-event-signal',
      keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 5_000,
    });
    let failed = false;
    const lost = (error?: unknown) => {
      if (failed) return;
      failed = true;
      if (client === next) client = undefined;
      next.end().catch(() => {});
      if (closed) return;
      if (isUp) { isUp = false; up = deferred(); }
      logger.warn('the event LISTEN connection dropped; reconnecting', { error, inMs: backoffMs });
      schedule();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => { if (message.channel === channel && message.payload !== origin) ringListeners(); });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (closed) { await next.end().catch(() => {}); return; }
    client = next;
    backoffMs = minBackoffMs;
    isUp = true;
    up.resolve();
    // Whatever was notified while we were away is lost: let readers look.
    ringListeners();
  }

  function schedule(): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => { void connect(); }, backoffMs);
    retryTimer.unref();
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  }

  void connect();

  return {
    notify() {
      // This process hears at once; the others when the NOTIFY arrives.
      ringListeners();
      sendNotify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    listening: () => up.promise,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      listeners.clear();
      await sendNotify.idle();
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}
