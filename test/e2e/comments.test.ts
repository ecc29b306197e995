import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSee } from '../../server/auth/viewer.js';
import { toStoredEvent } from '../../server/events/outbox.js';
import { countRows, ERROR_FIELDS, failEventAppends, globalId, insertContent, rawId } from '../support/content-rows.js';
import { type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) {
  ... on AddCommentPayload { comment { id body createdAt author { name } council { slug } } } ${ERROR_FIELDS} } }`;
const SUBJECT = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Content { title commentCount
  comments(first: $first, after: $after) { edges { cursor node { id body council { slug } subject { id title } } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`;
const COMMENT = `query($id: ID!) { node(id: $id) { __typename ... on Comment { body subject { id } } } }`;
const CREATE_CASE_STUDY = `mutation($input: CreateCaseStudyInput!) { createCaseStudy(input: $input) {
  ... on CreateCaseStudyPayload { caseStudy { id } } } }`;

describe.each(testDatabases())('comments over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const snapshot = async () => [await countRows(database.db, 'comments'), await countRows(database.db, 'outbox_events')];
  const published = async () => globalId('Problem', await insertContent(database.db, 'problems', people.a.admin, 'published', 'Housing repairs backlog'));

  async function add(subjectId: string, body: string, token: string) {
    const res = await hub.gql(ADD, { input: { subjectId, body } }, token);
    expect(res.errors).toBeUndefined();
    return res.data.addComment;
  }

  async function draftCaseStudy(): Promise<string> {
    const res = await hub.gql(CREATE_CASE_STUDY, { input: {
      title: 'Damp and mould triage', summary: 'What we tried', serviceArea: 'HOUSING', outcome: 'TOO_EARLY_TO_TELL',
    } }, people.a.member.token);
    return res.data.createCaseStudy.caseStudy.id;
  }

  it('lets a plain member of any council comment on published work, with its event in the outbox', async () => {
    const problemId = await published();
    const payload = await add(problemId, 'We see the same. **Contractor** reports come in by email.', people.b.member.token);
    expect(payload.__typename).toBe('AddCommentPayload');
    expect(payload.comment).toMatchObject({ body: 'We see the same. **Contractor** reports come in by email.', council: { slug: people.b.council.slug } });
    const row = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', rawId(payload.comment.id)).executeTakeFirstOrThrow();
    // The event belongs to the subject's owner and takes its visibility.
    expect(row).toMatchObject({ type: 'comment.added', subject_type: 'comment', council_id: people.a.council.id, visibility: 'published' });
    expect(row.payload).toMatchObject({
      subjectType: 'problem', subjectId: rawId(problemId), subjectTitle: 'Housing repairs backlog',
      commenterCouncilId: people.b.council.id, authorId: people.b.member.id,
    });
    const seen = await hub.gql(SUBJECT, { id: problemId });
    expect(seen.data.node.commentCount).toBe(1);
    expect(seen.data.node.comments.edges[0].node).toMatchObject({ id: payload.comment.id, subject: { id: problemId, title: 'Housing repairs backlog' } });
  });

  it('keeps comments on drafts, and their events, within the owning council', async () => {
    const caseStudyId = await draftCaseStudy();
    const own = await add(caseStudyId, 'Check with legal before we publish this.', people.a.member.token);
    expect(own.__typename).toBe('AddCommentPayload');
    const before = await snapshot();
    const other = await add(caseStudyId, 'Can we see this?', people.b.admin.token);
    expect(other).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await snapshot()).toEqual(before);
    for (const token of [people.b.admin.token, undefined]) {
      expect((await hub.gql(COMMENT, { id: own.comment.id }, token)).data.node).toBeNull();
      expect((await hub.gql(SUBJECT, { id: caseStudyId }, token)).data.node).toBeNull();
    }
    expect((await hub.gql(COMMENT, { id: own.comment.id }, people.a.member.token)).data.node).toMatchObject({ __typename: 'Comment', subject: { id: caseStudyId } });
    const row = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', rawId(own.comment.id)).executeTakeFirstOrThrow();
    const event = toStoredEvent(row);
    expect(event).toMatchObject({ councilId: people.a.council.id, visibility: 'draft' });
    expect(canSee(people.b.admin.viewer, event)).toBe(false);
    expect(canSee(people.a.member.viewer, event)).toBe(true);
  });

  it('asks for a token, checks the body and the subject, and writes nothing when refused', async () => {
    const problemId = await published();
    const before = await snapshot();
    expect(await add(problemId, 'Anonymous', undefined as never)).toMatchObject({ __typename: 'UnauthenticatedError', code: 'UNAUTHENTICATED' });
    for (const body of ['', '   \n ', 'x'.repeat(10_001), 'x'.repeat(1_000_000), 'bell \u0007']) {
      const res = await add(problemId, body, people.b.member.token);
      expect(res, body.slice(0, 20)).toMatchObject({ __typename: 'ValidationError', fields: [expect.objectContaining({ field: 'body' })] });
    }
    const notContent = await add(globalId('Council', people.a.council.id), 'Hello', people.b.member.token);
    expect(notContent).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'subjectId', message: 'must be the ID of a problem, solution or case study' }] });
    const unknown = await add(globalId('CaseStudy', '00000000-0000-4000-8000-000000000000'), 'Hello', people.b.member.token);
    expect(unknown.__typename).toBe('NotFoundError');
    const malformed = await hub.gql(ADD, { input: { subjectId: 'not-an-id', body: 'Hello' } }, people.b.member.token);
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data.addComment.__typename).toBe('ValidationError');
    expect(await snapshot()).toEqual(before);
    expect((await add(problemId, 'x'.repeat(10_000), people.b.member.token)).__typename).toBe('AddCommentPayload');
  });

  it('comments on solutions, looked up from their table', async () => {
    const solutionId = globalId('Solution', await insertContent(database.db, 'solutions', people.a.admin, 'published'));
    const draftId = globalId('Solution', await insertContent(database.db, 'solutions', people.a.admin, 'draft'));
    const added = await add(solutionId, 'We run this too.', people.b.member.token);
    expect(added.__typename).toBe('AddCommentPayload');
    const shown = await hub.gql(COMMENT, { id: added.comment.id });
    expect(shown.data.node).toMatchObject({ __typename: 'Comment', subject: { id: solutionId } });
    const listed = await hub.gql(SUBJECT, { id: solutionId });
    expect(listed.data.node.comments.edges.map((e: any) => e.node.body)).toEqual(['We run this too.']);
    expect((await add(draftId, 'Peeking', people.b.member.token)).__typename).toBe('NotFoundError');
    expect((await add(draftId, 'Ours', people.a.member.token)).__typename).toBe('AddCommentPayload');
  });

  it('lists comments oldest first, a page at a time', async () => {
    const problemId = await published();
    const bodies = ['First', 'Second', 'Third', 'Fourth', 'Fifth'];
    for (const [i, body] of bodies.entries()) await add(problemId, body, i % 2 ? people.a.member.token : people.b.member.token);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await hub.gql(SUBJECT, { id: problemId, first: 2, after });
      const connection = res.data.node.comments;
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...connection.edges.map((e: any) => e.node.body));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(bodies);
    const all = await hub.gql(SUBJECT, { id: problemId, first: 100 });
    expect(all.data.node).toMatchObject({ commentCount: 5 });
    expect(all.data.node.comments.edges.map((e: any) => e.node.council.slug)).toEqual(
      bodies.map((_, i) => (i % 2 ? people.a.council.slug : people.b.council.slug)));
    for (const first of [-1, 1_000]) {
      const refused = await hub.gql(SUBJECT, { id: problemId, first });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'first' }] });
    }
    const garbage = await hub.gql(SUBJECT, { id: problemId, after: 'garbage' });
    expect(garbage.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('pages without repeats when comments were written with microsecond times', async () => {
    const problemId = await published();
    const times = ['12:00:00.123456', '12:00:00.123789', '12:00:00.123001', '12:00:00.124', '12:00:00.1239'];
    for (const [i, time] of times.entries()) {
      await database.db.insertInto('comments').values({
        subject_type: 'problem', subject_id: rawId(problemId), council_id: people.b.council.id, author_id: people.b.member.id,
        body: `Imported ${i}`, created_at: sql<Date>`${`2024-05-01 ${time}+00`}::timestamptz` as never,
      }).execute();
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res: any = await hub.gql(SUBJECT, { id: problemId, first: 1, after });
      seen.push(...res.data.node.comments.edges.map((e: any) => e.node.body));
      if (!res.data.node.comments.pageInfo.hasNextPage) break;
      after = res.data.node.comments.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.at(-1)).toBe('Imported 3');
  });

  it('writes a comment and its event together: when the event cannot be written, nothing is', async () => {
    const problemId = await published();
    const before = await snapshot();
    const undo = await failEventAppends(database.db, 'comment.added');
    try {
      const res = await hub.gql(ADD, { input: { subjectId: problemId, body: 'Lost' } }, people.b.member.token);
      expect(res.errors?.[0]?.message).toBe('Unexpected error.');
      expect(JSON.stringify(res)).not.toMatch(/outbox append refused|\.ts:\d+/);
    } finally {
      await undo();
    }
    expect(await snapshot()).toEqual(before);
  });
});
