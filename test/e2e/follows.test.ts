import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import type { MemberViewer } from '../../server/auth/viewer.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createMember, type People, type TestMember } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { closeAfterEach, subscribeWs } from '../support/subscribers.js';
import { waitFor } from '../support/wait-for.js';

const FOLLOW = `mutation($input: FollowInput!) { follow(input: $input) {
  __typename ... on FollowPayload { follow { id kind email serviceArea council { id } item { id } search { query filter { tags regions councilKinds phases outcomes } } } }
  ... on ValidationError { code fields { field message } } ... on Error { code message } } }`;
const UNFOLLOW = `mutation($id: ID!) { unfollow(input: { id: $id }) { __typename ... on Error { code } } }`;
const INBOX = `query($unread: Boolean) { viewer { notifications(first: 50, unreadOnly: $unread) {
  unreadCount edges { cursor node { id read event { type subjectId } follow { kind } } } } } }`;
const MARK = `mutation($ids: [ID!]!) { markNotificationsRead(input: { ids: $ids }) {
  __typename ... on MarkNotificationsReadPayload { result { unreadCount notifications { id read } } } ... on Error { code } } }`;
const MARK_ALL = `mutation { markAllNotificationsRead(input: {}) { __typename ... on MarkAllNotificationsReadPayload { result { marked unreadCount } } } }`;

const id = (type: string, raw: string) => encodeGlobalId(type, raw);

