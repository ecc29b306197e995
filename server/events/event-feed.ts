import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { isMember, type Viewer } from '../auth/viewer.js';
import { DomainError, ValidationError } from '../kernel/errors.js';
import type { StoredEvent } from './catalogue.js';
import { canSeeEvent, eventConditions, matchesFilter, type EventFilter } from './filter.js';
import { toStoredEvent } from './outbox.js';
import { createPushIterator, type PushIterator } from './push-iterator.js';
import type { EventTail } from './tail.js';
import { createReplayGate, type ReplayGate } from './replay-gate.js';

/** A subscriber fell this far behind: it is cut off and resumes from its last position. */
export class SubscriberTooSlowError extends DomainError {
  readonly code = 'SUBSCRIBER_TOO_SLOW';
  constructor(readonly lastPosition: number) {
    super(`this subscriber fell too far behind; subscribe again with after: ${lastPosition} to resume`);
  }
}

/**
 * The subscriber's access changed while it listened (its member was removed or changed
 * role, or its token was revoked): what it may see was settled when it subscribed, so it is
 * cut off and must subscribe again, as whoever it now is.
 */
export class AccessChangedError extends DomainError {
  readonly code = 'ACCESS_CHANGED';
  constructor(readonly lastPosition: number) {
    super(`your membership or API token changed; subscribe again with after: ${lastPosition} to resume`);
  }
}

/** Whether `event` changes what `viewer` may see or do. */
function changesAccessOf(viewer: Viewer, event: StoredEvent): boolean {
  if (!isMember(viewer)) return false;
  return ((event.type === 'member.removed' || event.type === 'member.updated') && event.subjectId === viewer.memberId)
    || (event.type === 'api_token.revoked' && event.subjectId === viewer.tokenId);
}

/**
 * Replay reads one process runs at once: one per core beyond the first, at most two (PGlite
 * has one connection, a pg pool ten by default). On two cores one replay reads at a time and
 * the other core is left to the database and everyone else.
 */
const DEFAULT_REPLAY_READS = Math.max(1, Math.min(2, availableParallelism() - 1));

/**
 * Events a replay hands its subscriber at a time. The subscriber executes what it finds
 * queued in one go (sink-driver.ts), so this bounds each synchronous slice of replay work; the
 * next slice waits until the subscriber has taken this one and the event loop has had a turn
 * (setImmediate), so other clients' requests are served between slices.
 */
const REPLAY_SLICE = 20;

export interface EventFeedOptions {
  readonly db: Kysely<Database>;
  /** Needed for `stream`; a process without one can still page through the log. */
  readonly tail?: EventTail | undefined;
  /** Events one subscriber may have waiting before it is cut off. @default 10000 */
  readonly maxQueued?: number;
  /** Events read per replay statement. @default 200 */
  readonly replayBatch?: number;
  /** Paces every replay of this process (replay-gate.ts). @default one read per core beyond the first, 1 or 2 */
  readonly replayGate?: ReplayGate;
  /** Events a replay delivers per slice, with a turn of the event loop between slices. @default 20 */
  readonly replaySlice?: number;
}

export interface EventPageRequest {
  after?: number | undefined;
  before?: number | undefined;
  limit: number;
  /** Paging backwards: newest first; the caller reverses. */
  inverted: boolean;
}

