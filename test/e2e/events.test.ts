import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeAfterEach, subscribeSse, subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { closeHub, openHub, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const EVENT_FIELDS = `position type occurredAt visibility subjectId payload council { slug }
  subject { id ... on Problem { title visibility } }`;
const EVENTS = `subscription($after: Position, $filter: EventFilterInput) { events(after: $after, filter: $filter) { ${EVENT_FIELDS} } }`;
const PROBLEM_PUBLISHED = `subscription($after: Position) { problemPublished(after: $after) { ${EVENT_FIELDS} } }`;
const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { ... on PublishProblemPayload { problem { id } } } }`;
const LOG = `query($after: String, $first: Int, $last: Int, $before: String, $filter: EventFilterInput) {
  events(after: $after, first: $first, last: $last, before: $before, filter: $filter) {
    edges { cursor node { position type visibility council { slug } } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

const input = (title: string, extra: Record<string, unknown> = {}) => ({
  title, summary: 'Residents report it by phone and we re-key it.', serviceArea: 'WASTE', tags: ['bins'], ...extra,
});
const typesOf = (sub: TestSubscription, field = 'events') => sub.received.map((d) => d[field].type);

describe.each(testDatabases())('event subscriptions and the event log on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const track = closeAfterEach();

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const head = async () => hub.app.tail.position;
  async function createProblem(title: string, token = people.a.member.token, extra = {}) {
    const res = await hub.gql(CREATE, { input: input(title, extra) }, token);
    expect(res.errors).toBeUndefined();
    return res.data.createProblem.problem.id as string;
  }
  const publish = (id: string, token = people.a.editor.token) => hub.gql(PUBLISH, { id }, token);

  it('delivers events over WebSocket with position, type, time, subject, council and payload', async () => {
    const after = await head();
    const sub = track(subscribeWs(hub.url, EVENTS, { after }, people.a.member.token));
    const id = await createProblem('Fly-tipping reports arrive by email');
    await publish(id);
    await waitFor(() => sub.received.length >= 2, { what: 'two events' });
    const [created, published] = sub.received.map((d) => d.events);
    expect(created).toMatchObject({ type: 'PROBLEM_CREATED', visibility: 'DRAFT', subjectId: id, council: { slug: people.a.council.slug } });
    expect(created.subject).toMatchObject({ id, title: 'Fly-tipping reports arrive by email' });
    expect(created.payload).toMatchObject({ v: 1, title: 'Fly-tipping reports arrive by email', serviceArea: 'WASTE', tags: ['bins'] });
    expect(published).toMatchObject({ type: 'PROBLEM_PUBLISHED', visibility: 'PUBLISHED' });
    expect(published.position).toBeGreaterThan(created.position);
    expect(created.position).toBeGreaterThan(after);
    expect(Date.parse(published.occurredAt)).not.toBeNaN();
    expect(sub.errors).toEqual([]);
  });

  it('delivers over Server-Sent Events, replaying from a position and then going live', async () => {
    const first = await createProblem('Blue badge renewals on paper');
    await publish(first);
    const log = await hub.gql(LOG, { last: 1, filter: { types: ['PROBLEM_PUBLISHED'] } });
    const before = log.data.events.edges[0].node.position - 1;
    const sub = track(subscribeSse(hub.url, PROBLEM_PUBLISHED, { after: before }));
    expect(await sub.status).toBe(200);
    await waitFor(() => sub.received.length === 1, { what: 'the replayed event' });
    const second = await createProblem('Garden waste renewals');
    await publish(second);
    await waitFor(() => sub.received.length === 2, { what: 'the live event' });
    expect(sub.received.map((d) => d.problemPublished.subjectId)).toEqual([first, second]);
    expect(typesOf(sub, 'problemPublished')).toEqual(['PROBLEM_PUBLISHED', 'PROBLEM_PUBLISHED']);
  });

  it("never shows a council's drafts to another council or to anonymous subscribers, on any transport", async () => {
    const after = await head();
    const subscribers = {
      aWs: track(subscribeWs(hub.url, EVENTS, { after }, people.a.member.token)),
      bWs: track(subscribeWs(hub.url, EVENTS, { after }, people.b.admin.token)),
      bSse: track(subscribeSse(hub.url, EVENTS, { after }, people.b.admin.token)),
      anonWs: track(subscribeWs(hub.url, EVENTS, { after })),
      anonSse: track(subscribeSse(hub.url, EVENTS, { after })),
    };
    const draft = await createProblem('Draft: housing repairs backlog');
    const shared = await createProblem('Published: housing repairs triage');
    await publish(shared);
    await waitFor(() => subscribers.aWs.received.length === 3, { what: "council A's three events" });
    for (const sub of [subscribers.bWs, subscribers.bSse, subscribers.anonWs, subscribers.anonSse]) {
      await waitFor(() => sub.received.length === 1, { what: 'the published event' });
    }
    // A marker event after everything else: once it arrives, nothing earlier can still come.
    const marker = await createProblem('Marker from council B', people.b.member.token);
    await waitFor(() => subscribers.bWs.received.length === 2 && subscribers.bSse.received.length === 2);
    for (const sub of [subscribers.bWs, subscribers.bSse, subscribers.anonWs, subscribers.anonSse]) {
      const ids = sub.received.map((d) => d.events.subjectId);
      expect(ids).not.toContain(draft);
      expect(sub.received.every((d) => d.events.visibility === 'PUBLISHED' || d.events.council.slug === people.b.council.slug)).toBe(true);
    }
    expect(subscribers.anonWs.received.map((d) => d.events.subjectId)).not.toContain(marker);
    expect(subscribers.aWs.received.map((d) => d.events.subjectId)).toEqual([draft, shared, shared]);

    const logFor = async (token?: string) =>
      (await hub.gql(LOG, { after: String(after), first: 100 }, token)).data.events.edges.map((e: any) => e.node);
    expect((await logFor(people.b.member.token)).some((e: any) => e.visibility === 'DRAFT' && e.council.slug === people.a.council.slug)).toBe(false);
    expect((await logFor()).every((e: any) => e.visibility === 'PUBLISHED')).toBe(true);
    expect((await logFor(people.a.member.token)).filter((e: any) => e.visibility === 'DRAFT')).toHaveLength(2);
  });

  it('ends open SSE streams on shutdown, so the server drains without waiting out its grace period', async () => {
    const second = await startTestApp(database);
    const sse = subscribeSse(second.url, EVENTS, { after: await head() });
    expect(await sse.status).toBe(200);
    const started = Date.now();
    await second.app.close(30_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    await waitFor(() => sse.ended, { what: 'the SSE stream to end' });
    expect(sse.errors).toEqual([]);
  });

  it('closes the WebSocket with 4403 Forbidden for an invalid token, and answers SSE with 401', async () => {
    const sub = subscribeWs(hub.url, EVENTS, {}, 'cc_' + 'A'.repeat(43));
    const closed = new Promise<number>((resolve) => sub.client.on('closed', (event) => resolve((event as { code: number }).code)));
    expect(await closed).toBe(4403);
    await sub.close();
    const raw = new WebSocket(`${hub.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer not-a-token' } }));
    const [code] = await new Promise<[number]>((resolve) => raw.once('close', (c) => resolve([c])));
    expect(code).toBe(4403);
    const sse = subscribeSse(hub.url, EVENTS, {}, 'cc_' + 'B'.repeat(43));
    expect(await sse.status).toBe(401);
    await sse.close();
  });

  it('filters by type, service area, tag, council and subject, live and in the log alike', async () => {
    const after = await head();
    const council = Buffer.from(`Council:${people.b.council.id}`).toString('base64url');
    const filters = {
      byType: { types: ['PROBLEM_PUBLISHED'] },
      byArea: { serviceAreas: ['HOUSING'] },
      byTag: { tags: ['Damp'] },
      byCouncil: { councilIds: [council] },
    };
    const subs = Object.fromEntries(Object.entries(filters).map(([name, filter]) =>
      [name, track(subscribeWs(hub.url, EVENTS, { after, filter }, people.b.member.token))]));
    const housing = await createProblem('Damp and mould reports', people.b.member.token, { serviceArea: 'HOUSING', tags: ['damp'] });
    await publish(housing, people.b.editor.token);
    const waste = await createProblem('Missed bins', people.a.member.token);
    await publish(waste);
    const bySubject = track(subscribeWs(hub.url, EVENTS, { after, filter: { subjectIds: [housing] } }, people.b.member.token));
    await waitFor(() => bySubject.received.length === 2 && subs.byType!.received.length === 2, { what: 'filtered events' });
    const seen = (sub: TestSubscription) => sub.received.map((d) => `${d.events.type}:${d.events.subjectId === housing ? 'housing' : 'waste'}`);
    expect(seen(subs.byType!)).toEqual(['PROBLEM_PUBLISHED:housing', 'PROBLEM_PUBLISHED:waste']);
    for (const name of ['byArea', 'byTag', 'byCouncil']) {
      await waitFor(() => subs[name]!.received.length === 2);
      expect(seen(subs[name]!), name).toEqual(['PROBLEM_CREATED:housing', 'PROBLEM_PUBLISHED:housing']);
    }
    expect(seen(bySubject)).toEqual(['PROBLEM_CREATED:housing', 'PROBLEM_PUBLISHED:housing']);
    for (const [name, filter] of Object.entries(filters)) {
      const log = await hub.gql(LOG, { after: String(after), first: 10, filter }, people.b.member.token);
      expect(log.data.events.edges.map((e: any) => e.node.position), name)
        .toEqual(subs[name]!.received.map((d) => d.events.position));
    }
  });

  it('matches commentAdded by the node the comment is on, and keeps comments on drafts in the council', async () => {
    const problem = await createProblem('Street lighting faults');
    await publish(problem);
    const other = await createProblem('Potholes');
    await publish(other);
    const draft = await createProblem('Draft: lighting contract');
    const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) { __typename } }`;
    const COMMENTS = `subscription($id: ID!, $after: Position) { commentAdded(subjectId: $id, after: $after) { type subjectId payload } }`;
    const after = await head();
    const onProblem = track(subscribeWs(hub.url, COMMENTS, { id: problem, after }));
    const onDraftOutside = track(subscribeWs(hub.url, COMMENTS, { id: draft, after }, people.b.member.token));
    const onDraftInside = track(subscribeWs(hub.url, COMMENTS, { id: draft, after }, people.a.editor.token));
    await hub.gql(ADD, { input: { subjectId: other, body: 'Not this one' } }, people.b.member.token);
    await hub.gql(ADD, { input: { subjectId: draft, body: 'Inside the council' } }, people.a.member.token);
    await hub.gql(ADD, { input: { subjectId: problem, body: 'Same here' } }, people.b.member.token);
    await waitFor(() => onProblem.received.length === 1 && onDraftInside.received.length === 1, { what: 'the comments' });
    // The target is named in the API's own terms: its type name and global id.
    expect(onProblem.received[0].commentAdded).toMatchObject({ type: 'COMMENT_ADDED', payload: { body: 'Same here', target: { type: 'Problem', id: problem } } });
    expect(onDraftOutside.received).toEqual([]);
  });

  it('pages through the log forwards and backwards with position cursors, and rejects bad cursors', async () => {
    const after = await head();
    for (let i = 0; i < 5; i++) await createProblem(`Paging ${i}`);
    const forward: number[] = [];
    let cursor: string | null = String(after);
    for (;;) {
      const res: any = await hub.gql(LOG, { after: cursor, first: 2 }, people.a.member.token);
      forward.push(...res.data.events.edges.map((e: any) => e.node.position));
      if (!res.data.events.pageInfo.hasNextPage) break;
      cursor = res.data.events.pageInfo.endCursor;
    }
    expect(forward).toHaveLength(5);
    expect([...forward].sort((x, y) => x - y)).toEqual(forward);
    const last = await hub.gql(LOG, { last: 2, before: String(forward[4]) }, people.a.member.token);
    expect(last.data.events.edges.map((e: any) => e.node.position)).toEqual(forward.slice(2, 4));
    const bad = await hub.gql(LOG, { after: 'not-a-position', first: 1 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const negative = track(subscribeWs(hub.url, EVENTS, { after: -1 }));
    await waitFor(() => negative.ended, { what: 'the rejected subscription' });
    expect(JSON.stringify(negative.errors)).toMatch(/Position/);
  });
});
