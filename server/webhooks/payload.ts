import type { StoredEvent } from '../events/catalogue.js';
import { encodeGlobalId, subjectTypename } from '../kernel/global-id.js';
import { publicPayload } from '../events/public-payload.js';

/**
 * The body of an event delivery, in the Standard Webhooks shape: `type`, `timestamp` (when
 * the change committed) and `data`. IDs are the API's global IDs, so a receiver can ask the
 * hub about the subject; `payload` is the event as recorded, versioned by `v`, in the API's
 * spellings (public-payload.ts).
 */
export interface BodyContext {
  /** The name of the council that owns the subject, so a receiver can say who did it without a second call. */
  readonly councilName: string | null;
  /** The subject's page, for a problem, solution or case study. */
  readonly url: string | null;
}

export function eventBody(event: StoredEvent, context: BodyContext): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    data: {
      position: event.position,
      subjectType: subjectTypename(event.subjectType),
      subjectId: encodeGlobalId(subjectTypename(event.subjectType), event.subjectId),
      councilId: encodeGlobalId('Council', event.councilId),
      councilName: context.councilName,
      url: context.url,
      payload: publicPayload(event),
    },
  });
}

export const TEST_EVENT_TYPE = 'webhook.test';

/** The body of `sendTestEvent`: recognisably not an event of the log (no position). */
export function testEventBody(endpointId: string, createdAt: Date): string {
  return JSON.stringify({
    type: TEST_EVENT_TYPE,
    timestamp: createdAt.toISOString(),
    data: { endpointId: encodeGlobalId('WebhookEndpoint', endpointId), message: 'A test event from Council Commons' },
  });
}
