import { asServiceArea } from '../server/domain/service-areas.js';
import type { EndpointFilter, EndpointWithSecret } from '../server/webhooks/model.js';
import { LIMITS } from '../server/domain/input-checker.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { EventTypeEnum, REGIONS, toEventFilter } from './events.js';
import { CaseStudyOutcomeEnum } from './case-study-outcome.js';
import { CouncilKindEnum } from './council.js';
import { SolutionPhaseEnum } from './solution.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef } from './refs.js';
import { ServiceAreaEnum } from './service-area.js';
import { WebhookEndpointRef } from './webhook-delivery.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

const WebhookEventFilterRef = builder.objectRef<EndpointFilter>('WebhookEventFilter').implement({
  description: 'Which events of the chosen types reach the endpoint; empty lists do not narrow',
  fields: (t) => ({
    councils: t.field({ type: [CouncilRef], description: 'Events about content of these councils', extensions: listCap(LIST_CAPS.filterValues), resolve: (f, _, ctx) => Promise.all((f.councilIds ?? []).map((id) => ctx.loaders.council.load(id).then(must))) }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'Content events in these service areas', extensions: listCap(LIST_CAPS.filterValues), resolve: (f) => (f.serviceAreas ?? []).map(asServiceArea) }),
    regions: t.stringList({ description: 'Content events about items of councils in these regions', extensions: listCap(LIST_CAPS.filterValues), resolve: (f) => [...(f.regions ?? [])] }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Content events about items of councils of these kinds', extensions: listCap(LIST_CAPS.filterValues), resolve: (f) => [...(f.councilKinds ?? [])] as (typeof CouncilKindEnum.$inferType)[] }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'Solution events about solutions in these phases', extensions: listCap(LIST_CAPS.filterValues), resolve: (f) => [...(f.phases ?? [])] as (typeof SolutionPhaseEnum.$inferType)[] }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'Case study events about case studies with these outcomes', extensions: listCap(LIST_CAPS.filterValues), resolve: (f) => [...(f.outcomes ?? [])] as (typeof CaseStudyOutcomeEnum.$inferType)[] }),
    tags: t.stringList({ description: 'Content events carrying any of these tags', extensions: listCap(LIST_CAPS.filterValues), resolve: (f) => [...(f.tags ?? [])] }),
    subjectIds: t.idList({ description: 'Events about these nodes, or targeting them (global ids)', extensions: listCap(LIST_CAPS.filterValues), resolve: (f) => [...(f.subjects ?? [])] }),
  }),
});

