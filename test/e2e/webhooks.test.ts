import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createMember, createTwoCouncils, type People } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { IN_PROCESS_WEBHOOK_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    __typename
    ... on CreateWebhookEndpointPayload { secret endpoint { id url eventTypes active description filter { tags serviceAreas } } }
    ... on ValidationError { code message fields { field message } }
    ... on Error { code message }
  }
}`;
const UPDATE = `mutation($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) {
    __typename
    ... on UpdateWebhookEndpointPayload { endpoint { id active disabledReason } }
    ... on Error { code message }
  }
}`;
const ROTATE = `mutation($id: ID!) {
  rotateWebhookSecret(input: { id: $id }) {
    __typename
    ... on RotateWebhookSecretPayload { secret }
    ... on Error { code message }
  }
}`;
const DELETE = `mutation($id: ID!) {
  deleteWebhookEndpoint(input: { id: $id }) { __typename ... on Error { code } }
}`;
const LOG = `query($slug: String!) {
  council(slug: $slug) {
    webhookEndpoints {
      id active
      deliveries(first: 5) { edges { node { id webhookId position status attemptCount nextAttemptAt attempts { statusCode durationMs error attemptedAt } } } }
    }
  }
}`;
const REDELIVER = `mutation($id: ID!) {
  redeliver(input: { id: $id }) {
    __typename
    ... on RedeliverPayload { delivery { id status attempts { statusCode } } }
    ... on Error { code message }
  }
}`;
const TEST_EVENT = `mutation($id: ID!) {
  sendTestEvent(input: { id: $id }) {
    __typename
    ... on SendTestEventPayload { delivery { position status webhookId attempts { statusCode error } } }
    ... on Error { code message }
  }
}`;

describe.each(testDatabases())('webhooks over GraphQL ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database, IN_PROCESS_WEBHOOK_ENV);
    people = await createTwoCouncils(database.db);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
    await hub?.close();
    await database?.close();
  });

  const register = (input: Record<string, unknown>, token = people.a.admin.token) =>
    hub.gql(CREATE, { input: { eventTypes: ['PROBLEM_CREATED', 'PROBLEM_PUBLISHED', 'PROBLEM_UPDATED'], ...input } }, token)
      .then((r) => r.data!.createWebhookEndpoint);
  const slug = async () => (await database.db.selectFrom('councils').select('slug').where('id', '=', people.a.council.id).executeTakeFirstOrThrow()).slug;

  it('delivers published events signed per Standard Webhooks, and never a draft', async () => {
    const created = await register({ url: receiver.url, description: 'Case management', filter: { tags: ['Potholes'] } });
    expect(created.__typename).toBe('CreateWebhookEndpointPayload');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toMatchObject({ active: true, description: 'Case management', filter: { tags: ['potholes'], serviceAreas: [] } });

    const editor = people.a.editor.viewer;
    const problems = hub.app.services.problems;
    const tagged = await problems.create(editor, { title: 'Potholes reported twice', summary: 'The same pothole comes in by phone and app.', serviceArea: 'highways_transport', tags: ['potholes'] });
    const untagged = await problems.create(editor, { title: 'Street lights out', summary: 'Reports arrive by email.', serviceArea: 'highways_transport' });
    await problems.publish(editor, untagged.id);
    await problems.publish(editor, tagged.id);
    const draft = await problems.create(editor, { title: 'A draft about potholes', summary: 'Not yet ready.', serviceArea: 'highways_transport', tags: ['potholes'] });
    await problems.update(editor, { id: draft.id, version: draft.version, title: 'Still a draft about potholes' });
    await problems.update(editor, { id: tagged.id, version: 2, title: 'Potholes reported three times' });

    await waitFor(() => receiver.received.length >= 2, { what: 'two deliveries' });
    const deliveries = receiver.verified(created.secret);
    expect(deliveries.map((d) => d.body.type)).toEqual(['problem.published', 'problem.updated']);
    const [published] = deliveries;
    expect(published!.body).toMatchObject({
      type: 'problem.published',
      data: { subjectType: 'Problem', subjectId: encodeGlobalId('Problem', tagged.id), councilId: encodeGlobalId('Council', people.a.council.id), councilName: people.a.council.name, url: expect.stringMatching(new RegExp(`^http://localhost:\\d+/problems/${encodeGlobalId('Problem', tagged.id)}$`)), payload: { title: 'Potholes reported twice', tags: ['potholes'], serviceArea: 'HIGHWAYS_TRANSPORT' } },
    });
    expect(new Date(published!.body.timestamp).getTime()).toBeGreaterThan(0);
    expect(published!.id).toMatch(/^msg_/);
    expect(receiver.received[0]!.headers['content-type']).toBe('application/json');
    // Nothing about the draft left the hub, nor any created event (those are drafts too).
    expect(receiver.received.map((r) => r.body).join('\n')).not.toContain('draft about potholes');
    await hub.gql(DELETE, { id: created.endpoint.id }, people.a.admin.token);
  });

  it('keeps the webhook-id across retries, logs every attempt and drains the backlog once the endpoint answers', async () => {
    const flaky = await startWebhookReceiver({ status: 503 });
    const created = await register({ url: flaky.url, eventTypes: ['PROBLEM_PUBLISHED'] });
    const editor = people.a.editor.viewer;
    for (const title of ['Bulky waste bookings by phone', 'Garden waste renewals by letter', 'Clinical waste rounds on paper']) {
      const p = await hub.app.services.problems.create(editor, { title, summary: 'Generated by the webhook test.', serviceArea: 'waste' });
      await hub.app.services.problems.publish(editor, p.id);
    }
    await waitFor(() => flaky.received.length >= 3, { what: 'three failed attempts' });
    // Only the first event is attempted while it fails: order per endpoint holds.
    expect(new Set(flaky.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    flaky.answer(200);
    await waitFor(() => new Set(flaky.received.map((r) => r.headers['webhook-id'])).size === 3, { what: 'the backlog to drain' });
    const seen = flaky.verified(created.secret).map((d) => d.body.data.payload.title);
    expect([...new Set(seen)]).toEqual(['Bulky waste bookings by phone', 'Garden waste renewals by letter', 'Clinical waste rounds on paper']);

    const logOf = async () => {
      const log = await hub.gql(LOG, { slug: await slug() }, people.a.admin.token);
      const endpoint = log.data.council.webhookEndpoints.find((e: any) => e.id === created.endpoint.id);
      return endpoint.deliveries.edges.map((e: any) => e.node);
    };
    // The receiver may have answered before the hub recorded the last attempt.
    await waitFor(async () => (await logOf()).every((n: any) => n.status === 'SUCCEEDED'), { what: 'the log to show every delivery succeeded' });
    const nodes = await logOf();
    expect(nodes).toHaveLength(3);
    const first = nodes[2];
    expect(first.attempts.length).toBeGreaterThanOrEqual(3);
    expect(first.attempts.slice(0, -1).every((a: any) => a.statusCode === 503 && a.error === 'HTTP 503')).toBe(true);
    expect(first.attempts.at(-1)).toMatchObject({ statusCode: 200, error: null });
    expect(first.attempts.every((a: any) => a.durationMs >= 0)).toBe(true);
    expect(first.nextAttemptAt).toBeNull();
    const firstIds = flaky.received.filter((r) => JSON.parse(r.body).data.position === first.position).map((r) => r.headers['webhook-id']);
    expect(new Set(firstIds)).toEqual(new Set([first.webhookId]));

    // redeliver sends a delivered one again, with the same webhook-id.
    const before = flaky.received.length;
    const again = await hub.gql(REDELIVER, { id: first.id }, people.a.admin.token);
    expect(again.data.redeliver).toMatchObject({ __typename: 'RedeliverPayload', delivery: { status: 'SUCCEEDED' } });
    expect(flaky.received.length).toBe(before + 1);
    expect(flaky.received.at(-1)!.headers['webhook-id']).toBe(first.webhookId);

    const test = await hub.gql(TEST_EVENT, { id: created.endpoint.id }, people.a.admin.token);
    expect(test.data.sendTestEvent).toMatchObject({ __typename: 'SendTestEventPayload', delivery: { position: null, status: 'SUCCEEDED', attempts: [{ statusCode: 200, error: null }] } });
    expect(flaky.verified(created.secret).at(-1)!.body).toMatchObject({ type: 'webhook.test' });
    await flaky.stop();
    await hub.gql(DELETE, { id: created.endpoint.id }, people.a.admin.token);
  });

  it('sends a delivery again without the words of an item hidden since', async () => {
    // A receiver of its own: the shared one holds deliveries signed with other secrets.
    const own = await startWebhookReceiver();
    const created = await register({ url: own.url, eventTypes: ['PROBLEM_PUBLISHED'] });
    const editor = people.a.editor.viewer;
    const problem = await hub.app.services.problems.create(editor, { title: 'Noise complaints from 12 Acacia Avenue', summary: 'A resident named in full.', serviceArea: 'licensing_protection' });
    await hub.app.services.problems.publish(editor, problem.id);
    await waitFor(() => own.verified(created.secret).some((d) => d.body.data.payload.title === 'Noise complaints from 12 Acacia Avenue'), { what: 'the delivery' });
    const moderator = await createMember(database.db, people.b.council.id, 'member', true);
    const hidden = await hub.gql(`mutation($input: HideContentInput!) { hideContent(input: $input) { __typename } }`,
      { input: { subjectId: encodeGlobalId('Problem', problem.id), reason: 'Names a resident' } }, moderator.token);
    expect(hidden.data.hideContent.__typename).toBe('HideContentPayload');
    const log = await hub.gql(LOG, { slug: await slug() }, people.a.admin.token);
    const delivery = log.data.council.webhookEndpoints.find((e: any) => e.id === created.endpoint.id).deliveries.edges[0].node;
    expect((await hub.gql(REDELIVER, { id: delivery.id }, people.a.admin.token)).data.redeliver.__typename).toBe('RedeliverPayload');
    const again = own.verified(created.secret).at(-1)!;
    expect(again.id).toBe(delivery.webhookId);
    expect(again.body).toMatchObject({ type: 'problem.published', data: { subjectId: encodeGlobalId('Problem', problem.id), payload: { serviceArea: 'LICENSING_PROTECTION' } } });
    expect(JSON.stringify(again.body)).not.toMatch(/Acacia|resident named/i);
    await hub.gql(DELETE, { id: created.endpoint.id }, people.a.admin.token);
    await own.stop();
  });

  it('signs with the old and the new secret during the grace period after a rotation', async () => {
    const created = await register({ url: receiver.url, eventTypes: ['PROBLEM_PUBLISHED'] });
    const rotated = await hub.gql(ROTATE, { id: created.endpoint.id }, people.a.admin.token);
    const fresh = rotated.data.rotateWebhookSecret.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(created.secret);
    const from = receiver.received.length;
    const test = await hub.gql(TEST_EVENT, { id: created.endpoint.id }, people.a.admin.token);
    expect(test.data.sendTestEvent.delivery.status).toBe('SUCCEEDED');
    const delivery = receiver.received[from]!;
    expect(String(delivery.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [created.secret, fresh]) {
      expect(new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
    }
    await hub.gql(DELETE, { id: created.endpoint.id }, people.a.admin.token);
  });

  it('lets council admins only manage endpoints, with typed errors for bad input', async () => {
    const editor = await register({ url: receiver.url }, people.a.editor.token);
    expect(editor).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const anonymous = await register({ url: receiver.url }, ''); // no Authorization header
    expect(anonymous.__typename).toBe('UnauthenticatedError');
    const bad = await register({ url: 'ftp://example.org/hooks', eventTypes: [], description: 'x'.repeat(1_001) });
    expect(bad.__typename).toBe('ValidationError');
    expect(bad.fields.map((f: any) => f.field).sort()).toEqual(['description', 'eventTypes', 'url']);

    const mine = await register({ url: receiver.url });
    const otherAdmin = people.b.admin.token;
    for (const result of [
      (await hub.gql(UPDATE, { input: { id: mine.endpoint.id, active: false } }, otherAdmin)).data.updateWebhookEndpoint,
      (await hub.gql(ROTATE, { id: mine.endpoint.id }, otherAdmin)).data.rotateWebhookSecret,
      (await hub.gql(DELETE, { id: mine.endpoint.id }, otherAdmin)).data.deleteWebhookEndpoint,
      (await hub.gql(TEST_EVENT, { id: mine.endpoint.id }, otherAdmin)).data.sendTestEvent,
    ]) expect(result.__typename).toBe('ForbiddenError');
    const theirs = await hub.gql(LOG, { slug: await slug() }, otherAdmin);
    expect(theirs.data.council.webhookEndpoints).toBeNull();
    const missing = await hub.gql(DELETE, { id: encodeGlobalId('WebhookEndpoint', '00000000-0000-4000-8000-000000000000') }, people.a.admin.token);
    expect(missing.data.deleteWebhookEndpoint.__typename).toBe('NotFoundError');
    const deleted = await hub.gql(DELETE, { id: mine.endpoint.id }, people.a.admin.token);
    expect(deleted.data.deleteWebhookEndpoint.__typename).toBe('DeleteWebhookEndpointPayload');
  });
});
