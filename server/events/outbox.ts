import { sql, type Transaction } from 'kysely';
import { ADVISORY_LOCKS } from '../kernel/advisory-locks.js';
import { compileStatement } from '../db/compiled-statement.js';
import type { Database, OutboxEventRow } from '../db/database.js';
import { z } from 'zod';
import { isEventType, type NewEvent, type StoredEvent, type SubjectType } from './catalogue.js';
import { PAYLOADS } from './payloads.js';

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
  const statement = CONTENT_SUBJECTS.has(event.subjectType) ? APPEND_CONTENT : APPEND;
  const [row] = await statement.execute(trx, [
    event.type, event.subjectType, event.subjectId, event.councilId, event.visibility,
    JSON.stringify({ v: 1, ...event.payload, ...(event.target ? { target: event.target } : {}) }),
  ]);
  return row!.position;
}

const CONTENT_SUBJECTS: ReadonlySet<string> = new Set(['problem', 'solution', 'case_study']);

// Every mutation runs it, so it is compiled once (see compiled-statement.ts).
const APPEND = compileAppend(false);

/**
 * Content events also carry the owning council's `region` and `councilKind`, which the
 * `regions` and `councilKinds` event filters match (server/events/filter.ts). They are read
 * in the insert itself rather than by the caller: the same transaction, no statement more.
 * A council's region and kind are public, and a draft's event stays in its council anyway.
 */
const APPEND_CONTENT = compileAppend(true);

function compileAppend(withOwner: boolean) {
  return compileStatement((db, value) => db
    .insertInto('outbox_events')
    .values({
      position: sql<number>`case when pg_advisory_xact_lock(${sql.lit(OUTBOX_APPEND_LOCK)}) is not null then nextval('outbox_events_position_seq') end`,
      type: value(0),
      subject_type: value(1),
      subject_id: value(2),
      council_id: value(3),
      visibility: value(4),
      payload: withOwner
        ? sql<string>`${value(5)}::jsonb || coalesce((select jsonb_build_object('region', c.region, 'councilKind', c.kind) from councils c where c.id = ${value(3)}::uuid), '{}'::jsonb)`
        : value(5),
    })
    .returning('position'));
}

/**
 * An outbox event comes back into the hub only through here (the event tail, consumers,
 * replays, webhook bodies), so its type and payload are checked once, at the read boundary:
 * a row that does not fit its type is refused with MalformedEventError rather than handed
 * to a tenancy rule or a consumer as something it is not. Such a row can only come from a
 * bug or a hand edit; a reader that meets one stops there and retries (nothing is skipped).
 */
export function toStoredEvent(row: OutboxEventRow): StoredEvent {
  const position = Number(row.position);
  if (!isEventType(row.type)) throw new MalformedEventError(position, `unknown type ${JSON.stringify(row.type)}`);
  if (!row.type.startsWith(`${row.subject_type}.`)) {
    throw new MalformedEventError(position, `a ${row.type} event cannot be about a ${row.subject_type}`);
  }
  const parsed = PAYLOADS[row.type].safeParse(row.payload);
  if (!parsed.success) throw new MalformedEventError(position, z.prettifyError(parsed.error));
  const event = {
    position: row.position,
    type: row.type,
    subjectType: row.subject_type as SubjectType,
    subjectId: row.subject_id,
    target: parsed.data.target,
    councilId: row.council_id,
    visibility: row.visibility,
    payload: parsed.data,
    createdAt: row.created_at,
  };
  // The payload was parsed with the schema of this very type; TypeScript cannot follow the
  // correlation through PAYLOADS[row.type], so it is stated here once.
  return event as StoredEvent;
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(readonly position: number, detail: string) {
    super(`outbox event ${position} does not fit its type: ${detail}`);
  }
}
