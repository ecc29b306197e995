import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContent } from '../support/content-rows.js';
import { type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const PROBLEM_FIELDS = `id title summary body serviceArea tags status visibility version supporterCount council { slug } author { name }`;
const ERROR_FIELDS = `__typename ... on Error { code message } ... on ValidationError { fields { field message } } ... on ConflictError { currentVersion }`;

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) {
  ... on CreateProblemPayload { problem { ${PROBLEM_FIELDS} } } ${ERROR_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateProblemInput!) { updateProblem(input: $input) {
  ... on UpdateProblemPayload { problem { ${PROBLEM_FIELDS} } } ${ERROR_FIELDS} } }`;
const PUBLISH = `mutation($input: PublishProblemInput!) { publishProblem(input: $input) {
  ... on PublishProblemPayload { problem { ${PROBLEM_FIELDS} } } ${ERROR_FIELDS} } }`;
const ARCHIVE = `mutation($input: ArchiveProblemInput!) { archiveProblem(input: $input) {
  ... on ArchiveProblemPayload { problem { ${PROBLEM_FIELDS} } } ${ERROR_FIELDS} } }`;
const SUPPORT = `mutation($input: SupportProblemInput!) { supportProblem(input: $input) {
  ... on SupportProblemPayload { problem { ${PROBLEM_FIELDS} } } ${ERROR_FIELDS} } }`;
const WITHDRAW = `mutation($input: WithdrawSupportInput!) { withdrawSupport(input: $input) {
  ... on WithdrawSupportPayload { problem { ${PROBLEM_FIELDS} } } ${ERROR_FIELDS} } }`;

const validInput = {
  title: 'Missed bin reports are re-keyed by the contact centre',
  summary: 'Residents phone in missed collections and we type them into the crew system by hand.',
  body: 'About 300 a week. We want crews to see reports on their in-cab devices.',
  serviceArea: 'WASTE',
  tags: ['Missed Bins', 'in-cab'],
};

describe.each(testDatabases())('problems over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const eventCount = async () => Number((await database.db.selectFrom('outbox_events').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const problemCount = async () => Number((await database.db.selectFrom('problems').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function createProblem(token = people.a.member.token) {
    const res = await hub.gql(CREATE, { input: validInput }, token);
    expect(res.errors).toBeUndefined();
    return res.data.createProblem.problem;
  }

  it('creates a draft with its event in the outbox, normalising tags', async () => {
    const before = await eventCount();
    const problem = await createProblem();
    expect(problem).toMatchObject({ title: validInput.title, visibility: 'DRAFT', status: 'OPEN', version: 1, tags: ['missed bins', 'in-cab'] });
    expect(problem.council.slug).toBe(people.a.council.slug);
    const event = await database.db.selectFrom('outbox_events').selectAll().orderBy('position', 'desc').executeTakeFirstOrThrow();
    expect(await eventCount()).toBe(before + 1);
    expect(event).toMatchObject({ type: 'problem.created', visibility: 'draft', council_id: people.a.council.id });
    expect(event.payload).toMatchObject({ v: 1, title: validInput.title, serviceArea: 'waste' });
  });

  it('rejects bad input with every failing field and writes nothing', async () => {
    const [problems, events] = [await problemCount(), await eventCount()];
    const res = await hub.gql(CREATE, { input: { ...validInput, title: '   ', summary: 'x'.repeat(1_001), tags: ['ok', '<script>'] } }, people.a.member.token);
    const payload = res.data.createProblem;
    expect(payload.__typename).toBe('ValidationError');
    expect(payload.code).toBe('VALIDATION_FAILED');
    expect(payload.fields.map((f: { field: string }) => f.field).sort()).toEqual(['summary', 'tags.1', 'title']);
    const huge = await hub.gql(CREATE, { input: { ...validInput, title: 't'.repeat(1_000_000) } }, people.a.member.token);
    expect(huge.data.createProblem.fields[0]).toMatchObject({ field: 'title' });
    expect([await problemCount(), await eventCount()]).toEqual([problems, events]);
  });

  it('rejects wrong types and unknown enum values before running anything', async () => {
    const res = await hub.gql(CREATE, { input: { ...validInput, serviceArea: 'ROCKET_SCIENCE', tags: 'not-a-list-of-strings-but-ok', title: 42 } }, people.a.member.token);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.length).toBeGreaterThan(0);
  });

  it('requires a token to create, and refuses a bad one with a clear error', async () => {
    const anonymous = await hub.gql(CREATE, { input: validInput });
    expect(anonymous.data.createProblem).toMatchObject({ __typename: 'UnauthenticatedError', code: 'UNAUTHENTICATED' });
    const forged = await hub.gql(CREATE, { input: validInput }, 'cc_' + 'A'.repeat(43));
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const garbage = await hub.gql('{ viewer { member { name } } }', {}, 'not a token at all');
    expect(garbage.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets editors update with the current version and reports a stale one as a conflict', async () => {
    const problem = await createProblem();
    const updated = await hub.gql(UPDATE, { input: { id: problem.id, version: 1, title: 'Missed bins: one report, straight to the crew', status: 'EXPLORING' } }, people.a.editor.token);
    expect(updated.data.updateProblem.problem).toMatchObject({ version: 2, status: 'EXPLORING', title: 'Missed bins: one report, straight to the crew' });
    const stale = await hub.gql(UPDATE, { input: { id: problem.id, version: 1, title: 'Older edit' } }, people.a.editor.token);
    expect(stale.data.updateProblem).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', currentVersion: 2 });
    const events = await database.db.selectFrom('outbox_events').select('type').where('subject_id', '=', problem.id.length ? await idOf(problem.id) : '').orderBy('position').execute();
    expect(events.map((e) => e.type)).toEqual(['problem.created', 'problem.updated', 'problem.status_changed']);
  });

  it('forbids plain members, other councils and anonymous callers from changing a problem', async () => {
    const problem = await createProblem();
    const input = { id: problem.id, version: 1, title: 'Hijacked' };
    const member = await hub.gql(UPDATE, { input }, people.a.member.token);
    expect(member.data.updateProblem.__typename).toBe('ForbiddenError');
    // Another council cannot even see the draft.
    const other = await hub.gql(UPDATE, { input }, people.b.admin.token);
    expect(other.data.updateProblem.__typename).toBe('NotFoundError');
    const anonymous = await hub.gql(UPDATE, { input });
    expect(anonymous.data.updateProblem.__typename).toBe('UnauthenticatedError');
    for (const mutation of [PUBLISH, ARCHIVE]) {
      const res = await hub.gql(mutation, { input: { id: problem.id } }, people.b.admin.token);
      expect(Object.values(res.data)[0]).toMatchObject({ __typename: 'NotFoundError' });
    }
    const published = await hub.gql(PUBLISH, { input: { id: problem.id } }, people.a.editor.token);
    expect(published.data.publishProblem.problem.visibility).toBe('PUBLISHED');
    const otherAfterPublish = await hub.gql(UPDATE, { input: { ...input, version: 2 } }, people.b.admin.token);
    expect(otherAfterPublish.data.updateProblem.__typename).toBe('ForbiddenError');
    const row = await database.db.selectFrom('problems').select('title').where('id', '=', await idOf(problem.id)).executeTakeFirstOrThrow();
    expect(row.title).toBe(validInput.title);
  });

  it('keeps drafts within the owning council, in lists and by node id', async () => {
    const problem = await createProblem();
    const node = `query($id: ID!) { node(id: $id) { id ... on Problem { title } } }`;
    expect((await hub.gql(node, { id: problem.id }, people.a.member.token)).data.node?.title).toBe(validInput.title);
    expect((await hub.gql(node, { id: problem.id }, people.b.admin.token)).data.node).toBeNull();
    expect((await hub.gql(node, { id: problem.id })).data.node).toBeNull();
    const list = `query($filter: ProblemFilterInput) { problems(first: 100, filter: $filter) { edges { node { id } } } }`;
    const ids = async (token?: string, includeDrafts = true) =>
      (await hub.gql(list, { filter: { includeDrafts } }, token)).data.problems.edges.map((e: any) => e.node.id);
    expect(await ids(people.a.member.token)).toContain(problem.id);
    expect(await ids(people.a.member.token, false)).not.toContain(problem.id);
    expect(await ids(people.b.member.token)).not.toContain(problem.id);
    expect(await ids(undefined)).not.toContain(problem.id);
  });

  it('publishes, archives, and refuses to do either twice', async () => {
    const problem = await createProblem();
    const publish = await hub.gql(PUBLISH, { input: { id: problem.id, version: 1 } }, people.a.editor.token);
    expect(publish.data.publishProblem.problem).toMatchObject({ visibility: 'PUBLISHED', version: 2 });
    const again = await hub.gql(PUBLISH, { input: { id: problem.id } }, people.a.editor.token);
    expect(again.data.publishProblem.__typename).toBe('ConflictError');
    const stale = await hub.gql(ARCHIVE, { input: { id: problem.id, version: 1 } }, people.a.editor.token);
    expect(stale.data.archiveProblem.__typename).toBe('ConflictError');
    const archived = await hub.gql(ARCHIVE, { input: { id: problem.id, version: 2 } }, people.a.editor.token);
    expect(archived.data.archiveProblem.problem.status).toBe('ARCHIVED');
    const listed = await hub.gql(`{ problems(first: 100) { edges { node { id } } } }`);
    expect(listed.data.problems.edges.map((e: any) => e.node.id)).not.toContain(problem.id);
  });

  it('records "we have this too" once per council and lets it be withdrawn', async () => {
    const problem = await createProblem();
    await hub.gql(PUBLISH, { input: { id: problem.id } }, people.a.editor.token);
    const own = await hub.gql(SUPPORT, { input: { problemId: problem.id } }, people.a.member.token);
    expect(own.data.supportProblem.__typename).toBe('ValidationError');
    const first = await hub.gql(SUPPORT, { input: { problemId: problem.id, note: 'Same in our district' } }, people.b.member.token);
    expect(first.data.supportProblem.problem.supporterCount).toBe(1);
    const repeat = await hub.gql(SUPPORT, { input: { problemId: problem.id, note: 'Same in our district' } }, people.b.editor.token);
    expect(repeat.data.supportProblem.problem.supporterCount).toBe(1);
    const anonymous = await hub.gql(SUPPORT, { input: { problemId: problem.id } });
    expect(anonymous.data.supportProblem.__typename).toBe('UnauthenticatedError');
    const withdrawn = await hub.gql(WITHDRAW, { input: { problemId: problem.id } }, people.b.member.token);
    expect(withdrawn.data.withdrawSupport.problem.supporterCount).toBe(0);
    const twice = await hub.gql(WITHDRAW, { input: { problemId: problem.id } }, people.b.member.token);
    expect(twice.data.withdrawSupport.__typename).toBe('ConflictError');
    const types = await database.db.selectFrom('outbox_events').select('type').where('subject_id', '=', await idOf(problem.id)).orderBy('position').execute();
    expect(types.map((t) => t.type)).toEqual(['problem.created', 'problem.published', 'problem.supported', 'problem.support_withdrawn']);
  });

  it('answers malformed and unknown IDs with a typed error in the payload and changes nothing', async () => {
    const events = await eventCount();
    for (const id of ['nonsense', '', '!!!', Buffer.from('Problem:not-a-uuid').toString('base64url'), Buffer.from('Council:' + people.a.council.id).toString('base64url')]) {
      const res = await hub.gql(UPDATE, { input: { id, version: 1, title: 'x' } }, people.a.editor.token);
      expect(res.errors, `id ${id}`).toBeUndefined();
      expect(res.data.updateProblem, `id ${id}`).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    }
    const unknown = Buffer.from('Problem:00000000-0000-4000-8000-000000000000').toString('base64url');
    const res = await hub.gql(UPDATE, { input: { id: unknown, version: 1, title: 'x' } }, people.a.editor.token);
    expect(res.data.updateProblem.__typename).toBe('NotFoundError');
    expect(await eventCount()).toBe(events);
  });

  it('pages through published problems with cursors in every order', async () => {
    for (let i = 0; i < 5; i++) {
      const p = await createProblem(people.b.member.token);
      await hub.gql(PUBLISH, { input: { id: p.id } }, people.b.editor.token);
    }
    for (const orderBy of ['NEWEST', 'MOST_SHARED', 'MOST_ADOPTED']) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res: any = await hub.gql(`query($after: String, $orderBy: ProblemOrder) { problems(first: 2, after: $after, orderBy: $orderBy, filter: { councilIds: ["${await globalCouncilId(people.b.council.id)}"] }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after, orderBy });
        expect(res.errors).toBeUndefined();
        seen.push(...res.data.problems.edges.map((e: any) => e.node.id));
        if (!res.data.problems.pageInfo.hasNextPage) break;
        after = res.data.problems.pageInfo.endCursor;
      }
      expect(seen.length, orderBy).toBe(5);
      expect(new Set(seen).size).toBe(5);
    }
    const badCursor = await hub.gql(`{ problems(first: 2, after: "garbage") { edges { node { id } } } }`);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('serves pages of up to 100 items and refuses a larger `first` rather than cutting it', async () => {
    // More published problems than a page holds, so a page of more than 100 would show.
    const owner = { councilId: people.b.council.id, id: people.b.editor.id };
    await Promise.all(Array.from({ length: 110 }, () => insertContent(database.db, 'problems', owner, 'published')));
    const full = await hub.gql(`{ problems(first: 100) { edges { node { id } } pageInfo { hasNextPage } } }`);
    expect(full.errors).toBeUndefined();
    expect(full.data.problems.edges).toHaveLength(100);
    expect(full.data.problems.pageInfo.hasNextPage).toBe(true);
    const tooMany = await hub.gql(`{ problems(first: 1000) { edges { node { id } } } }`);
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'first', message: 'must be a whole number from 0 to 100' }] });
  });

  async function idOf(globalId: string): Promise<string> {
    return Buffer.from(globalId, 'base64url').toString().split(':')[1]!;
  }
  async function globalCouncilId(id: string): Promise<string> {
    return Buffer.from(`Council:${id}`).toString('base64url');
  }
});
