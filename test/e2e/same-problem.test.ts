import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCouncil, createMember, createTwoCouncils, type People, type TestMember } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { headPosition } from '../../server/events/reader.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const SUPPORT = `mutation($id: ID!) { supportProblem(input: { problemId: $id }) { __typename } }`;
const MARK = `mutation($input: MarkProblemSameAsInput!) { markProblemSameAs(input: $input) {
  __typename
  ... on MarkProblemSameAsPayload { problem { id status sameAs { id } } sameAs { id supporterCount supporters { council { id } note } sameProblems { id } } }
  ... on ValidationError { fields { field message } }
  ... on Error { code message } } }`;
const PROBLEM = `query($id: ID!) { node(id: $id) { ... on Problem { id status supporterCount supporters { council { id } } sameAs { id } sameProblems { id title } } } }`;
const SEARCH = `query($q: String!) { search(query: $q, semanticRatio: 0) { edges { node { contentId } } } }`;
const EVENTS = `query($after: String) { events(first: 50, after: $after) { edges { node { type subjectId payload } } } }`;
const STATUS = `{ indexerStatus { lag } }`;

describe.each(testDatabases())('"same problem" on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let c: TestMember;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database, { IN_PROCESS_WORKERS: 'true' });
    people = await createTwoCouncils(database.db);
    c = await createMember(database.db, (await createCouncil(database.db)).id, 'editor');
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  async function problem(by: TestMember, title: string, publish: boolean): Promise<string> {
    const res = await hub.gql(CREATE, { input: { title, summary: `${title}.`, serviceArea: 'HOUSING' } }, by.token);
    const id = res.data.createProblem.problem.id;
    if (publish) expect((await hub.gql(PUBLISH, { id }, by.token)).data.publishProblem.__typename).toBe('PublishProblemPayload');
    return id;
  }
  const mark = async (by: TestMember, input: Record<string, unknown>) => (await hub.gql(MARK, { input }, by.token)).data.markProblemSameAs;
  const read = async (id: string, token?: string) => (await hub.gql(PROBLEM, { id }, token)).data.node;
  const head = async () => String(await headPosition(database.db));

  it('turns a draft into support for the existing problem, and keeps the draft inside its council', async () => {
    const existing = await problem(people.a.editor, 'Damp and mould reports wait weeks for a surveyor', true);
    const draft = await problem(people.b.editor, 'Mould complaints queue for inspection', false);
    const after = await head();

    const res = await mark(people.b.editor, { id: draft, sameAsId: existing, note: 'Our surveyors are booked for a month' });
    expect(res.__typename).toBe('MarkProblemSameAsPayload');
    expect(res.problem).toEqual({ id: draft, status: 'ARCHIVED', sameAs: { id: existing } });
    expect(res.sameAs.supporterCount).toBe(1);
    expect(res.sameAs.supporters).toEqual([{ council: { id: expect.any(String) }, note: 'Our surveyors are booked for a month' }]);
    // Council b sees its archived draft on the existing problem; council a and the public do not.
    expect(res.sameAs.sameProblems).toEqual([{ id: draft }]);
    expect((await read(existing, people.a.editor.token)).sameProblems).toEqual([]);
    expect((await read(existing)).sameProblems).toEqual([]);
    expect(await read(draft, people.a.editor.token)).toBeNull();

    // Council a hears of the support only; the draft's archiving stays in council b.
    const seenByA = (await hub.gql(EVENTS, { after }, people.a.admin.token)).data.events.edges.map((e: any) => e.node);
    expect(seenByA.map((e: any) => e.type)).toEqual(['PROBLEM_SUPPORTED']);
    expect(JSON.stringify(seenByA)).not.toContain(draft);
    const seenByB = (await hub.gql(EVENTS, { after }, people.b.admin.token)).data.events.edges.map((e: any) => e.node);
    expect(seenByB.map((e: any) => e.type)).toEqual(['PROBLEM_ARCHIVED', 'PROBLEM_SUPPORTED']);
    expect(seenByB[0].payload.sameAsProblemId).toBe(existing);
  });

  it('moves a published problem and its supporters to the existing one, which search then shows alone', async () => {
    const existing = await problem(people.a.editor, 'Temporary accommodation bookings kept in spreadsheets', true);
    const mine = await problem(people.b.editor, 'Nightly paid placements tracked in Excel', true);
    expect((await hub.gql(SUPPORT, { id: mine }, c.token)).data.supportProblem.__typename).toBe('SupportProblemPayload');
    await waitFor(async () => (await hub.gql(STATUS)).data.indexerStatus.lag === 0, { what: 'the indexer', timeoutMs: 25_000, intervalMs: 100 });
    const found = async (q: string) => (await hub.gql(SEARCH, { q })).data.search.edges.map((e: any) => e.node.contentId);
    expect(await found('nightly paid placements')).toContain(mine);

    const res = await mark(people.b.editor, { id: mine, sameAsId: existing });
    expect(res.__typename).toBe('MarkProblemSameAsPayload');
    // Council b and council c (which supported b's problem) now support a's: the demand adds up.
    const now = await read(existing);
    expect(now.supporterCount).toBe(2);
    expect(now.supporters.map((s: any) => s.council.id).sort()).toEqual([people.b.council.id, c.councilId].map((id) => encodeGlobalId('Council', id)).sort());
    // The link shows on both, to anyone: b's problem was published.
    expect(now.sameProblems).toEqual([{ id: mine, title: 'Nightly paid placements tracked in Excel' }]);
    expect((await read(mine)).sameAs).toEqual({ id: existing });
    expect((await read(mine)).status).toBe('ARCHIVED');

    await waitFor(async () => !(await found('nightly paid placements')).includes(mine), { what: 'the archived problem to leave search', timeoutMs: 25_000, intervalMs: 100 });
    expect(await found('temporary accommodation spreadsheets')).toContain(existing);
  });

  it('refuses what cannot be the same problem, changing nothing', async () => {
    const existing = await problem(people.a.editor, 'Street cleansing requests arrive by email', true);
    const theirDraft = await problem(people.a.editor, 'A draft of council a', false);
    const mine = await problem(people.b.editor, 'Litter reports come in by email', false);

    expect((await mark(people.b.editor, { id: mine, sameAsId: mine })).code).toBe('VALIDATION_FAILED');
    // Another council's draft is not there at all for b.
    expect((await mark(people.b.editor, { id: mine, sameAsId: theirDraft })).code).toBe('NOT_FOUND');
    // Only a problem of your own council can be marked.
    expect((await mark(people.b.editor, { id: existing, sameAsId: mine })).code).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect((await mark(people.b.editor, { id: mine, sameAsId: existing, version: 7 })).code).toBe('CONFLICT');
    const bad = await hub.gql(MARK, { input: { id: mine, sameAsId: 'not-an-id' } }, people.b.editor.token);
    expect(bad.data.markProblemSameAs.code).toBe('VALIDATION_FAILED');
    expect((await read(existing)).supporterCount).toBe(0);
    expect((await read(mine, people.b.editor.token)).status).toBe('OPEN');

    expect((await mark(people.b.editor, { id: mine, sameAsId: existing })).__typename).toBe('MarkProblemSameAsPayload');
    // Once archived, it cannot be marked again; the existing one cannot point at an archived one.
    expect((await mark(people.b.editor, { id: mine, sameAsId: existing })).code).toBe('CONFLICT');
    const other = await problem(people.b.editor, 'Fly-tipping reports by email', true);
    expect((await mark(people.b.editor, { id: other, sameAsId: mine })).code).toBe('VALIDATION_FAILED');
    expect((await mark(people.b.member, { id: other, sameAsId: existing })).code).toMatch(/FORBIDDEN|NOT_FOUND/);
  });
});
