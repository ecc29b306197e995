import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/database.js';
import { isMember, type Viewer } from '../auth/viewer.js';
import type { EventType, StoredEvent } from './catalogue.js';

/**
 * Which events a subscriber, a query or a webhook wants. Every list narrows: an event
 * matches when it passes each list that is given (and non-empty); within a list, any value
 * will do. The same rules run in JavaScript (live events) and in SQL (replay, queries), and
 * a test holds the two to agreement.
 */
export interface EventFilter {
  readonly types?: readonly EventType[] | null | undefined;
  readonly councilIds?: readonly string[] | null | undefined;
  /** Matches the `serviceArea` of content events; events without one never match. */
  readonly serviceAreas?: readonly string[] | null | undefined;
  /** Matches the `region` of content events (the owning council's); events without one never match. */
  readonly regions?: readonly string[] | null | undefined;
  /** Matches the `councilKind` of content events (the owning council's kind). */
  readonly councilKinds?: readonly string[] | null | undefined;
  /** Matches the `phase` of solution events. */
  readonly phases?: readonly string[] | null | undefined;
  /** Matches the `outcome` of case study events. */
  readonly outcomes?: readonly string[] | null | undefined;
  /** Matches events whose payload `tags` hold any of these (lower-case, as stored). */
  readonly tags?: readonly string[] | null | undefined;
  /** Events whose subject, or whose target (see EventTarget), is one of these ids. */
  readonly subjectIds?: readonly string[] | null | undefined;
}

/** Filter lists that match one string field of the payload: the list, and the field. */
const PAYLOAD_LISTS = [
  ['serviceAreas', 'serviceArea'], ['regions', 'region'], ['councilKinds', 'councilKind'], ['phases', 'phase'], ['outcomes', 'outcome'],
] as const satisfies readonly (readonly [keyof EventFilter, string])[];

const given = <T>(list: readonly T[] | null | undefined): list is readonly T[] => !!list && list.length > 0;

/**
 * Drafts and their events stay within the owning council (invariant 5). Within it, events
 * about API tokens and webhook endpoints follow the lists they mirror: an admin sees them
 * all, a member only those about their own tokens.
 */
export function canSeeEvent(viewer: Viewer, event: StoredEvent): boolean {
  if (event.visibility === 'published') return true;
  if (!isMember(viewer) || viewer.councilId !== event.councilId) return false;
  if (viewer.role === 'admin') return true;
  switch (event.type) {
    case 'webhook_endpoint.created': case 'webhook_endpoint.updated': case 'webhook_endpoint.secret_rotated':
    case 'webhook_endpoint.disabled': case 'webhook_endpoint.deleted':
      return false;
    case 'api_token.created': case 'api_token.revoked':
      return event.payload.memberId === viewer.memberId;
    default:
      return true;
  }
}

export function matchesFilter(event: StoredEvent, filter: EventFilter): boolean {
  if (given(filter.types) && !filter.types.includes(event.type)) return false;
  if (given(filter.councilIds) && !filter.councilIds.includes(event.councilId)) return false;
  const { tags = [] } = event.payload;
  for (const [list, key] of PAYLOAD_LISTS) {
    const wanted = filter[list];
    const value = event.payload[key];
    if (given(wanted) && !(typeof value === 'string' && wanted.includes(value))) return false;
  }
  if (given(filter.tags) && !filter.tags.some((tag) => tags.includes(tag))) return false;
  if (given(filter.subjectIds)
    && !filter.subjectIds.includes(event.subjectId)
    && !(event.target && filter.subjectIds.includes(event.target.id))) return false;
  return true;
}

/** The SQL form of `canSeeEvent` and `matchesFilter`, for `where` on outbox_events. */
export function eventConditions(viewer: Viewer, filter: EventFilter) {
  return (eb: ExpressionBuilder<Database, 'outbox_events'>): Expression<SqlBool> => {
    const published = eb('visibility', '=', 'published');
    const visible = !isMember(viewer) ? published
      : viewer.role === 'admin' ? eb.or([published, eb('council_id', '=', viewer.councilId)])
      : eb.or([published, eb.and([
        eb('council_id', '=', viewer.councilId),
        eb('subject_type', '!=', 'webhook_endpoint'),
        eb.or([eb('subject_type', '!=', 'api_token'), sql<SqlBool>`payload->>'memberId' = ${viewer.memberId}`]),
      ])]);
    const conditions: Expression<SqlBool>[] = [visible];
    if (given(filter.types)) conditions.push(eb('type', 'in', [...filter.types]));
    if (given(filter.councilIds)) conditions.push(eb('council_id', 'in', [...filter.councilIds]));
    for (const [list, key] of PAYLOAD_LISTS) {
      const wanted = filter[list];
      if (given(wanted)) conditions.push(sql<SqlBool>`payload->>${sql.lit(key)} in (${sql.join(wanted)})`);
    }
    if (given(filter.tags)) {
      // jsonb_exists_any rather than the ?| operator: a ? in SQL text trips some drivers.
      conditions.push(sql<SqlBool>`jsonb_exists_any(payload->'tags', ${sql.val([...filter.tags])}::text[])`);
    }
    if (given(filter.subjectIds)) {
      const ids = [...filter.subjectIds];
      conditions.push(eb.or([
        eb('subject_id', 'in', ids),
        sql<SqlBool>`payload->'target'->>'id' in (${sql.join(ids)})`,
      ]));
    }
    return eb.and(conditions);
  };
}
