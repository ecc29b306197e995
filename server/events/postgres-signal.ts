import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/database.js';
import type { WritesInFlight } from '../db/writes-in-flight.js';
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
  /**
   * Transactions in flight, here and (as this signal hears) in other processes. With it, the
   * signal tells the other processes when this one starts a burst of writes and when it is
   * done, and holds their ring until then, so their tails read a burst in one go too.
   */
  readonly writes?: WritesInFlight;
  /** The longest a commit's NOTIFY waits for the rest of its burst. @default 50 */
  readonly batchWaitMs?: number;
  /** Told of each NOTIFY sent (metrics). */
  readonly onNotify?: () => void;
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
 * every writer wait on every other. Rings are coalesced (one NOTIFY in flight, one queued
 * behind it), and with `writes` a burst of commits is announced once, when it is done.
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
  const batchWaitMs = options.batchWaitMs ?? 50;
  // With no wait (EVENT_BATCH_WAIT_MS=0) every commit is announced at once, as before.
  const writes = batchWaitMs > 0 ? options.writes : undefined;

  // Each NOTIFY says which signal sent it (a name, never event data) and what that process is
  // doing: "busy" (transactions in flight, commits to come: wait for me) or "done" (read now).
  // A process ignores its own: it rings its listeners itself when it commits.
  //
  // A burst's first transaction sends "busy"; its last commit sends "done". A process whose
  // transactions never all end at once still announces its commits after `batchWaitMs`, as
  // "done" too: it has waited its share, so others should not wait for it again. So a lone
  // commit costs two NOTIFYs and delays no one, and a burst costs two NOTIFYs and one read
  // in every process, wherever it was published.
  const origin = randomUUID();
  let unannounced = false; // commits no NOTIFY has told of yet
  let saidBusy = false; // what the others last heard from us
  let flushTimer: NodeJS.Timeout | undefined;
  const sendNotify = createRinger(async () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const busy = !unannounced && (writes?.count ?? 0) > 0;
    if (!unannounced && busy === saidBusy) return;
    const commits = unannounced;
    unannounced = false;
    saidBusy = busy;
    try {
      await sql`select pg_notify(${channel}, ${`${origin}:${busy ? 'busy' : 'done'}`})`.execute(db);
      options.onNotify?.();
    } catch (error) {
      unannounced ||= commits;
      saidBusy = !busy; // say it again next time
      throw error;
    }
  }, (error) => logger.warn('could not send the outbox NOTIFY; other processes will poll', { error }));
  const stopWatchingWrites = writes?.onLocalChange(() => sendNotify());
  const announceCommit = () => {
    unannounced = true;
    if (!writes || writes.count === 0) sendNotify();
    else flushTimer ??= setTimeout(sendNotify, batchWaitMs);
  };
  const heard = (payload: string) => {
    const [from, state] = payload.split(':');
    if (from === origin) return;
    if (state === 'busy') { writes?.setRemote(from!, true); return; }
    if (from) writes?.setRemote(from, false);
    ringListeners();
  };

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
    next.on('notification', (message) => { if (message.channel === channel) heard(message.payload ?? ''); });
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
    // Whatever was notified while we were away is lost: let readers look, and wait for no one.
    writes?.forgetRemotes();
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
      announceCommit();
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
      stopWatchingWrites?.();
      if (flushTimer) sendNotify();
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