builder.node(WebhookEndpointRef, {
  id: { resolve: (e) => e.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'eventTypes' in value && 'url' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.webhookEndpoint.load(id)),
  description: 'A council system that receives signed deliveries of published events (Standard Webhooks); node(id:) loads it for the council\'s admins only',
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where deliveries are POSTed (https)' }),
    eventTypes: t.field({ type: [EventTypeEnum], description: 'The event types it receives', resolve: (e) => [...e.eventTypes] }),
    filter: t.field({ type: WebhookEventFilterRef, description: 'What narrows those events', resolve: (e) => e.filter }),
    description: t.exposeString('description', { description: 'What it is, for the council\'s admins; empty when not given' }),
    active: t.exposeBoolean('active', { description: 'Inactive endpoints keep queueing deliveries and send them once active again' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why the hub disabled the endpoint after its retries ran out' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true, description: 'When the hub disabled it; null unless it did' }),
    council: t.field({ type: CouncilRef, description: 'The council it belongs to', resolve: (e, _, ctx) => ctx.loaders.council.load(e.councilId).then(must) }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed' }),
  }),
});

builder.objectField(CouncilRef, 'webhookEndpoints', (t) => t.field({
  type: [WebhookEndpointRef],
  nullable: true,
  extensions: listCap(LIST_CAPS.webhookEndpoints),
  description: `The council's webhook endpoints (at most ${LIST_CAPS.webhookEndpoints}); null unless you administer the council`,
  resolve: (council, _, ctx) => ctx.services.webhookEndpoints.list(ctx.viewer, council.id),
}));

const WebhookEventFilterInput = builder.inputType('WebhookEventFilterInput', {
  description: `The \`events\` subscription's filter, less the types (see \`eventTypes\`); a list holds at most ${LIST_CAPS.filterValues} values`,
  fields: (t) => ({
    councilIds: t.globalIDList({ for: [CouncilRef], description: 'Events about content of any of these councils' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'Content events in any of these service areas' }),
    regions: t.stringList({ description: REGIONS }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Content events about items of councils of any of these kinds' }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'Solution events about solutions in any of these delivery phases' }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'Case study events about case studies with any of these outcomes' }),
    tags: t.stringList({ description: 'Content events carrying any of these tags' }),
    subjectIds: t.globalIDList({ description: 'Events about any of these nodes, or targeting them' }),
  }),
});

const ENDPOINT_FIELDS = {
  url: 'https only; the host must resolve to public addresses',
  eventTypes: 'At least one; only published events are delivered, never draft content',
} as const;

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  description: `A new webhook endpoint (at most ${LIST_CAPS.webhookEndpoints} per council)`,
  fields: (t) => ({
    councilId: t.globalID({ for: [CouncilRef], description: 'Default: your council' }),
    url: t.string({ required: true, description: ENDPOINT_FIELDS.url }),
    eventTypes: t.field({ type: [EventTypeEnum], required: true, description: ENDPOINT_FIELDS.eventTypes }),
    filter: t.field({ type: WebhookEventFilterInput, description: 'What narrows the events. Default: none' }),
    description: t.string({ description: `What it is, for your admins: one line, at most ${LIMITS.summary} characters` }),
    active: t.boolean({ defaultValue: true, description: 'false registers it paused. Default: true' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'Changes to an endpoint; a field left out keeps its value',
  fields: (t) => ({
    id: t.globalID({ for: [WebhookEndpointRef], required: true, description: 'The endpoint' }),
    url: t.string({ description: ENDPOINT_FIELDS.url }),
    eventTypes: t.field({ type: [EventTypeEnum], description: ENDPOINT_FIELDS.eventTypes }),
    filter: t.field({ type: WebhookEventFilterInput, description: 'Replaces the whole filter; null removes it' }),
    description: t.string({ description: `One line, at most ${LIMITS.summary} characters` }),
    active: t.boolean({ description: 'true re-enables a disabled endpoint: its queue is sent from the delivery that failed, in order' }),
  }),
});

const EndpointIdInput = (name: string) => builder.inputType(name, {
  description: 'The endpoint',
  fields: (t) => ({ id: t.globalID({ for: [WebhookEndpointRef], required: true, description: 'An endpoint of a council you administer' }) }),
});

/** The one place a signing secret is ever shown. */
const secretPayload = (name: string) => builder.objectRef<EndpointWithSecret>(name).implement({
  description: 'The endpoint and, this once, its signing secret',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The whsec_ signing secret, shown this once: keep it in the receiving system' }),
    endpoint: t.field({ type: WebhookEndpointRef, description: 'The endpoint', resolve: (created) => created.endpoint }),
  }),
});

interface FilterArgs {
  councilIds?: { id: string }[] | null;
  serviceAreas?: string[] | null;
  regions?: string[] | null;
  councilKinds?: string[] | null;
  phases?: string[] | null;
  outcomes?: string[] | null;
  tags?: string[] | null;
  subjectIds?: { id: string; typename: string }[] | null;
}

function toEndpointFilter(filter: FilterArgs | null | undefined): EndpointFilter | undefined {
  if (!filter) return undefined;
  const { councilIds, serviceAreas, regions, councilKinds, phases, outcomes, tags } = toEventFilter(filter);
  return {
    ...(councilIds?.length ? { councilIds } : {}),
    ...(serviceAreas?.length ? { serviceAreas } : {}),
    ...(regions?.length ? { regions } : {}),
    ...(councilKinds?.length ? { councilKinds } : {}),
    ...(phases?.length ? { phases } : {}),
    ...(outcomes?.length ? { outcomes } : {}),
    ...(tags?.length ? { tags } : {}),
    ...(filter.subjectIds?.length ? { subjects: filter.subjectIds.map((s) => encodeGlobalId(s.typename, s.id)) } : {}),
  };
}

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: secretPayload('CreateWebhookEndpointPayload'),
    description: 'Council admins: registers an endpoint; it receives events published from now on. The secret is in this payload only',
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.create(ctx.viewer, {
      ...input, councilId: input.councilId?.id, filter: toEndpointFilter(input.filter),
    }),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    description: 'Council admins: changes an endpoint, pauses it (active: false) or re-enables it',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'endpoint', description: 'The endpoint as it is now' } },
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.update(ctx.viewer, input.id.id, {
      ...input, filter: input.filter === null ? {} : toEndpointFilter(input.filter),
    }),
  }),
  rotateWebhookSecret: t.field({
    type: secretPayload('RotateWebhookSecretPayload'),
    description: 'Council admins: issues a new secret; the old one keeps signing beside it for a grace period (24 hours by default)',
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: EndpointIdInput('RotateWebhookSecretInput'), required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.rotateSecret(ctx.viewer, input.id.id),
  }),
  deleteWebhookEndpoint: t.field({
    type: WebhookEndpointRef,
    description: 'Council admins: deletes an endpoint with its delivery log; nothing more is sent to it',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'endpoint', description: 'The endpoint as it was' } },
    args: { input: t.arg({ type: EndpointIdInput('DeleteWebhookEndpointInput'), required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.webhookEndpoints.delete(ctx.viewer, input.id.id),
  }),
}));
