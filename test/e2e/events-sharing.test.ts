import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeAfterEach, subscribeWs } from '../support/subscribers.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { ... on PublishProblemPayload { problem { id } } } }`;

// Subscribers with the same document and visibility share one execution per event; these
// tests hold the sharing to what each subscriber alone would have received.
describe.each(testDatabases())('shared subscription executions on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const track = closeAfterEach();

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const head = async () => hub.app.tail.position;
  async function createProblem(title: string, token = people.a.member.token) {
    const res = await hub.gql(CREATE, { input: { title, summary: 'Reported by phone.', serviceArea: 'WASTE', tags: ['bins'] } }, token);
    expect(res.errors).toBeUndefined();
    return res.data.createProblem.problem.id as string;
  }
  const publish = (id: string, token = people.a.editor.token) => hub.gql(PUBLISH, { id }, token);

  it("shows a member only events about their own API tokens, resolved as that member, even in a shared group", async () => {
    const [first, second] = [await createMember(database.db, people.a.council.id, 'member'), await createMember(database.db, people.a.council.id, 'member')];
    const query = `subscription($after: Position) { events(after: $after, filter: { types: [API_TOKEN_CREATED] }) {
      position subject { id ... on ApiToken { label } } } }`;
    const after = await head();
    // The first subscriber's context stands for the group: the second must not see through it.
    const subs = [track(subscribeWs(hub.url, query, { after }, first.token)), track(subscribeWs(hub.url, query, { after }, second.token))];
    // Each member hears only of their own tokens (an admin hears of all of them).
    for (const [member, label] of [[second, 'sync'], [first, 'crm']] as const) {
      const created = await hub.gql(`mutation { createApiToken(input: { label: "${label}" }) { __typename } }`, {}, member.token);
      expect(created.data.createApiToken.__typename).toBe('CreateApiTokenPayload');
    }
    const admin = track(subscribeWs(hub.url, query, { after }, people.a.admin.token));
    await waitFor(() => subs.every((s) => s.received.length === 1) && admin.received.length === 2, { what: 'the token events' });
    expect(subs[0]!.received[0].events.subject).toMatchObject({ label: 'crm' });
    expect(subs[1]!.received[0].events.subject).toMatchObject({ label: 'sync' });
    expect(admin.received.map((r) => r.events.subject.label)).toEqual(['sync', 'crm']);
  });

  it('executes an event once for subscribers in the same scope, whatever their filters; separately across councils', async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(`${hub.url}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    };
    const after = await head();
    const query = `subscription($after: Position, $filter: ContentEventFilterInput) {
      problemPublished(after: $after, filter: $filter) { position subject { id } } }`;
    // Filters and resume positions only choose which events flow; the result of one event is
    // the same for all of council A's members.
    const subs = [
      ...[{}, { serviceAreas: ['WASTE'] }, { tags: ['bins'] }].map((filter) => track(subscribeWs(hub.url, query, { after, filter }, people.a.member.token))),
      track(subscribeWs(hub.url, query, { after }, people.b.member.token)),
    ];
    const executions = await metric('cc_subscription_executions_total');
    const id = await createProblem('Shared execution');
    await publish(id);
    await waitFor(() => subs.every((s) => s.received.length === 1), { what: 'every subscriber' });
    expect(await metric('cc_subscription_executions_total') - executions).toBe(2);
    // A later resume position joins the same group.
    const late = track(subscribeWs(hub.url, query, { after: subs[0]!.received[0].problemPublished.position }, people.a.member.token));
    await publish(await createProblem('Shared execution, second'));
    await waitFor(() => late.received.length === 1 && subs.every((s) => s.received.length === 2), { what: 'the second event' });
    expect(await metric('cc_subscription_executions_total') - executions).toBe(4);
    // The tail's batches are counted, and no transaction is left in flight.
    expect(await metric('cc_event_tail_fanout_events_total')).toBeGreaterThanOrEqual(await metric('cc_event_tail_fanouts_total'));
    expect(await metric('cc_event_tail_fanouts_total')).toBeGreaterThan(0);
    expect(await metric('cc_transactions_in_flight')).toBe(0);
  });
});

describe.each(testDatabases())('events that reach a subscriber together, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const statements: string[] = [];
  const track = closeAfterEach();

  beforeAll(async () => ({ database, hub, people } = await openHub(engine, {}, { onQuery: (text) => statements.push(text) })));
  afterAll(() => closeHub(hub, database));

  it('execute together: a replay of five events loads their subjects and councils with one statement each', async () => {
    const after = hub.app.tail.position;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await hub.gql(CREATE, { input: { title: `Batch ${i}`, summary: 'Reported by phone.', serviceArea: 'WASTE', tags: ['bins'] } }, people.a.editor.token);
      ids.push(created.data.createProblem.problem.id);
      await hub.gql(PUBLISH, { id: ids[i] }, people.a.editor.token);
    }
    statements.length = 0;
    // The replay pushes its page of events at once: the subscriber takes them as one batch.
    const sub = track(subscribeWs(hub.url, `subscription($after: Position) { problemPublished(after: $after) {
      position subjectId subject { id ... on Problem { title } } council { name } } }`, { after }));
    await waitFor(() => sub.received.length === 5, { what: 'the five replayed events' });
    expect(sub.received.map((d) => d.problemPublished.subjectId)).toEqual(ids);
    expect(sub.received.map((d) => d.problemPublished.subject.title)).toEqual(['Batch 0', 'Batch 1', 'Batch 2', 'Batch 3', 'Batch 4']);
    expect(sub.received.every((d) => d.problemPublished.council.name === people.a.council.name)).toBe(true);
    const reads = (table: string) => statements.filter((text) => new RegExp(`from "${table}"`).test(text)).length;
    expect(reads('problems')).toBe(1);
    expect(reads('councils')).toBe(1);
  });
});
