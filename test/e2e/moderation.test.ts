import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_FIELDS, failEventAppends, rawId } from '../support/content-rows.js';
import { createMember, type People, type TestMember } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { download, parseJsonLines } from '../support/open-data.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const mutation = (name: string, input: string, data: string) => `mutation($input: ${input}!) { ${name}(input: $input) {
  ... on ${name.charAt(0).toUpperCase()}${name.slice(1)}Payload { ${data} } ${ERROR_FIELDS} } }`;
const REPORT = mutation('reportContent', 'ReportContentInput', 'report { id reason resolvedAt subjectId reporter { id } }');
const HIDE = mutation('hideContent', 'HideContentInput', 'action { decision reason moderator { id } subjectId subject { id } }');
const RESTORE = mutation('restoreContent', 'RestoreContentInput', 'action { decision reason }');
const DISMISS = mutation('dismissReports', 'DismissReportsInput', 'action { decision reason }');
const CREATE = mutation('createProblem', 'CreateProblemInput', 'problem { id }');
const PUBLISH = mutation('publishProblem', 'PublishProblemInput', 'problem { id }');
const UPDATE = mutation('updateProblem', 'UpdateProblemInput', 'problem { id version }');
const COMMENT = mutation('addComment', 'AddCommentInput', 'comment { id }');
const QUEUE = `{ moderationQueue(first: 10) { edges { node { subjectId openReports reports { reason reporter { id } } subject { id } } } } }`;
const LOG = `query($s: ID) { moderationLog(first: 10, subjectId: $s) { edges { node { decision reason moderator { id } subjectId } } } }`;
const ITEM = `query($id: ID!) { node(id: $id) { ... on Problem { id visibility commentCount comments(first: 10) { edges { node { id } } } } } }`;
const SEARCH = `query($q: String!) { search(query: $q, semanticRatio: 0) { edges { node { contentId } } } }`;
const STATUS = `{ indexerStatus { lag } }`;

describe.each(testDatabases())('moderation on $engine', { timeout: 60_000 }, (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let moderator: TestMember;

  beforeAll(async () => {
    // Webhook URLs on loopback are allowed, so registering one needs no DNS.
    ({ database, hub, people } = await openHub(engine, { IN_PROCESS_WORKERS: 'true', WEBHOOKS_ALLOW_PRIVATE: 'true' }));
    moderator = await createMember(database.db, people.b.council.id, 'member', true);
  });
  afterAll(() => closeHub(hub, database));

  async function call(query: string, input: Record<string, unknown>, token?: string) {
    const res = await hub.gql(query, { input }, token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return Object.values(res.data)[0] as any;
  }
  async function publishedProblem(title: string, summary: string): Promise<string> {
    const { problem } = await call(CREATE, { title, summary, serviceArea: 'WASTE' }, people.a.editor.token);
    await call(PUBLISH, { id: problem.id }, people.a.editor.token);
    return problem.id;
  }
  const searchIds = async (q: string) => (await hub.gql(SEARCH, { q })).data.search.edges.map((e: any) => e.node.contentId);
  const caughtUp = () => waitFor(async () => (await hub.gql(STATUS)).data.indexerStatus.lag === 0, { what: 'the indexer to catch up', intervalMs: 100, timeoutMs: 25_000 });
  const openData = async () => parseJsonLines((await download(`${hub.url}/data/problems-v1.jsonl`)).text).map((r) => r.id);

  it('takes one open report per member and subject, bounded and typed, seen by platform admins only', async () => {
    const id = await publishedProblem('Fly-tipping hotline abuse', 'Callers leave abusive messages on the hotline.');
    const first = await call(REPORT, { subjectId: id, reason: 'Insults a named officer' }, people.b.member.token);
    expect(first).toMatchObject({ __typename: 'ReportContentPayload', report: { reason: 'Insults a named officer', resolvedAt: null, subjectId: id, reporter: { id: expect.any(String) } } });
    expect((await call(REPORT, { subjectId: id, reason: 'Insults a named officer' }, people.b.member.token)).report.id).toBe(first.report.id);
    expect(await call(REPORT, { subjectId: id, reason: 'Something else' }, people.b.member.token)).toMatchObject({ code: 'CONFLICT' });
    expect(await call(REPORT, { subjectId: id, reason: 'x'.repeat(1001) }, people.b.member.token)).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'reason' }] });
    expect(await call(REPORT, { subjectId: id, reason: '   ' }, people.b.member.token)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await call(REPORT, { subjectId: id, reason: 'Anonymous' })).toMatchObject({ code: 'UNAUTHENTICATED' });
    // Another council's draft is not there to report.
    const { problem: draft } = await call(CREATE, { title: 'Draft only', summary: 'Not yet public.', serviceArea: 'WASTE' }, people.a.editor.token);
    expect(await call(REPORT, { subjectId: draft.id, reason: 'Seen it' }, people.b.member.token)).toMatchObject({ code: 'NOT_FOUND' });
    // Reports are no events.
    const events = await database.db.selectFrom('outbox_events').select('type').where('subject_id', '=', rawId(id)).execute();
    expect(events.map((e) => e.type)).toEqual(['problem.created', 'problem.published']);

    await call(REPORT, { subjectId: id, reason: 'Not about waste' }, people.a.member.token);
    for (const token of [undefined, people.b.member.token, people.a.admin.token]) expect((await hub.gql(QUEUE, {}, token)).data.moderationQueue).toBeNull();
    const queue = (await hub.gql(QUEUE, {}, moderator.token)).data.moderationQueue.edges.map((e: any) => e.node);
    const entry = queue.find((n: any) => n.subjectId === id);
    expect(entry).toMatchObject({ openReports: 2, subject: { id } });
    expect(entry.reports.map((r: any) => r.reason)).toEqual(['Not about waste', 'Insults a named officer']);
  });

  it('lets platform admins alone hide: gone from pages, lists, search, open data and later events; back on restore', async () => {
    const id = await publishedProblem('Graffiti removal backlog in the old town', 'Requests for graffiti removal wait weeks.');
    await call(REPORT, { subjectId: id, reason: 'Contains a phone number' }, people.b.member.token);
    await caughtUp();
    expect(await searchIds('graffiti removal')).toContain(id);
    expect(await openData()).toContain(id);

    for (const token of [people.a.admin.token, people.b.admin.token]) {
      expect(await call(HIDE, { subjectId: id, reason: 'Phone number' }, token)).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await call(HIDE, { subjectId: id, reason: 'Phone number' })).toMatchObject({ code: 'UNAUTHENTICATED' });
    // The change and its event commit together or not at all (invariant 1).
    const undo = await failEventAppends(database.db, 'problem.hidden');
    expect((await hub.gql(HIDE, { input: { subjectId: id, reason: 'Phone number' } }, moderator.token)).errors).toBeDefined();
    await undo();
    expect((await hub.gql(ITEM, { id })).data.node).toMatchObject({ visibility: 'PUBLISHED' });
    expect(await database.db.selectFrom('moderation_actions').select('id').where('subject_id', '=', rawId(id)).execute()).toEqual([]);

    const hidden = await call(HIDE, { subjectId: id, reason: 'Phone number of a resident' }, moderator.token);
    expect(hidden.action).toMatchObject({ decision: 'HIDDEN', reason: 'Phone number of a resident', moderator: { id: expect.any(String) }, subjectId: id, subject: { id } });
    expect(await call(HIDE, { subjectId: id, reason: 'Again' }, moderator.token)).toMatchObject({ code: 'CONFLICT' });
    const notice = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', rawId(id)).where('type', '=', 'problem.hidden').executeTakeFirstOrThrow();
    // A public notice that carries nothing of the hidden content.
    expect(notice.visibility).toBe('published');
    expect(JSON.stringify(notice.payload)).not.toMatch(/graffiti|Phone/i);
    expect((await hub.gql(QUEUE, {}, moderator.token)).data.moderationQueue.edges.map((e: any) => e.node.subjectId)).not.toContain(id);

    // Anonymous visitors and other councils no longer see it; its council sees it marked; platform admins too.
    expect((await hub.gql(ITEM, { id })).data.node).toBeNull();
    expect((await hub.gql(ITEM, { id }, people.b.member.token)).data.node).toBeNull();
    expect((await hub.gql(ITEM, { id }, people.a.member.token)).data.node).toMatchObject({ visibility: 'HIDDEN' });
    expect((await hub.gql(ITEM, { id }, moderator.token)).data.node).toMatchObject({ visibility: 'HIDDEN' });
    const listed = await hub.gql(`{ problems(first: 100) { edges { node { id } } } }`, {}, people.b.member.token);
    expect(listed.data.problems.edges.map((e: any) => e.node.id)).not.toContain(id);
    expect((await fetch(`${hub.url}/problems/${id}`)).status).toBe(404);
    // Who can still see it cannot add support to it, and is told why (not "a draft").
    expect(await call(mutation('supportProblem', 'SupportProblemInput', 'problem { id }'), { problemId: id }, moderator.token))
      .toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/hidden by moderators/) });
    await caughtUp();
    expect(await searchIds('graffiti removal')).not.toContain(id);
    expect(await openData()).not.toContain(id);
    // Its council may not publish it back; its later changes stay within the council.
    expect(await call(PUBLISH, { id }, people.a.editor.token)).toMatchObject({ code: 'CONFLICT' });
    const { problem } = await call(UPDATE, { id, version: 2, summary: 'Requests wait weeks; number removed.' }, people.a.editor.token);
    expect(problem.version).toBe(3);
    const later = await database.db.selectFrom('outbox_events').select(['type', 'visibility']).where('subject_id', '=', rawId(id)).orderBy('position', 'desc').executeTakeFirstOrThrow();
    expect(later).toEqual({ type: 'problem.updated', visibility: 'draft' });
    const seenByB = await hub.gql(`query($s: [ID!]) { events(first: 20, filter: { subjectIds: $s }) { edges { node { type } } } }`, { s: [id] }, people.b.member.token);
    expect(seenByB.data.events.edges.map((e: any) => e.node.type)).toEqual(['PROBLEM_PUBLISHED', 'PROBLEM_HIDDEN']);
    // Nor do its earlier events say what it said, to anyone reading the log back; their
    // types and the facts that are no one's words stay.
    for (const token of [undefined, people.b.member.token]) {
      const history = await eventPayloads(id, token);
      expect(history.map((e) => e.type)).toEqual(['PROBLEM_PUBLISHED', 'PROBLEM_HIDDEN']);
      expect(JSON.stringify(history), String(token)).not.toMatch(/graffiti|weeks/i);
      expect(history[0]!.payload).toMatchObject({ serviceArea: 'WASTE', status: 'OPEN' });
    }

    expect(await call(RESTORE, { subjectId: id, reason: 'Council removed the number' }, people.a.admin.token)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await call(RESTORE, { subjectId: id, reason: 'Council removed the number' }, moderator.token)).action).toMatchObject({ decision: 'RESTORED' });
    expect(await call(RESTORE, { subjectId: id, reason: 'Again' }, moderator.token)).toMatchObject({ code: 'CONFLICT' });
    expect((await hub.gql(ITEM, { id })).data.node).toMatchObject({ visibility: 'PUBLISHED' });
    expect((await fetch(`${hub.url}/problems/${id}`)).status).toBe(200);
    // Restored, its history says what it said again.
    expect((await eventPayloads(id))[0]!.payload).toMatchObject({ title: 'Graffiti removal backlog in the old town' });
    await caughtUp();
    expect(await searchIds('graffiti removal')).toContain(id);
    expect(await openData()).toContain(id);

    const log = (await hub.gql(LOG, { s: id }, moderator.token)).data.moderationLog.edges.map((e: any) => e.node);
    expect(log).toMatchObject([
      { decision: 'RESTORED', reason: 'Council removed the number', moderator: { id: expect.any(String) }, subjectId: id },
      { decision: 'HIDDEN', reason: 'Phone number of a resident', subjectId: id },
    ]);
    expect((await hub.gql(LOG, { s: id }, people.a.admin.token)).data.moderationLog).toBeNull();
  });

  it("tells no follower and no other council's webhook of a hidden item's later changes", async () => {
    const id = await publishedProblem('Pest control call-outs', 'Call-outs are booked by phone only.');
    const follow = await hub.gql(`mutation($input: FollowInput!) { follow(input: $input) { __typename } }`, { input: { itemId: id } }, people.b.member.token);
    expect(follow.data.follow.__typename).toBe('FollowPayload');
    const endpoint = await hub.gql(`mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename } }`,
      { input: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['PROBLEM_UPDATED', 'PROBLEM_HIDDEN'] } }, people.b.admin.token);
    expect(endpoint.data.createWebhookEndpoint.__typename).toBe('CreateWebhookEndpointPayload');
    const inbox = async () => (await hub.gql(`{ viewer { notifications(first: 20) { edges { node { event { type } } } } } }`, {}, people.b.member.token))
      .data.viewer.notifications.edges.map((e: any) => e.node.event.type);
    const delivered = async () => (await database.db.selectFrom('webhook_deliveries as d').innerJoin('outbox_events as e', 'e.position', 'd.event_position')
      .select('e.type').where('e.subject_id', '=', rawId(id)).orderBy('e.position').execute()).map((r) => r.type);
    const caughtUp = async (what: string) => {
      const head = (await database.db.selectFrom('outbox_events').select((eb) => eb.fn.max('position').as('p')).executeTakeFirstOrThrow()).p;
      await waitFor(async () => {
        const cursors = (await database.db.selectFrom('consumer_cursors').select(['consumer', 'position']).execute())
          .filter((c) => c.consumer === 'notifications' || c.consumer === 'webhooks');
        return cursors.length === 2 && cursors.every((c) => Number(c.position) >= Number(head));
      }, { what, timeoutMs: 25_000 });
    };
    await call(UPDATE, { id, version: 2, summary: 'Call-outs are booked by phone, weekdays only.' }, people.a.editor.token);
    await caughtUp('the first update to reach the consumers');
    expect(await inbox()).toEqual(['PROBLEM_UPDATED']);
    expect(await delivered()).toEqual(['problem.updated']);

    await call(HIDE, { subjectId: id, reason: 'Test of moderation' }, moderator.token);
    await call(UPDATE, { id, version: 4, summary: 'Still by phone.' }, people.a.editor.token);
    await caughtUp('the hidden item\'s update to reach the consumers');
    // The notice that it is gone goes out as a webhook (so copies can be removed); nothing after it does.
    expect(await inbox()).toEqual(['PROBLEM_UPDATED']);
    expect(await delivered()).toEqual(['problem.updated', 'problem.hidden']);
  });

  it('hides a comment from lists and counts, and dismisses reports without hiding', async () => {
    const id = await publishedProblem('Bulky waste collections overbooked', 'Residents wait a month for a slot.');
    const { comment } = await call(COMMENT, { subjectId: id, body: 'Rude words here' }, people.b.member.token);
    const { comment: kept } = await call(COMMENT, { subjectId: id, body: 'We added Saturday slots.' }, people.b.member.token);
    await call(REPORT, { subjectId: comment.id, reason: 'Rude' }, people.a.member.token);
    await call(REPORT, { subjectId: kept.id, reason: 'Advertising' }, people.a.member.token);
    expect((await call(DISMISS, { subjectId: kept.id, reason: 'Useful, not advertising' }, moderator.token)).action).toMatchObject({ decision: 'DISMISSED' });
    expect(await call(DISMISS, { subjectId: kept.id, reason: 'Again' }, moderator.token)).toMatchObject({ code: 'CONFLICT' });

    await call(HIDE, { subjectId: comment.id, reason: 'Abusive' }, moderator.token);
    const event = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', rawId(comment.id)).where('type', '=', 'comment.hidden').executeTakeFirstOrThrow();
    expect(event.payload).not.toHaveProperty('body');
    for (const token of [undefined, people.a.admin.token, people.b.member.token]) {
      const item = (await hub.gql(ITEM, { id }, token)).data.node;
      expect(item.commentCount).toBe(1);
      expect(item.comments.edges.map((e: any) => e.node.id)).toEqual([kept.id]);
      expect((await hub.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: comment.id }, token)).data.node).toBeNull();
    }
    expect(await call(mutation('editComment', 'EditCommentInput', 'comment { id }'), { id: comment.id, body: 'Edited' }, people.b.member.token)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await hub.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: comment.id }, moderator.token)).data.node).toEqual({ id: comment.id });
    expect((await fetch(`${hub.url}/problems/${id}`).then((r) => r.text()))).not.toContain('Rude words here');
    // Read back from the log, the hidden comment's words are gone; the other comment's stay.
    expect(JSON.stringify(await eventPayloads(comment.id))).not.toContain('Rude words');
    expect((await eventPayloads(kept.id))[0]!.payload).toMatchObject({ body: 'We added Saturday slots.', subjectTitle: 'Bulky waste collections overbooked' });

    await call(RESTORE, { subjectId: comment.id, reason: 'Apology received' }, moderator.token);
    const item = (await hub.gql(ITEM, { id })).data.node;
    expect(item.comments.edges.map((e: any) => e.node.id)).toEqual([comment.id, kept.id]);
    expect((await eventPayloads(comment.id))[0]!.payload).toMatchObject({ body: 'Rude words here' });

    // A comment deleted by its author is gone from the log's words too; and while the item it
    // is on is hidden, its title leaves the comments' events.
    await call(mutation('deleteComment', 'DeleteCommentInput', 'comment { id }'), { id: comment.id }, people.b.member.token);
    expect(JSON.stringify(await eventPayloads(comment.id))).not.toContain('Rude words');
    await call(HIDE, { subjectId: id, reason: 'Test of titles in comment events' }, moderator.token);
    const onHidden = (await eventPayloads(kept.id))[0]!.payload;
    expect(onHidden).toMatchObject({ body: 'We added Saturday slots.' });
    expect(onHidden).not.toHaveProperty('subjectTitle');
  });

  /** An item's or comment's events as the log gives them back, oldest first. */
  async function eventPayloads(subjectId: string, token?: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
    const res = await hub.gql(`query($s: [ID!]) { events(first: 20, filter: { subjectIds: $s }) { edges { node { type payload } } } }`, { s: [subjectId] }, token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data.events.edges.map((e: any) => e.node);
  }
});
