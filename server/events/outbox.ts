import { sql, type Transaction } from 'kysely';
import { ADVISORY_LOCKS } from '../kernel/advisory-locks.js';
import { compileStatement } from '../db/compiled-statement.js';
import type { Database, OutboxEventRow } from '../db/database.js';
import type { EventTarget, EventType, NewEvent, StoredEvent, SubjectType } from './catalogue.js';

const OUTBOX_APPEND_LOCK = ADVISORY_LOCKS.outboxAppend;

/**
 * Appends an event inside the caller's transaction, so the change and its event commit
 * together or not at all (invariant 1).
 *
 * Positions come from a sequence, and sequences hand out numbers in call order, not commit
 * order: a reader could see position 8 before a slower transaction commits position 7, and
 * then skip it. The transaction-scoped advisory lock makes appends take turns until commit,
 * so positions become visible in order (invariant 2). Call it as the last statement of a
 * transaction to keep the lock short.
 *
 * The lock and the insert are one statement (one round trip, not two), so the order within
 * it must not be left to the planner: the position is drawn inside a CASE whose condition is
 * the lock, and a CASE evaluates its result only after its condition (both are volatile, so
 * neither is folded at plan time). A position (from the sequence behind the bigserial
 * column) is therefore never drawn before the lock is held. Were the condition ever false,
 * the position would be null and the insert would fail on the primary key rather than
 * append out of turn. test/integration/outbox-append.test.ts checks the order directly.
 */
export async function appendEvent(trx: Transaction<Database>, event: NewEvent): Promise<number> {
  const [row] = await APPEND.execute(trx, [
    event.type, event.subjectType, event.subjectId, event.councilId, event.visibility,
    JSON.stringify({ v: 1, ...event.payload, ...(event.target ? { target: event.target } : {}) }),
  ]);
  return row!.position;
}

// Every mutation runs it, so it is compiled once (see compiled-statement.ts).
const APPEND = compileStatement((db, value) => db
  .insertInto('outbox_events')
  .values({
    position: sql<number>`case when pg_advisory_xact_lock(${sql.lit(OUTBOX_APPEND_LOCK)}) is not null then nextval('outbox_events_position_seq') end`,
    type: value(0),
    subject_type: value(1),
    subject_id: value(2),
    council_id: value(3),
    visibility: value(4),
    payload: value(5),
  })
  .returning('position'));

export function toStoredEvent(row: OutboxEventRow): StoredEvent {
  const target = row.payload.target as EventTarget | undefined;
  return {
    position: row.position,
    type: row.type as EventType,
    subjectType: row.subject_type as SubjectType,
    subjectId: row.subject_id,
    target,
    councilId: row.council_id,
    visibility: row.visibility,
    payload: row.payload,
    createdAt: row.created_at,
  };
}
