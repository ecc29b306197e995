import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/database.js';
import type { EventType, NewEvent } from '../events/catalogue.js';
import type { EventFilter } from '../events/filter.js';
import { decodeGlobalId } from '../kernel/global-id.js';

/** The outbox consumer that turns events into webhook deliveries (its cursor's name). */
export const WEBHOOKS_CONSUMER = 'webhooks';

/**
 * The `events` subscription's filter less `types` (an endpoint holds those as `eventTypes`).
 * Subjects are kept as the global IDs the admin gave, so they read back as given.
 */
export interface EndpointFilter extends Omit<EventFilter, 'types' | 'subjectIds'> {
  readonly subjects?: readonly string[] | null | undefined;
}

/** The filter an event must pass to be delivered to the endpoint. */
export function endpointEventFilter(endpoint: Pick<WebhookEndpoint, 'eventTypes' | 'filter'>): EventFilter {
  const { subjects, ...rest } = endpoint.filter;
  return { ...rest, types: endpoint.eventTypes, subjectIds: subjects?.map((id) => decodeGlobalId(id).id) };
}

export interface WebhookEndpoint {
  readonly id: string;
  readonly councilId: string;
  readonly url: string;
  readonly eventTypes: readonly EventType[];
  readonly filter: EndpointFilter;
  readonly description: string;
  readonly active: boolean;
  /** Why the hub disabled the endpoint (its deliveries kept failing); null if it did not. */
  readonly disabledReason: string | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    councilId: row.council_id,
    url: row.url,
    eventTypes: row.event_types as EventType[],
    filter: row.filter as EndpointFilter,
    description: row.description,
    active: row.active,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The endpoint and its new signing secret: the only time the secret is shown. */
export interface EndpointWithSecret {
  readonly endpoint: WebhookEndpoint;
  readonly secret: string;
}

export interface WebhookAttempt {
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly attemptedAt: Date;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  /** The event's position; null for a test event. */
  readonly position: number | null;
  readonly webhookId: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly attemptCount: number;
  readonly nextAttemptAt: Date | null;
  readonly createdAt: Date;
  /** Oldest first. */
  readonly attempts: readonly WebhookAttempt[];
}

export function toDelivery(row: WebhookDeliveryRow, attempts: readonly WebhookAttemptRow[]): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    position: row.event_position === null ? null : Number(row.event_position),
    webhookId: row.webhook_id,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    attempts: attempts.map((a) => ({ statusCode: a.status_code, durationMs: a.duration_ms, error: a.error, attemptedAt: a.attempted_at })),
  };
}

/**
 * Endpoint events are drafts of the endpoint's council: its members see them, nothing about
 * them leaves the hub. They carry neither the secret nor the URL (which may hold a token).
 */
export function endpointEvent(type: EventType, endpoint: WebhookEndpoint, byMemberId: string | null, extra: Record<string, unknown> = {}): NewEvent {
  return {
    type,
    subjectType: 'webhook_endpoint',
    subjectId: endpoint.id,
    councilId: endpoint.councilId,
    visibility: 'draft',
    payload: {
      description: endpoint.description, eventTypes: endpoint.eventTypes, active: endpoint.active,
      disabledReason: endpoint.disabledReason, byMemberId, ...extra,
    },
  };
}
