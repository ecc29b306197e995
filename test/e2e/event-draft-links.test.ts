import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { insertContent } from '../support/content-rows.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import type { People } from '../support/factories.js';
import { closeAfterEach, subscribeSse, subscribeWs } from '../support/subscribers.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { IN_PROCESS_WEBHOOK_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// From a position read first: `ready` says the socket is up, not that the subscription has started.
const UPDATES = `subscription($after: Position) { events(filter: { types: [CASE_STUDY_UPDATED] }, after: $after) { type visibility payload } }`;
const REGISTER = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { __typename ... on CreateWebhookEndpointPayload { secret } }
}`;

// Issue 12, finding 4: a published case study's update named the drafts it was linked to,
// so other councils learnt their ids through subscriptions and webhooks.
describe.each(testDatabases())('published events name no draft on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let receiver: WebhookReceiver;
  const track = closeAfterEach();

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(engine, IN_PROCESS_WEBHOOK_ENV));
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
    await closeHub(hub, database);
  });

  it('leaves a published case study\'s draft links out of its update event, over WebSocket, SSE and webhooks', async () => {
    const registered = await hub.gql(REGISTER, { input: { url: receiver.url, eventTypes: ['CASE_STUDY_UPDATED'] } }, people.b.admin.token);
    expect(registered.data.createWebhookEndpoint.__typename).toBe('CreateWebhookEndpointPayload');
    const last = await database.db.selectFrom('outbox_events').select((eb) => eb.fn.max('position').as('position')).executeTakeFirstOrThrow();
    const after = { after: Number(last.position ?? 0) };
    const ws = track(subscribeWs(hub.url, UPDATES, after, people.b.member.token));
    const sse = track(subscribeSse(hub.url, UPDATES, after));
    const own = track(subscribeWs(hub.url, UPDATES, after, people.a.member.token));
    await Promise.all([ws.ready, sse.ready, own.ready]);

    const editor = people.a.editor.viewer;
    const draftProblem = await insertContent(database.db, 'problems', people.a.admin, 'draft', 'A draft problem at A');
    const draftSolution = await insertContent(database.db, 'solutions', people.a.admin, 'draft', 'A draft solution at A');
    const publicProblem = await insertContent(database.db, 'problems', people.a.admin, 'published', 'A published problem at A');
    const caseStudies = hub.app.services.caseStudies;
    const created = await caseStudies.create(editor, {
      title: 'Online garden waste renewals', summary: 'What a year of online renewals did.', serviceArea: 'waste', outcome: 'worked',
    });
    const published = await caseStudies.publish(editor, created.id);
    await caseStudies.update(editor, {
      id: created.id, version: published.version, problemIds: [draftProblem, publicProblem], solutionIds: [draftSolution],
    });

    await waitFor(() => ws.received.length > 0 && sse.received.length > 0 && own.received.length > 0 && receiver.received.length > 0,
      { what: 'the update on every path' });
    const payloads = [ws, sse, own].map((sub) => sub.received[0].events);
    for (const event of payloads) {
      expect(event).toMatchObject({ type: 'CASE_STUDY_UPDATED', visibility: 'PUBLISHED' });
      expect(event.payload).toMatchObject({ problemIds: [encodeGlobalId('Problem', publicProblem)], solutionIds: [], changed: ['solutionIds', 'problemIds'] });
    }
    const delivered = JSON.parse(receiver.received[0]!.body);
    expect(delivered.data.payload).toMatchObject({ problemIds: [encodeGlobalId('Problem', publicProblem)], solutionIds: [] });
    const everything = JSON.stringify([payloads, receiver.received.map((r) => r.body)]);
    for (const draft of [draftProblem, draftSolution]) {
      expect(everything).not.toContain(draft);
      expect(everything).not.toContain(encodeGlobalId('Problem', draft));
      expect(everything).not.toContain(encodeGlobalId('Solution', draft));
    }
  });

  it('keeps a draft case study\'s links to its council\'s drafts in its events, which only that council sees', async () => {
    const editor = people.a.editor.viewer;
    const draftProblem = await insertContent(database.db, 'problems', people.a.admin, 'draft', 'Another draft problem at A');
    const created = await hub.app.services.caseStudies.create(editor, {
      title: 'Bulky waste bookings online', summary: 'Early days.', serviceArea: 'waste', outcome: 'too_early_to_tell',
    });
    await hub.app.services.caseStudies.update(editor, { id: created.id, version: created.version, problemIds: [draftProblem] });
    const row = await database.db.selectFrom('outbox_events').select(['visibility', 'payload'])
      .where('subject_id', '=', created.id).where('type', '=', 'case_study.updated').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ visibility: 'draft', payload: { problemIds: [draftProblem] } });
  });
});
