import type { FieldError } from './form-fields.js';
import { FormError } from './forms.js';
import type { Outcome, PageRequest, PageRoute } from './page-request.js';
import {
  deleteEndpointPage, notWebhookAdminPage, WEBHOOK_EVENT_TYPES, WEBHOOKS_QUERY, webhooksPage, type EndpointAnswers, type WebhooksData,
} from './pages/webhooks-page.js';
import { postedForm } from './write/posted-form.js';

const ERRORS = `... on ValidationError { message fields { field message } } ... on Error { message }`;
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { result: createWebhookEndpoint(input: $input) { __typename ${ERRORS} ... on CreateWebhookEndpointPayload { secret endpoint { url } } } }`;
const UPDATE = `mutation($input: UpdateWebhookEndpointInput!) { result: updateWebhookEndpoint(input: $input) { __typename ${ERRORS} } }`;
const TEST = `mutation($input: SendTestEventInput!) { result: sendTestEvent(input: $input) { __typename ${ERRORS} } }`;
const DELETE = `mutation($input: DeleteWebhookEndpointInput!) { result: deleteWebhookEndpoint(input: $input) { __typename ${ERRORS} } }`;
const ACTIONS = {
  pause: { document: UPDATE, input: (id: string) => ({ id, active: false }), success: 'UpdateWebhookEndpointPayload' },
  resume: { document: UPDATE, input: (id: string) => ({ id, active: true }), success: 'UpdateWebhookEndpointPayload' },
  test: { document: TEST, input: (id: string) => ({ id }), success: 'SendTestEventPayload' },
  delete: { document: DELETE, input: (id: string) => ({ id }), success: 'DeleteWebhookEndpointPayload' },
} as const;
const KNOWN_TYPES = new Set(WEBHOOK_EVENT_TYPES.map((t) => t.value));
const FIELD_LABELS: Record<string, string> = { url: 'Address', description: 'Description', eventTypes: 'Events' };

type Result = { __typename: string; message?: string; fields?: { field: string; message: string }[]; secret?: string; endpoint?: { url: string } };

/**
 * A council admin's webhook endpoints (/council/webhooks): add one (the API checks the
 * address, SSRF included, and answers the signing secret this once), pause, turn back on,
 * send a test event, delete, and see recent deliveries. The API decides who may.
 */
export function createWebhookRoutes(): PageRoute {
  return async (request) => {
    const path = request.url.pathname;
    const get = request.req.method !== 'POST';
    if (get && (path === '/council/webhooks' || path === '/council/webhooks/delete')) {
      if (!request.session) return { redirect: '/sign-in' };
      return path === '/council/webhooks' ? show(request) : confirmDelete(request, request.url.searchParams.get('endpoint') ?? '');
    }
    const action = /^\/council\/webhooks\/(add|pause|resume|test|delete)$/.exec(path)?.[1];
    if (!action || get) return null;
    const { form } = await postedForm(request);
    if (action === 'add') return add(request, form);
    const { document, input, success } = ACTIONS[action as keyof typeof ACTIONS];
    const { result } = await request.data<{ result: Result }>(request.server, document, { input: input(form.get('endpoint') ?? '') });
    // A failed test delivery is still a delivery (the payload says FAILED): the log shows its error.
    if (result.__typename === success) return { redirect: '/council/webhooks' };
    if (result.__typename === 'ForbiddenError') return { status: 403, view: notWebhookAdminPage(request.session!.council.name) };
    throw new FormError(400, result.message ?? 'the change was refused');
  };
}

async function councilOf(request: PageRequest) {
  const council = (await request.data<WebhooksData>(request.server, WEBHOOKS_QUERY)).viewer.council;
  return council?.viewerCanAdminister && council.webhookEndpoints ? { ...council, webhookEndpoints: council.webhookEndpoints } : null;
}

async function show(request: PageRequest, answers?: EndpointAnswers, errors: FieldError[] = [], created?: { url: string; secret: string }): Promise<Outcome> {
  const council = await councilOf(request);
  if (!council) return { status: 403, view: notWebhookAdminPage(request.session!.council.name) };
  return { status: errors.length ? 400 : 200, view: webhooksPage(request.session!, council, council.webhookEndpoints, answers, errors, created) };
}

async function confirmDelete(request: PageRequest, id: string): Promise<Outcome | null> {
  const council = await councilOf(request);
  if (!council) return { status: 403, view: notWebhookAdminPage(request.session!.council.name) };
  const endpoint = council.webhookEndpoints.find((e) => e.id === id);
  return endpoint ? { view: deleteEndpointPage(request.session!, endpoint) } : null;
}

async function add(request: PageRequest, form: URLSearchParams): Promise<Outcome> {
  const answers: EndpointAnswers = {
    url: (form.get('url') ?? '').trim(), description: (form.get('description') ?? '').trim(),
    eventTypes: form.getAll('eventTypes').filter((t) => KNOWN_TYPES.has(t)),
  };
  const errors: FieldError[] = [];
  if (!answers.url) errors.push({ field: 'url', message: 'Enter the address of your system' });
  if (answers.eventTypes.length === 0) errors.push({ field: 'eventTypes', message: 'Select at least one event to send' });
  if (errors.length) return show(request, answers, errors);
  const input = { url: answers.url, eventTypes: answers.eventTypes, ...(answers.description ? { description: answers.description } : {}) };
  const { result } = await request.data<{ result: Result }>(request.server, CREATE, { input });
  // Answered as a page, never a redirect: the secret must not travel in an address.
  if (result.__typename === 'CreateWebhookEndpointPayload') return show(request, undefined, [], { url: result.endpoint!.url, secret: result.secret! });
  if (result.__typename === 'ForbiddenError') return { status: 403, view: notWebhookAdminPage(request.session!.council.name) };
  const refused: FieldError[] = result.fields?.length
    ? result.fields.map((f) => {
      const field = f.field.split('.')[0]!;
      return { field: field in FIELD_LABELS ? field : 'url', message: `${FIELD_LABELS[field] ?? f.field} ${f.message}` };
    })
    : [{ field: 'url', message: result.message ?? 'The endpoint was refused' }];
  return show(request, answers, refused);
}