describe.each(testDatabases())('follows and the inbox ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let outsider: TestMember;
  const track = closeAfterEach();

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(engine, { IN_PROCESS_WORKERS: 'true' }));
    outsider = await createMember(database.db, people.b.council.id, 'member');
  });
  afterAll(() => closeHub(hub, database));

  const services = () => hub.app.services;
  const follow = async (member: TestMember, input: Record<string, unknown>) => {
    const res = await hub.gql(FOLLOW, { input }, member.token);
    expect(res.data.follow.__typename, JSON.stringify(res)).toBe('FollowPayload');
    return res.data.follow.follow;
  };
  const inbox = async (member: TestMember) => (await hub.gql(INBOX, {}, member.token)).data.viewer.notifications;
  /** Publishes a marker problem by someone outside everything and waits until the consumer has passed it. */
  const settled = async () => {
    const marker = await services().problems.create(outsider.viewer, { title: 'Marker', summary: 'marker', serviceArea: 'democracy' });
    const head = Number((await database.db.selectFrom('outbox_events').select((eb) => eb.fn.max('position').as('p')).executeTakeFirstOrThrow()).p);
    await waitFor(async () => Number((await database.db.selectFrom('consumer_cursors').select('position').where('consumer', '=', 'notifications').executeTakeFirst())?.position ?? 0) >= head, { what: `notifications past ${head} (${marker.id})` });
  };
  const positionsOf = async (member: TestMember) => (await database.db.selectFrom('notifications').select('event_position').where('member_id', '=', member.id).execute()).map((r) => Number(r.event_position));
  const problem = (viewer: MemberViewer, fields: Record<string, unknown> = {}) =>
    services().problems.create(viewer, { title: 'Missed bin collections reported by phone', summary: 'Residents phone in missed bins', serviceArea: 'waste', ...fields });

  it('a service area follow hears of items published there, by anyone but the follower, and of no draft', async () => {
    const a = await createMember(database.db, people.a.council.id, 'editor');
    const b = await createMember(database.db, people.b.council.id, 'editor');
    await follow(a, { serviceArea: 'HOUSING' });
    await follow(b, { serviceArea: 'HOUSING' });
    const before = { a: (await positionsOf(a)).length, b: (await positionsOf(b)).length };
    const draft = await problem(people.a.editor.viewer, { serviceArea: 'housing', title: 'Damp and mould repairs tracked in spreadsheets' });
    const published = await services().problems.publish(people.a.editor.viewer, draft.id);
    const own = await problem(a.viewer, { serviceArea: 'housing', title: 'Our own housing problem' });
    await services().problems.publish(a.viewer, own.id);
    const elsewhere = await problem(people.a.editor.viewer, { serviceArea: 'waste' });
    await services().problems.publish(people.a.editor.viewer, elsewhere.id);
    await settled();
    const page = await inbox(a);
    expect(page.edges.map((e: any) => [e.node.event.type, e.node.event.subjectId])).toEqual([['PROBLEM_PUBLISHED', id('Problem', published.id)]]);
    expect(page.edges[0].node.follow.kind).toBe('SERVICE_AREA');
    // b hears of a's publish (published is public) and of a's own problem too, but of no draft event.
    expect((await positionsOf(b)).length - before.b).toBe(2);
    expect((await positionsOf(a)).length - before.a).toBe(1);
  });

  it('a council follow hears of what that council publishes', async () => {
    const b = await createMember(database.db, people.b.council.id);
    await follow(b, { councilId: id('Council', people.a.council.id) });
    const p = await problem(people.a.editor.viewer, { serviceArea: 'planning', title: 'Planning validation backlog' });
    await services().problems.publish(people.a.editor.viewer, p.id);
    const other = await problem(people.b.editor.viewer, { serviceArea: 'planning' });
    await services().problems.publish(people.b.editor.viewer, other.id);
    await settled();
    const page = await inbox(b);
    expect(page.edges.map((e: any) => e.node.event.subjectId)).toEqual([id('Problem', p.id)]);
  });

  it('an item follow hears of comments and changes; council-only events of a draft reach its own council only', async () => {
    const draft = await problem(people.a.editor.viewer, { title: 'Draft about street lighting faults', serviceArea: 'highways_transport' });
    const insider = await createMember(database.db, people.a.council.id);
    await follow(insider, { itemId: id('Problem', draft.id) });
    // The other council cannot follow a draft it cannot see.
    const refused = await hub.gql(FOLLOW, { input: { itemId: id('Problem', draft.id) } }, people.b.member.token);
    expect(refused.data.follow.__typename).toBe('ValidationError');
    const watcher = await createMember(database.db, people.b.council.id);
    await services().comments.add(people.a.editor.viewer, 'problem', draft.id, 'Checking with the lighting contractor');
    await settled();
    expect((await inbox(insider)).edges.map((e: any) => e.node.event.type)).toEqual(['COMMENT_ADDED']);
    const published = await services().problems.publish(people.a.editor.viewer, draft.id);
    await follow(watcher, { itemId: id('Problem', draft.id) });
    await services().comments.add(people.b.editor.viewer, 'problem', published.id, 'We have this too');
    await services().comments.add(watcher.viewer, 'problem', published.id, 'My own comment');
    await settled();
    expect((await inbox(watcher)).edges.map((e: any) => e.node.event.type)).toEqual(['COMMENT_ADDED']);
    expect((await inbox(insider)).edges.map((e: any) => e.node.event.type)).toEqual(['COMMENT_ADDED', 'COMMENT_ADDED', 'PROBLEM_PUBLISHED', 'COMMENT_ADDED']);
  });

  it('a solutions-for follow hears when a solution is linked or a case study about the problem is published', async () => {
    const p = await problem(people.a.editor.viewer, { title: 'Council tax direct debit changes by post', serviceArea: 'revenues_benefits' });
    await services().problems.publish(people.a.editor.viewer, p.id);
    const follower = await createMember(database.db, people.a.council.id);
    await follow(follower, { solutionsForProblemId: id('Problem', p.id) });
    const s = await services().solutions.create(people.b.editor.viewer, { title: 'Online direct debit form', summary: 'A form', serviceArea: 'revenues_benefits', kind: 'software', phase: 'live' });
    await services().solutions.publish(people.b.editor.viewer, s.id);
    await services().solutions.linkSolutionToProblem(people.b.editor.viewer, s.id, p.id);
    const cs = await services().caseStudies.create(people.b.editor.viewer, { title: 'Moving direct debits online', summary: 'What happened', serviceArea: 'revenues_benefits', outcome: 'worked', problemIds: [p.id] });
    await services().caseStudies.publish(people.b.editor.viewer, cs.id);
    // A case study about something else says nothing.
    const unrelated = await services().caseStudies.create(people.b.editor.viewer, { title: 'Unrelated', summary: 'x', serviceArea: 'waste', outcome: 'worked' });
    await services().caseStudies.publish(people.b.editor.viewer, unrelated.id);
    await settled();
    expect((await inbox(follower)).edges.map((e: any) => [e.node.event.type, e.node.follow.kind])).toEqual([
      ['CASE_STUDY_PUBLISHED', 'SOLUTIONS_FOR'], ['SOLUTION_LINKED', 'SOLUTIONS_FOR'],
    ]);
  });

  it('a saved search matches a typo\'d query and a synonym, as search does, and not unrelated items', async () => {
    const typo = await createMember(database.db, people.b.council.id);
    const synonym = await createMember(database.db, people.b.council.id);
    await follow(typo, { search: { query: 'housng repiars' } });
    await follow(synonym, { search: { query: 'SEND transport' } });
    const repairs = await problem(people.a.editor.viewer, { title: 'Housing repairs booked by phone only', summary: 'Tenants cannot book repairs online', serviceArea: 'housing' });
    await services().problems.publish(people.a.editor.viewer, repairs.id);
    const send = await problem(people.a.editor.viewer, { title: 'Special educational needs transport routes planned by hand', summary: 'Home to school transport for children with special educational needs', serviceArea: 'education_send' });
    await services().problems.publish(people.a.editor.viewer, send.id);
    await settled();
    expect((await inbox(typo)).edges.map((e: any) => e.node.event.subjectId)).toEqual([id('Problem', repairs.id)]);
    expect((await inbox(synonym)).edges.map((e: any) => e.node.event.subjectId)).toEqual([id('Problem', send.id)]);
  });

  it('a saved search narrows by region, council type and solution phase, and refuses an unknown region', async () => {
    const watcher = await createMember(database.db, people.b.council.id);
    const saved = await follow(watcher, { search: { query: '', filter: { regions: ['East of England'], councilKinds: ['DISTRICT'], phases: ['LIVE'] } } });
    expect(saved.search.filter).toMatchObject({ regions: ['East of England'], councilKinds: ['DISTRICT'], phases: ['LIVE'], outcomes: [] });
    const solution = (title: string, phase: string) => services().solutions.create(people.a.editor.viewer, { title, summary: 'Crews close reports from the cab.', serviceArea: 'waste', kind: 'software', phase });
    const live = await solution('In-cab app for missed bins', 'live');
    const beta = await solution('Missed bin chatbot', 'beta');
    for (const s of [live, beta]) await services().solutions.publish(people.a.editor.viewer, s.id);
    await settled();
    expect((await inbox(watcher)).edges.map((e: any) => e.node.event.subjectId)).toEqual([id('Solution', live.id)]);
    const bad = await hub.gql(FOLLOW, { input: { search: { query: 'bins', filter: { regions: ['Atlantis'] } } } }, watcher.token);
    expect(bad.data.follow.fields[0]).toMatchObject({ field: 'search.filter.regions.0' });
  });

  it('marks one read, then all; counts unread; never touches another member\'s rows', async () => {
    const reader = await createMember(database.db, people.b.council.id);
    const leisure = await follow(reader, { serviceArea: 'LEISURE_CULTURE' });
    for (const title of ['Leisure centre bookings by phone', 'Library room hire on paper']) {
      const p = await problem(people.a.editor.viewer, { title, serviceArea: 'leisure_culture' });
      await services().problems.publish(people.a.editor.viewer, p.id);
    }
    await settled();
    const page = await inbox(reader);
    expect(page.unreadCount).toBe(2);
    const first = page.edges[0].node.id;
    // Its id goes back to node(id:), for its member alone.
    const NODE = 'query($id: ID!) { node(id: $id) { __typename id ... on Notification { read } } }';
    expect((await hub.gql(NODE, { id: first }, reader.token)).data.node).toEqual({ __typename: 'Notification', id: first, read: false });
    expect((await hub.gql(NODE, { id: first }, people.a.member.token)).data.node).toBeNull();
    expect((await hub.gql(NODE, { id: first })).data.node).toBeNull();
    // So does the follow it came through.
    const FOLLOW_NODE = 'query($id: ID!) { node(id: $id) { __typename ... on Follow { kind } } }';
    expect((await hub.gql(FOLLOW_NODE, { id: leisure.id }, reader.token)).data.node).toEqual({ __typename: 'Follow', kind: 'SERVICE_AREA' });
    expect((await hub.gql(FOLLOW_NODE, { id: leisure.id }, people.b.member.token)).data.node).toBeNull();
    const stranger = await hub.gql(MARK, { ids: [first] }, people.a.member.token);
    expect(stranger.data.markNotificationsRead.result.notifications).toEqual([]);
    const marked = await hub.gql(MARK, { ids: [first] }, reader.token);
    expect(marked.data.markNotificationsRead.result).toEqual({ unreadCount: 1, notifications: [{ id: first, read: true }] });
    expect((await hub.gql(INBOX, { unread: true }, reader.token)).data.viewer.notifications.edges).toHaveLength(1);
    const all = await hub.gql(MARK_ALL, {}, reader.token);
    expect(all.data.markAllNotificationsRead.result).toEqual({ marked: 1, unreadCount: 0 });
    expect((await hub.gql(INBOX, {}, null as never)).data.viewer.notifications).toBeNull();
  });

  it('notificationAdded delivers a member\'s own new notifications live, and nobody else\'s', async () => {
    const listener = await createMember(database.db, people.b.council.id);
    const other = await createMember(database.db, people.b.council.id);
    await follow(listener, { serviceArea: 'PUBLIC_HEALTH' });
    const query = 'subscription { notificationAdded { id event { type subjectId } follow { kind } } }';
    const mine = track(subscribeWs(hub.url, query, {}, listener.token));
    const theirs = track(subscribeWs(hub.url, query, {}, other.token));
    await Promise.all([mine.ready, theirs.ready]);
    await waitFor(() => (hub.app.services.liveInbox as any) !== undefined);
    const p = await problem(people.a.editor.viewer, { title: 'Smoking cessation referrals by fax', serviceArea: 'public_health' });
    await services().problems.publish(people.a.editor.viewer, p.id);
    await waitFor(() => mine.received.length === 1, { what: 'the live notification' });
    expect(mine.received[0].notificationAdded.event).toEqual({ type: 'PROBLEM_PUBLISHED', subjectId: id('Problem', p.id) });
    await settled();
    expect(theirs.received).toEqual([]);
  });

  it('caps follows per member, refuses bad input with typed errors, and unfollows', async () => {
    const busy = await createMember(database.db, people.a.council.id);
    const none = await hub.gql(FOLLOW, { input: {} }, busy.token);
    expect(none.data.follow.__typename).toBe('ValidationError');
    const two = await hub.gql(FOLLOW, { input: { serviceArea: 'WASTE', councilId: id('Council', people.a.council.id) } }, busy.token);
    expect(two.data.follow.__typename).toBe('ValidationError');
    const anonymous = await hub.gql(FOLLOW, { input: { serviceArea: 'WASTE' } });
    expect(anonymous.data.follow.__typename).toBe('UnauthenticatedError');
    const once = await follow(busy, { serviceArea: 'WASTE' });
    expect((await follow(busy, { serviceArea: 'WASTE' })).id).toBe(once.id);
    for (let i = 0; i < 19; i++) await follow(busy, { search: { query: `bins ${i}` } });
    const overSearches = await hub.gql(FOLLOW, { input: { search: { query: 'one too many' } } }, busy.token);
    expect(overSearches.data.follow.__typename).toBe('FollowPayload');
    const capped = await hub.gql(FOLLOW, { input: { search: { query: 'past the cap' } } }, busy.token);
    expect(capped.data.follow.fields[0].message).toMatch(/at most 20 saved searches/);
    expect((await hub.gql(UNFOLLOW, { id: once.id }, people.a.member.token)).data.unfollow.__typename).toBe('NotFoundError');
    expect((await hub.gql(UNFOLLOW, { id: once.id }, busy.token)).data.unfollow.__typename).toBe('UnfollowPayload');
    expect((await hub.gql('{ viewer { follows { kind } } }', {}, busy.token)).data.viewer.follows).toHaveLength(20);
  });
});
