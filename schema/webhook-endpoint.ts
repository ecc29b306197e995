import { asServiceArea } from '../server/domain/service-areas.js';
import type { EndpointFilter, EndpointWithSecret } from '../server/webhooks/model.js';
import { builder } from './builder.js';
import { MUTATION_ERRORS } from './errors.js';
import { EventTypeEnum, toEventFilter } from './events.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef } from './refs.js';
import { ServiceAreaEnum } from './service-area.js';
import { WebhookEndpointRef } from './webhook-delivery.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

const WebhookEventFilterRef = builder.objectRef<EndpointFilter>('WebhookEventFilter').implement({
  description: 'Which events of the chosen types reach the endpoint; empty lists do not narrow',
  fields: (t) => ({
    councils: t.field({ type: [CouncilRef], extensions: listCap(LIST_CAPS.filterValues), resolve: (f, _, ctx) => Promise.all((f.councilIds ?? []).map((id) => ctx.loaders.council.load(id).then(must))) }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], resolve: (f) => (f.serviceAreas ?? []).map(asServiceArea) }),
    tags: t.stringList({ resolve: (f) => [...(f.tags ?? [])] }),
    subjectIds: t.idList({ resolve: (f) => [...(f.subjects ?? [])] }),
  }),
});

builder.node(WebhookEndpointRef, {
  id: { resolve: (e) => e.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'eventTypes' in value && 'url' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.webhookEndpoint.load(id)),
  description: 'A council system that receives signed deliveries of published events (Standard Webhooks); node(id:) loads it for the council\'s admins only',
  fields: (t) => ({
    url: t.exposeString('url'),
    eventTypes: t.field({ type: [EventTypeEnum], resolve: (e) => [...e.eventTypes] }),
    filter: t.field({ type: WebhookEventFilterRef, resolve: (e) => e.filter }),
    description: t.exposeString('description'),
    active: t.exposeBoolean('active', { description: 'Inactive endpoints keep queueing deliveries and send them once active again' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why the hub disabled the endpoint after its retries ran out' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    council: t.field({ type: CouncilRef, resolve: (e, _, ctx) => ctx.loaders.council.load(e.councilId).then(must) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.objectField(CouncilRef, 'webhookEndpoints', (t) => t.field({
  type: [WebhookEndpointRef],
  nullable: true,
  extensions: listCap(LIST_CAPS.webhookEndpoints),
  description: 'The council\'s webhook endpoints; null unless you administer the council',
  resolve: (council, _, ctx) => ctx.services.webhookEndpoints.list(ctx.viewer, council.id),
}));

const WebhookEventFilterInput = builder.inputType('WebhookEventFilterInput', {
  description: 'The `events` subscription\'s filter, less the types (see `eventTypes`)',
  fields: (t) => ({
    councilIds: t.globalIDList({ for: [CouncilRef] }),
    serviceAreas: t.field({ type: [ServiceAreaEnum] }),
    tags: t.stringList(),
    subjectIds: t.globalIDList({ description: 'Events about any of these nodes, or targeting them' }),
  }),
});

const ENDPOINT_FIELDS = {
  url: 'https only; the host must resolve to public addresses',
  eventTypes: 'At least one; only published events are delivered, never draft content',
} as const;

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    councilId: t.globalID({ for: [CouncilRef], description: 'Default: your council' }),
    url: t.string({ required: true, description: ENDPOINT_FIELDS.url }),
    eventTypes: t.field({ type: [EventTypeEnum], required: true, description: ENDPOINT_FIELDS.eventTypes }),
    filter: t.field({ type: WebhookEventFilterInput }),
    description: t.string(),
    active: t.boolean({ defaultValue: true }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.globalID({ for: [WebhookEndpointRef], required: true }),
    url: t.string({ description: ENDPOINT_FIELDS.url }),
    eventTypes: t.field({ type: [EventTypeEnum], description: ENDPOINT_FIELDS.eventTypes }),
    filter: t.field({ type: WebhookEventFilterInput, description: 'Replaces the whole filter' }),
    description: t.string(),
    active: t.boolean({ description: 'true re-enables a disabled endpoint: its queue is sent from the delivery that failed, in order' }),
  }),
});

const EndpointIdInput = (name: string) => builder.inputType(name, {
  fields: (t) => ({ id: t.globalID({ for: [WebhookEndpointRef], required: true }) }),
});

/** The one place a signing secret is ever shown. */
const secretPayload = (name: string) => builder.objectRef<EndpointWithSecret>(name).implement({
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The whsec_ signing secret, shown this once: keep it in the receiving system' }),
    endpoint: t.field({ type: WebhookEndpointRef, resolve: (created) => created.endpoint }),
  }),
});

interface FilterArgs {
  councilIds?: { id: string }[] | null;
  serviceAreas?: string[] | null;
  tags?: string[] | null;
  subjectIds?: { id: string; typename: string }[] | null;
}

function toEndpointFilter(filter: FilterArgs | null | undefined): EndpointFilter | undefined {
  if (!filter) return undefined;
  const { councilIds, serviceAreas, tags } = toEventFilter(filter);
  return {
    ...(councilIds?.length ? { councilIds } : {}),
    ...(serviceAreas?.length ? { serviceAreas } : {}),
    ...(tags?.length ? { tags } : {}),
    ...(filter.subjectIds?.length ? { subjects: filter.subjectIds.map((s) => encodeGlobalId(s.typename, s.id)) } : {}),
  };
}

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: secretPayload('CreateWebhookEndpointPayload'),
    description: 'Council admins: registers an endpoint; it receives events published from now on. The secret is in this payload only',
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.create(ctx.viewer, {
      ...input, councilId: input.councilId?.id, filter: toEndpointFilter(input.filter),
    }),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    description: 'Council admins: changes an endpoint, pauses it (active: false) or re-enables it',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'endpoint' } },
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.update(ctx.viewer, input.id.id, {
      ...input, filter: input.filter === null ? {} : toEndpointFilter(input.filter),
    }),
  }),
  rotateWebhookSecret: t.field({
    type: secretPayload('RotateWebhookSecretPayload'),
    description: 'Council admins: issues a new secret; the old one keeps signing beside it for a grace period (24 hours by default)',
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: EndpointIdInput('RotateWebhookSecretInput'), required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.rotateSecret(ctx.viewer, input.id.id),
  }),
  deleteWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    description: 'Council admins: deletes an endpoint with its delivery log; nothing more is sent to it',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'endpoint' } },
    args: { input: t.arg({ type: EndpointIdInput('DeleteWebhookEndpointInput'), required: true }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.delete(ctx.viewer, input.id.id),
  }),
}));
