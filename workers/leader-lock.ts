import pg from 'pg';
import type { DatabaseHandle } from '../server/db/connect.js';
import { ADVISORY_LOCKS } from '../server/kernel/advisory-locks.js';
import type { Logger } from '../server/logger.js';

/** Namespace for consumer locks; the second key is the hash of the consumer's name. */
const CONSUMER_LOCK_SPACE = ADVISORY_LOCKS.consumerLeaderSpace;

/** Exclusive leadership of one consumer across every process sharing the database. */
export interface LeaderLock {
  /** Takes the lock if it is free; true while this instance holds it. */
  tryAcquire(): Promise<boolean>;
  /** False once the lock was released or its connection died. */
  readonly held: boolean;
  release(): Promise<void>;
}

/**
 * On PostgreSQL, a session-level advisory lock on a connection of its own. Session locks
 * last as long as the connection, so a worker that crashes or is SIGKILLed loses the lock
 * the moment the server notices the socket closed, and a standby takes over; no lease or
 * heartbeat is needed. A pooled connection would not do: the lock would follow the
 * connection back into the pool. If the lock connection fails, `held` turns false and the
 * worker stops after its current batch; a batch that overlaps a new leader's is harmless
 * because consumers are idempotent and cursor moves are compare-and-set (cursor.ts).
 *
 * On PGlite there is exactly one process and one connection (the data directory cannot be
 * shared), so leadership is trivially held; two workers for one consumer in one process
 * would be a wiring mistake that the lock could not catch anyway (advisory locks are
 * re-entrant within a session).
 */
export function createLeaderLock(database: DatabaseHandle, consumer: string, logger: Logger): LeaderLock {
  if (database.engine === 'pglite' || !database.pgConfig) return trivialLock();
  const config = database.pgConfig;
  let client: pg.Client | undefined;
  let held = false;

  // Only the connection that holds the lock can lose it: a killed connection emits 'error'
  // and later 'end', and by the 'end' a new connection may hold the lock again. Dropping that
  // one's state would orphan it with the lock held, and no connection could take it again.
  const dropIf = (lost: pg.Client) => () => {
    if (client !== lost) return;
    if (held) logger.warn('lost the consumer lock connection', { consumer });
    held = false;
    client = undefined;
  };

  return {
    get held() { return held; },
    async tryAcquire() {
      if (held) return true;
      const candidate = new pg.Client({ ...config, application_name: `cc-worker:${consumer}` });
      const drop = dropIf(candidate);
      candidate.on('error', drop);
      candidate.on('end', drop);
      try {
        await candidate.connect();
        const { rows } = await candidate.query<{ locked: boolean }>(
          'select pg_try_advisory_lock($1, hashtext($2)) as locked', [CONSUMER_LOCK_SPACE, consumer]);
        if (rows[0]?.locked) {
          client = candidate;
          held = true;
          return true;
        }
      } catch (error) {
        logger.warn('could not try the consumer lock', { consumer, error });
      }
      await candidate.end().catch(() => {});
      return false;
    },
    async release() {
      const current = client;
      held = false;
      client = undefined;
      if (!current) return;
      // Closing the session releases its advisory locks (its 'end' finds it no longer current).
      await current.end().catch(() => {});
    },
  };
}

function trivialLock(): LeaderLock {
  let held = false;
  return {
    get held() { return held; },
    async tryAcquire() { held = true; return true; },
    async release() { held = false; },
  };
}
