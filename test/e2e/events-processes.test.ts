import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoCouncils, type People } from '../support/factories.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { readMetric, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { waitFor } from '../support/wait-for.js';

const EVENTS = `subscription { events { position type subjectId visibility subject { id ... on Problem { title } } } }`;
const PUBLISHED = `subscription { problemPublished { position subjectId } }`;
const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { ... on PublishProblemPayload { problem { id } } } }`;

async function gql(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: any; errors?: unknown[] };
}

// Several server processes share one PostgreSQL; only the database connects them. The poll
// is set to an hour, so an event that arrives in time came through NOTIFY/LISTEN.
describe('fan-out across server processes on one PostgreSQL', () => {
  let database: TestDatabaseHandle;
  let a: ServerProcess;
  let b: ServerProcess;
  let people: People;
  const open: TestSubscription[] = [];

  beforeAll(async () => {
    database = await postgresDatabase.create();
    people = await createTwoCouncils(database.db);
    const env = { DATABASE_URL: database.url!, EVENT_POLL_INTERVAL_MS: '3600000' };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.close();
  });

  async function publishThrough(server: ServerProcess, title: string): Promise<string> {
    const created = await gql(server.url, CREATE, { input: { title, summary: 'Cross-process.', serviceArea: 'HOUSING' } }, people.a.member.token);
    const id = created.data.createProblem.problem.id;
    const published = await gql(server.url, PUBLISH, { id }, people.a.editor.token);
    expect(published.data.publishProblem.problem.id).toBe(id);
    return id;
  }

  async function subscribeOn(server: ServerProcess) {
    const before = await readMetric(server.url, 'cc_event_tail_listeners');
    const subs = {
      member: subscribeWs(server.url, EVENTS, {}, people.a.member.token),
      other: subscribeWs(server.url, EVENTS, {}, people.b.member.token),
      sse: subscribeSse(server.url, PUBLISHED),
    };
    open.push(...Object.values(subs));
    // Live-only subscriptions start at the tail's position: wait until they are attached.
    await waitFor(async () => await readMetric(server.url, 'cc_event_tail_listeners') === before + 3, { what: 'subscribers attached' });
    return subs;
  }

  it('delivers an event published through process A to WebSocket and SSE subscribers on process B, and back', async () => {
    const onB = await subscribeOn(b);
    const first = await publishThrough(a, 'Published through A');
    await waitFor(() => onB.member.received.length === 2 && onB.sse.received.length === 1 && onB.other.received.length === 1,
      { timeoutMs: 20_000, what: 'the events on B' });
    expect(onB.member.received.map((d) => [d.events.type, d.events.subjectId])).toEqual([['PROBLEM_CREATED', first], ['PROBLEM_PUBLISHED', first]]);
    expect(onB.member.received[1].events.subject.title).toBe('Published through A');
    // The other council hears the publication, never the draft.
    expect(onB.other.received.map((d) => d.events.type)).toEqual(['PROBLEM_PUBLISHED']);
    expect(onB.sse.received[0].problemPublished.subjectId).toBe(first);

    const onA = await subscribeOn(a);
    const second = await publishThrough(b, 'Published through B');
    await waitFor(() => onA.sse.received.length === 1 && onB.sse.received.length === 2, { timeoutMs: 20_000, what: 'B\'s event on A and B' });
    expect(onA.sse.received[0].problemPublished.subjectId).toBe(second);
    expect(onB.sse.received[1].problemPublished.subjectId).toBe(second);
  });

  it('keeps fanning out after the LISTEN connections are killed (as in a database restart)', async () => {
    const onB = await subscribeOn(b);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const killed = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'cc-event-signal' and datname = current_database()`);
    await admin.end();
    expect(killed.rowCount).toBe(2);
    const id = await publishThrough(a, 'After the LISTEN connections dropped');
    await waitFor(() => onB.sse.received.length === 1, { timeoutMs: 20_000, what: 'the event after reconnecting' });
    expect(onB.sse.received[0].problemPublished.subjectId).toBe(id);
    await waitFor(() => b.logs.some((l) => String(l.msg).includes('LISTEN connection dropped')), { what: 'the reconnect log' });
  });
});
