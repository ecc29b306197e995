import { z } from 'zod';
import type { EventType } from './catalogue.js';

/**
 * What each event type carries, checked where events are read back from the outbox
 * (toStoredEvent: the event tail, every consumer, replays and webhook bodies), so no reader
 * works from an untyped payload. Writers add fields over time (payloads are versioned by
 * `v`), so each shape types the fields readers may rely on and keeps any others as they
 * are; a field that is present must have its type.
 */
const SUBJECT_TYPES = ['problem', 'solution', 'case_study', 'comment', 'council', 'member', 'api_token', 'webhook_endpoint'] as const;

const base = {
  v: z.literal(1),
  /** What the event is about besides its subject (see EventTarget). */
  target: z.object({ type: z.enum(SUBJECT_TYPES), id: z.string() }).optional(),
  /** The member who acted, or null for the operator at the command line. */
  byMemberId: z.string().nullable().optional(),
  /** The member whose action this is, so followers are not told of their own actions (notifications/recipients.ts). */
  actorMemberId: z.string().nullable().optional(),
  /**
   * Content events carry these; the `serviceAreas` and `tags` filters match them on any
   * event that has them, in JavaScript and in SQL alike (filter.ts).
   */
  serviceArea: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  /**
   * Content events recorded since the facets of issue 16 carry the owning council's region
   * and kind, a solution's phase and a case study's outcome; the `regions`, `councilKinds`,
   * `phases` and `outcomes` filters match them (earlier events have none, so never match).
   */
  region: z.string().nullable().optional(),
  councilKind: z.string().nullable().optional(),
  phase: z.string().nullable().optional(),
  outcome: z.string().nullable().optional(),
};

/** Problems, solutions and case studies: the fields the `serviceAreas` and `tags` filters match. */
const content = z.looseObject({
  ...base,
  title: z.string().optional(),
  summary: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  version: z.number().optional(),
});

const solutionLink = z.looseObject({
  ...base,
  title: z.string().optional(),
  problemId: z.string().optional(),
  problemTitle: z.string().optional(),
  problemCouncilId: z.string().optional(),
  solutionCouncilId: z.string().optional(),
});

const comment = z.looseObject({
  ...base,
  subjectType: z.enum(SUBJECT_TYPES).optional(),
  subjectId: z.string().optional(),
  subjectTitle: z.string().optional(),
  commenterCouncilId: z.string().optional(),
  authorId: z.string().optional(),
  body: z.string().optional(),
});

const council = z.looseObject({ ...base, slug: z.string().optional(), name: z.string().optional() });

const member = z.looseObject({ ...base, name: z.string().optional(), role: z.string().optional() });

/** `memberId` decides who may see the event (a member sees only their own tokens' events). */
const apiToken = z.looseObject({ ...base, memberId: z.string(), label: z.string().optional(), prefix: z.string().optional() });

const webhookEndpoint = z.looseObject({
  ...base,
  description: z.string().nullable().optional(),
  eventTypes: z.array(z.string()).optional(),
  active: z.boolean().optional(),
});

export const PAYLOADS = {
  'problem.created': content,
  'problem.updated': content,
  'problem.published': content,
  'problem.status_changed': content,
  'problem.archived': content,
  'problem.supported': content,
  'problem.support_withdrawn': content,
  'problem.nudged': content,
  'problem.marked_out_of_date': content,
  'problem.confirmed_current': content,
  'problem.hidden': content,
  'problem.restored': content,
  'solution.created': content,
  'solution.updated': content,
  'solution.published': content,
  'solution.archived': content,
  'solution.adopted': content,
  'solution.linked': solutionLink,
  'solution.unlinked': solutionLink,
  'solution.nudged': content,
  'solution.marked_out_of_date': content,
  'solution.confirmed_current': content,
  'solution.hidden': content,
  'solution.restored': content,
  'case_study.created': content,
  'case_study.updated': content,
  'case_study.published': content,
  'case_study.archived': content,
  'case_study.hidden': content,
  'case_study.restored': content,
  'comment.added': comment,
  'comment.edited': comment,
  'comment.deleted': comment,
  'comment.hidden': comment,
  'comment.restored': comment,
  'council.created': council,
  'council.updated': council,
  'member.added': member,
  'member.updated': member,
  'member.removed': member,
  'api_token.created': apiToken,
  'api_token.revoked': apiToken,
  'webhook_endpoint.created': webhookEndpoint,
  'webhook_endpoint.updated': webhookEndpoint,
  'webhook_endpoint.secret_rotated': webhookEndpoint,
  'webhook_endpoint.disabled': webhookEndpoint,
  'webhook_endpoint.deleted': webhookEndpoint,
} as const satisfies Record<EventType, z.ZodType>;

export type PayloadOf<T extends EventType> = z.infer<(typeof PAYLOADS)[T]>;
export type ContentPayload = z.infer<typeof content>;