/** The event log as subscribers and the `events` query see it: filtered and tenant-safe. */
export function createEventFeed(options: EventFeedOptions) {
  const { db, tail } = options;
  const maxQueued = options.maxQueued ?? 10_000;
  const replayBatch = options.replayBatch ?? 200;
  const replayGate = options.replayGate ?? createReplayGate(DEFAULT_REPLAY_READS);
  const replaySlice = options.replaySlice ?? REPLAY_SLICE;

  async function readMatching(viewer: Viewer, filter: EventFilter, after: number, limit: number): Promise<StoredEvent[]> {
    const rows = await db.selectFrom('outbox_events').selectAll()
      .where('position', '>', after).where(eventConditions(viewer, filter))
      .orderBy('position').limit(limit).execute();
    return rows.map(toStoredEvent);
  }

  return {
    /**
     * Matching events, in position order, each once. With `after`, every matching event
     * after that position is replayed from the outbox first, then live ones follow.
     *
     * The seam: the live listener is attached before the replay starts and buffers what
     * the tail delivers meanwhile. The replay reads until the outbox has nothing more, and
     * everything the tail has delivered was committed before that last read, so replay
     * and buffer overlap rather than leave a gap; `delivered` drops the overlap.
     *
     * `allowance` says how many events the subscriber can pay for now (Context.replayAllowance):
     * each replay read asks for no more, so a client past its allowance ends (the allowance
     * throws) before the hub reads anything for it. Each page is handed over in slices of
     * `replaySlice`, a turn of the event loop apart.
     */
    stream(viewer: Viewer, filter: EventFilter, after?: number | null, allowance?: () => number): PushIterator<StoredEvent> {
      if (!tail) throw new Error('this process has no event tail to stream from');
      let delivered = after ?? tail.position;
      // The last position the consumer has taken: where it should resume if cut off.
      let taken = delivered;
      let buffer: StoredEvent[] | undefined = after === undefined || after === null ? undefined : [];
      const out = createPushIterator<StoredEvent>({
        onClose: () => unsubscribe(),
        onTake: (event) => { taken = event.position; },
      });
      const deliver = (event: StoredEvent) => {
        if (event.position <= delivered || !canSeeEvent(viewer, event) || !matchesFilter(event, filter)) return;
        delivered = event.position;
        out.push(event);
        if (out.size > maxQueued) out.fail(new SubscriberTooSlowError(taken));
      };
      // When the process shuts down the stream ends; the client resumes elsewhere with `after`.
      const unsubscribe = tail.subscribe((events) => {
        if (events.some((event) => changesAccessOf(viewer, event))) {
          out.fail(new AccessChangedError(taken));
          return;
        }
        if (!buffer) { for (const event of events) deliver(event); return; }
        for (const event of events) if (canSeeEvent(viewer, event) && matchesFilter(event, filter)) buffer.push(event);
        // A replay held back by a slow consumer must not buffer live events without bound.
        if (buffer.length > maxQueued) out.fail(new SubscriberTooSlowError(taken));
      }, () => out.end());

      if (buffer) {
        void (async () => {
          for (;;) {
            await out.drained(1);
            if (out.closed) return;
            const limit = Math.min(replayBatch, allowance?.() ?? replayBatch);
            const page = await replayGate.run(() => readMatching(viewer, filter, delivered, limit));
            for (let start = 0; start < page.length; start += replaySlice) {
              if (start > 0) await out.drained(1);
              await new Promise((resolve) => setImmediate(resolve));
              if (out.closed) return;
              for (const event of page.slice(start, start + replaySlice)) deliver(event);
            }
            if (page.length < limit) break;
          }
          const live = buffer!;
          buffer = undefined;
          for (const event of live) deliver(event);
        })().catch((error) => out.fail(error));
      }
      return out;
    },

    /** One page of the log for the `events` query, oldest first. */
    async page(viewer: Viewer, filter: EventFilter, page: EventPageRequest): Promise<StoredEvent[]> {
      let query = db.selectFrom('outbox_events').selectAll().where(eventConditions(viewer, filter));
      if (page.after !== undefined) query = query.where('position', '>', page.after);
      if (page.before !== undefined) query = query.where('position', '<', page.before);
      const rows = await query.orderBy('position', page.inverted ? 'desc' : 'asc').limit(page.limit).execute();
      return rows.map(toStoredEvent);
    },
  };
}

export type EventFeed = ReturnType<typeof createEventFeed>;

/** Parses a position given by a client: a whole number from 0. */
export function parsePosition(value: string | number, field: string): number {
  const position = typeof value === 'number' ? value : /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new ValidationError([{ field, message: 'must be an event position (a whole number from 0)' }]);
  }
  return position;
}
