import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeAfterEach, subscribeSse, subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// 1 (events) + 1 (subject) + 50 (solutions at their cap) = 52 per event, per document.
const documents = ['position', 'type', 'occurredAt'].map((field) => `subscription { events { ${field} subject { ... on Problem { solutions { id } } } } }`);
const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { ... on PublishProblemPayload { problem { id } } } }`;

// Issue 12, finding 2, over SSE: WebSocket subscriptions paid for each event, but the same
// documents over HTTP (text/event-stream) were costed once and then ran free for every event.
describe.each(testDatabases())('subscription events over SSE pay their cost on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  const hubs: TestApp[] = [];
  const track = closeAfterEach();
  const now = Date.parse('2025-01-01T09:00:00Z');

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
    await database?.close();
  });

  async function start(env: Record<string, string>) {
    // The clock stands still, so no allowance refills during a test.
    const hub = await startTestApp(database, env, { clock: () => now });
    hubs.push(hub);
    return hub;
  }
  async function publishProblem(hub: TestApp) {
    const created = await hub.gql(CREATE, { input: { title: 'Fly-tipping behind the leisure centre', summary: 'Reported weekly.', serviceArea: 'WASTE' } }, people.a.member.token);
    await hub.gql(PUBLISH, { id: created.data.createProblem.problem.id }, people.a.editor.token);
  }
  const codes = (subs: TestSubscription[]) => subs.flatMap((sub) => sub.errors.map((e: any) => e?.extensions?.code));
  const delivered = (subs: TestSubscription[]) => subs.reduce((n, sub) => n + sub.received.length, 0);

  it('ends SSE subscriptions that overspend their request\'s allowance with LIMIT_EXCEEDED', async () => {
    const hub = await start({ SUBSCRIPTION_COST_PER_CONNECTION: '1', SUBSCRIPTION_COST_PER_CONNECTION_BURST: '150' });
    const sub = track(subscribeSse(hub.url, documents[0]!));
    await sub.ready;
    // 150 buys two events at 52; the third ends the stream.
    for (let i = 0; i < 3; i++) await publishProblem(hub);
    await waitFor(() => sub.ended, { what: 'the stream to end' });
    expect(sub.received).toHaveLength(2);
    expect(codes([sub])).toEqual(['LIMIT_EXCEEDED']);
  });

  it('shares one allowance between a client\'s SSE streams and its WebSockets, whatever the documents', async () => {
    const hub = await start({ SUBSCRIPTION_COST_PER_CLIENT: '1', SUBSCRIPTION_COST_PER_CLIENT_BURST: '120' });
    const token = people.b.member.token;
    const subs = [
      track(subscribeSse(hub.url, documents[0]!, {}, token)),
      track(subscribeSse(hub.url, documents[1]!, {}, token)),
      track(subscribeWs(hub.url, documents[2]!, {}, token)),
    ];
    await Promise.all(subs.map((sub) => sub.ready));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publishProblem(hub);
    await publishProblem(hub);
    await waitFor(() => subs.every((sub) => sub.ended), { what: 'every subscription to end' });
    // 120 pays for two of the three deliveries of the first event, none after.
    expect(delivered(subs)).toBe(2);
    expect(codes(subs)).toEqual(['LIMIT_EXCEEDED', 'LIMIT_EXCEEDED', 'LIMIT_EXCEEDED']);
    // Another client's allowance is its own.
    const other = track(subscribeSse(hub.url, documents[0]!, {}, people.a.member.token));
    await other.ready;
    await publishProblem(hub);
    await waitFor(() => other.received.length === 1, { what: 'the other client\'s event' });
  });
});
