import type { PayloadOf } from './payloads.js';

/**
 * The domain events. `type` is aggregate.pastTense; `subjectType` names the aggregate the
 * event is about. Payloads are versioned by `v` so consumers can evolve with them.
 */
export const EVENT_TYPES = [
  'problem.created',
  'problem.updated',
  'problem.published',
  'problem.status_changed',
  'problem.archived',
  'problem.supported',
  'problem.support_withdrawn',
  'problem.nudged',
  'problem.marked_out_of_date',
  'problem.confirmed_current',
  'problem.hidden',
  'problem.restored',
  'solution.created',
  'solution.updated',
  'solution.published',
  'solution.archived',
  'solution.adopted',
  'solution.linked',
  'solution.unlinked',
  'solution.nudged',
  'solution.marked_out_of_date',
  'solution.confirmed_current',
  'solution.hidden',
  'solution.restored',
  'case_study.created',
  'case_study.updated',
  'case_study.published',
  'case_study.archived',
  'case_study.hidden',
  'case_study.restored',
  'comment.added',
  'comment.edited',
  'comment.deleted',
  'comment.hidden',
  'comment.restored',
  'council.created',
  'council.updated',
  'member.added',
  'member.updated',
  'member.removed',
  'api_token.created',
  'api_token.revoked',
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.secret_rotated',
  'webhook_endpoint.disabled',
  'webhook_endpoint.deleted',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export type SubjectType = 'problem' | 'solution' | 'case_study' | 'comment' | 'council' | 'member' | 'api_token' | 'webhook_endpoint';

/**
 * Subjects whose visibility depends on who exactly is looking (a member sees their own API
 * tokens), not only on their council and role: subscriptions resolve events about them for
 * each member rather than once per council and role.
 */
export const MEMBER_SCOPED_SUBJECTS: readonly SubjectType[] = ['api_token'];

/**
 * What an event is about besides its subject: the problem a comment was added to, the
 * problem a solution was linked to. Following a node (`subjects` filters, `commentAdded`)
 * matches events whose subject or target it is. Stored in the payload as `target`.
 */
export interface EventTarget {
  readonly type: SubjectType;
  readonly id: string;
}

export interface NewEvent {
  readonly type: EventType;
  readonly subjectType: SubjectType;
  readonly subjectId: string;
  readonly target?: EventTarget | undefined;
  /** The council that owns the subject: drafts and their events stay within it. */
  readonly councilId: string;
  readonly visibility: 'draft' | 'published';
  /**
   * Versioned by `v`. Content events carry `title`, `summary`, `serviceArea`, `tags`,
   * `status` and `version`; the `serviceAreas` and `tags` filters match those fields.
   */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** An event as read back from the outbox, its payload checked against its type (payloads.ts). */
export type StoredEventOf<T extends EventType> = Omit<NewEvent, 'type' | 'payload'> & {
  readonly type: T;
  readonly payload: PayloadOf<T>;
  readonly position: number;
  readonly createdAt: Date;
};

/** Discriminated by `type`: narrowing the type narrows the payload. */
export type StoredEvent = { [T in EventType]: StoredEventOf<T> }[EventType];

export function isEventType(type: string): type is EventType {
  return (EVENT_TYPES as readonly string[]).includes(type);
}
