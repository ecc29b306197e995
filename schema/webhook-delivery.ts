import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../server/webhooks/model.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

export const WebhookEndpointRef = builder.objectRef<WebhookEndpoint>('WebhookEndpoint');
export const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery');

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery stands',
  values: {
    PENDING: { value: 'pending', description: 'Waiting for its turn or its next attempt' },
    SUCCEEDED: { value: 'succeeded', description: 'The endpoint answered 2xx' },
    FAILED: { value: 'failed', description: 'Every attempt failed (the endpoint was disabled), or a test event failed' },
  } as const,
});

const WebhookAttemptRef = builder.objectRef<WebhookAttempt>('WebhookAttempt').implement({
  description: 'One HTTP request of a delivery',
  fields: (t) => ({
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'Null when no response arrived' }),
    durationMs: t.exposeInt('durationMs', { description: 'How long the request took, in milliseconds' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed: HTTP status, timeout, refused target, ...; null on success' }),
    attemptedAt: t.expose('attemptedAt', { type: 'DateTime', description: 'When it was sent' }),
  }),
});

builder.node(WebhookDeliveryRef, {
  id: { resolve: (d) => d.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'webhookId' in value && 'endpointId' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.webhookDelivery.load(id)),
  description: 'One event (or test event) on its way to one endpoint; node(id:) loads it for the council\'s admins only',
  fields: (t) => ({
    webhookId: t.exposeString('webhookId', { description: 'The webhook-id header: the same on every retry, for de-duplication' }),
    position: t.field({ type: 'Position', nullable: true, description: 'The event\'s position; null for a test event', resolve: (d) => d.position }),
    status: t.field({ type: DeliveryStatusEnum, description: 'Where it stands', resolve: (d) => d.status }),
    attemptCount: t.exposeInt('attemptCount', { description: 'Attempts since it was queued or the endpoint was last re-enabled' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When a pending delivery is tried next, once the ones before it are through' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued' }),
    attempts: t.field({ type: [WebhookAttemptRef], extensions: listCap(LIST_CAPS.webhookAttempts), description: `Oldest first (the first ${LIST_CAPS.webhookAttempts})`, resolve: (d) => d.attempts.slice(0, LIST_CAPS.webhookAttempts) }),
  }),
});

builder.objectField(WebhookEndpointRef, 'deliveries', (t) => t.connection({
  type: WebhookDeliveryRef,
  description: 'The delivery log, newest first',
  resolve: (endpoint, args, ctx) => resolveOffsetConnection({ args }, async ({ offset, limit }) =>
    (await ctx.services.webhookDeliveries.list(ctx.viewer, endpoint.id, offset, limit)) ?? []),
}));

const RedeliverInput = builder.inputType('RedeliverInput', {
  description: 'The delivery to send again',
  fields: (t) => ({ id: t.globalID({ for: [WebhookDeliveryRef], required: true, description: 'A delivery to an endpoint of a council you administer' }) }),
});

const SendTestEventInput = builder.inputType('SendTestEventInput', {
  description: 'The endpoint to test',
  fields: (t) => ({ id: t.globalID({ for: [WebhookEndpointRef], required: true, description: 'An endpoint of a council you administer' }) }),
});

const deliveryPayload = { types: MUTATION_ERRORS, dataField: { name: 'delivery', description: 'The delivery as it is now' } };

builder.mutationFields((t) => ({
  redeliver: t.field({
    type: WebhookDeliveryRef,
    description: 'Council admins: sends a delivered or failed delivery again now; a pending one goes as soon as those before it have',
    errors: deliveryPayload,
    args: { input: t.arg({ type: RedeliverInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookDeliveries.redeliver(ctx.viewer, input.id.id),
  }),
  sendTestEvent: t.field({
    type: WebhookDeliveryRef,
    description: 'Council admins: sends a signed `webhook.test` event now; a success also releases a backlog waiting on a retry',
    errors: deliveryPayload,
    args: { input: t.arg({ type: SendTestEventInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookDeliveries.sendTestEvent(ctx.viewer, input.id.id),
  }),
}));
