import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, ERROR_FIELDS, failEventAppends, globalId, insertContent, rawId } from '../support/content-rows.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createStatementCounter } from '../support/statement-counter.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FIELDS = `id title summary body serviceArea tags status visibility version outcome lessons costPounds
  savingsClaimedPounds evidenceUrl viewerCanEdit council { slug } author { name } problems { id title } solutions { id title }`;

const CREATE = `mutation($input: CreateCaseStudyInput!) { createCaseStudy(input: $input) {
  ... on CreateCaseStudyPayload { caseStudy { ${FIELDS} } } ${ERROR_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateCaseStudyInput!) { updateCaseStudy(input: $input) {
  ... on UpdateCaseStudyPayload { caseStudy { ${FIELDS} } } ${ERROR_FIELDS} } }`;
const PUBLISH = `mutation($input: PublishCaseStudyInput!) { publishCaseStudy(input: $input) {
  ... on PublishCaseStudyPayload { caseStudy { ${FIELDS} } } ${ERROR_FIELDS} } }`;
const ARCHIVE = `mutation($input: ArchiveCaseStudyInput!) { archiveCaseStudy(input: $input) {
  ... on ArchiveCaseStudyPayload { caseStudy { ${FIELDS} } } ${ERROR_FIELDS} } }`;
const LIST = `query($filter: CaseStudyFilterInput, $orderBy: CaseStudyOrder, $first: Int, $after: String, $last: Int, $before: String) {
  caseStudies(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    edges { node { id outcome } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

const validInput = {
  title: 'Moving garden waste subscriptions online',
  summary: 'We replaced the paper direct debit form with an online sign-up and card payment.',
  body: 'Sign-ups opened in February. The contact centre took a third fewer calls in March.',
  serviceArea: 'WASTE',
  tags: ['Garden Waste', 'payments'],
  outcome: 'PARTLY_WORKED',
  lessons: '- Test the renewal email with residents first.\n- Keep a phone route for people without cards.',
  costPounds: 48_000,
  savingsClaimedPounds: 120_000,
  evidenceUrl: 'https://democracy.example.gov.uk/cabinet/2024-03/garden-waste.pdf',
};

describe.each(testDatabases())('case studies over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const counter = createStatementCounter();

  beforeAll(async () => {
    database = await engine.create({ onQuery: counter.onQuery });
    // Statement-count pages here are deliberately richer than the default cost budget allows.
    hub = await startTestApp(database, { MAX_QUERY_COST: '1000000' });
    counter.attach(hub);
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const snapshot = async () => Promise.all(
    (['case_studies', 'case_study_problems', 'case_study_solutions', 'outbox_events'] as const).map((t) => countRows(database.db, t)),
  );
  const eventTypes = async (id: string) => (await database.db.selectFrom('outbox_events').select('type')
    .where('subject_id', '=', id).orderBy('position').execute()).map((e) => e.type);

  async function createCaseStudy(input: Record<string, unknown> = validInput, token = people.a.member.token) {
    const res = await hub.gql(CREATE, { input }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.createCaseStudy.__typename).toBe('CreateCaseStudyPayload');
    return res.data.createCaseStudy.caseStudy;
  }

  async function publish(id: string) {
    const res = await hub.gql(PUBLISH, { input: { id } }, people.a.editor.token);
    expect(res.data.publishCaseStudy.__typename).toBe('PublishCaseStudyPayload');
    return res.data.publishCaseStudy.caseStudy;
  }

  it('creates a draft with its figures, links and event in one go', async () => {
    const problemId = await insertContent(database.db, 'problems', people.b.admin, 'published', 'Garden waste renewals by phone');
    const solutionId = await insertContent(database.db, 'solutions', people.a.admin, 'draft');
    const caseStudy = await createCaseStudy({
      ...validInput, problemIds: [globalId('Problem', problemId)], solutionIds: [globalId('Solution', solutionId)],
    });
    expect(caseStudy).toMatchObject({
      visibility: 'DRAFT', status: 'ACTIVE', version: 1, outcome: 'PARTLY_WORKED', lessons: validInput.lessons,
      costPounds: 48_000, savingsClaimedPounds: 120_000, evidenceUrl: validInput.evidenceUrl,
      tags: ['garden waste', 'payments'], viewerCanEdit: false, council: { slug: people.a.council.slug },
      problems: [{ id: globalId('Problem', problemId), title: 'Garden waste renewals by phone' }],
      solutions: [{ id: globalId('Solution', solutionId), title: 'A draft solution' }],
    });
    const id = rawId(caseStudy.id);
    const links = await database.db.selectFrom('case_study_solutions').select('solution_id').where('case_study_id', '=', id).execute();
    expect(links.map((l) => l.solution_id)).toEqual([solutionId]);
    const event = await database.db.selectFrom('outbox_events').selectAll().where('subject_id', '=', id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'case_study.created', subject_type: 'case_study', visibility: 'draft', council_id: people.a.council.id });
    expect(event.payload).toMatchObject({ v: 1, version: 1, outcome: 'partly_worked', problemIds: [problemId], solutionIds: [solutionId] });
  });

  it('rejects bad figures, links and text with every failing field, and writes nothing', async () => {
    const before = await snapshot();
    const otherDraft = await insertContent(database.db, 'problems', people.b.admin, 'draft');
    const bad = await hub.gql(CREATE, { input: {
      ...validInput, title: '  ', costPounds: -1, savingsClaimedPounds: 1_000_000_001, evidenceUrl: 'javascript:alert(1)',
      problemIds: [globalId('Problem', otherDraft), globalId('Council', people.a.council.id)],
    } }, people.a.member.token);
    expect(bad.data.createCaseStudy.__typename).toBe('ValidationError');
    // Link types are checked before the rest, as they are read off the global IDs.
    expect(bad.data.createCaseStudy.fields).toEqual([{ field: 'problemIds.1', message: 'must be the ID of a Problem' }]);
    const figures = await hub.gql(CREATE, { input: { ...validInput, title: '  ', costPounds: -1, savingsClaimedPounds: 1_000_000_001, evidenceUrl: 'ftp://files.example.gov.uk/x' } }, people.a.member.token);
    expect(figures.data.createCaseStudy.fields.map((f: any) => f.field).sort()).toEqual(['costPounds', 'evidenceUrl', 'savingsClaimedPounds', 'title']);
    for (const evidenceUrl of ['not a url', 'file:///etc/passwd', `https://example.gov.uk/${'x'.repeat(3_000)}`]) {
      const res = await hub.gql(CREATE, { input: { ...validInput, evidenceUrl } }, people.a.member.token);
      expect(res.data.createCaseStudy.fields, evidenceUrl.slice(0, 30)).toEqual([expect.objectContaining({ field: 'evidenceUrl' })]);
    }
    for (const field of ['title', 'summary', 'body', 'lessons']) {
      const res = await hub.gql(CREATE, { input: { ...validInput, [field]: 'x'.repeat(1_000_000) } }, people.a.member.token);
      expect(res.data.createCaseStudy.fields, field).toEqual([expect.objectContaining({ field })]);
    }
    const unseen = await hub.gql(CREATE, { input: {
      ...validInput, problemIds: [globalId('Problem', otherDraft)], solutionIds: [globalId('Solution', '00000000-0000-4000-8000-000000000000')],
    } }, people.a.member.token);
    expect(unseen.data.createCaseStudy.fields.map((f: any) => f.field)).toEqual(['solutionIds.0', 'problemIds.0']);
    const tooBig = await hub.gql(CREATE, { input: { ...validInput, costPounds: 2 ** 31 } }, people.a.member.token);
    expect(tooBig.status).toBe(400);
    const noOutcome = await hub.gql(CREATE, { input: { ...validInput, outcome: undefined } }, people.a.member.token);
    expect(noOutcome.status).toBe(400);
    expect(await snapshot()).toEqual([before[0], before[1], before[2], before[3]]);
  });

  it('asks for a token for every mutation', async () => {
    const caseStudy = await createCaseStudy();
    const before = await snapshot();
    const create = await hub.gql(CREATE, { input: validInput });
    expect(create.data.createCaseStudy).toMatchObject({ __typename: 'UnauthenticatedError', code: 'UNAUTHENTICATED' });
    const update = await hub.gql(UPDATE, { input: { id: caseStudy.id, version: 1, title: 'Anonymous edit' } });
    expect(update.data.updateCaseStudy.__typename).toBe('UnauthenticatedError');
    for (const mutation of [PUBLISH, ARCHIVE]) {
      const res = await hub.gql(mutation, { input: { id: caseStudy.id } });
      expect(Object.values(res.data)[0]).toMatchObject({ __typename: 'UnauthenticatedError' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets editors update with the current version, replacing links and clearing figures', async () => {
    const first = await insertContent(database.db, 'problems', people.a.admin, 'published');
    const second = await insertContent(database.db, 'problems', people.a.admin, 'draft', 'Our own draft problem');
    const caseStudy = await createCaseStudy({ ...validInput, problemIds: [globalId('Problem', first)] });
    const res = await hub.gql(UPDATE, { input: {
      id: caseStudy.id, version: 1, outcome: 'DID_NOT_WORK', costPounds: null, evidenceUrl: '', problemIds: [globalId('Problem', second)],
    } }, people.a.editor.token);
    expect(res.data.updateCaseStudy.caseStudy).toMatchObject({
      version: 2, outcome: 'DID_NOT_WORK', costPounds: null, evidenceUrl: null, savingsClaimedPounds: 120_000,
      title: validInput.title, problems: [{ title: 'Our own draft problem' }], viewerCanEdit: true,
    });
    const stale = await hub.gql(UPDATE, { input: { id: caseStudy.id, version: 1, title: 'An older edit' } }, people.a.editor.token);
    expect(stale.data.updateCaseStudy).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', currentVersion: 2 });
    const nothing = await hub.gql(UPDATE, { input: { id: caseStudy.id, version: 2 } }, people.a.editor.token);
    expect(nothing.data.updateCaseStudy.fields).toEqual([{ field: 'input', message: 'names no field to change' }]);
    const negative = await hub.gql(UPDATE, { input: { id: caseStudy.id, version: 2, savingsClaimedPounds: -5 } }, people.a.editor.token);
    expect(negative.data.updateCaseStudy.fields).toEqual([expect.objectContaining({ field: 'savingsClaimedPounds' })]);
    const id = rawId(caseStudy.id);
    expect(await eventTypes(id)).toEqual(['case_study.created', 'case_study.updated']);
    const updated = await database.db.selectFrom('outbox_events').select('payload').where('subject_id', '=', id)
      .where('type', '=', 'case_study.updated').executeTakeFirstOrThrow();
    expect(updated.payload).toMatchObject({ version: 2, outcome: 'did_not_work', problemIds: [second] });
    expect((updated.payload as any).changed.sort()).toEqual(['cost_pounds', 'evidence_url', 'outcome', 'problemIds']);
  });

  it('forbids plain members and other councils from changing a case study', async () => {
    const caseStudy = await createCaseStudy();
    const input = { id: caseStudy.id, version: 1, title: 'Hijacked' };
    const before = await snapshot();
    const member = await hub.gql(UPDATE, { input }, people.a.member.token);
    expect(member.data.updateCaseStudy).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    for (const mutation of [PUBLISH, ARCHIVE]) {
      const own = await hub.gql(mutation, { input: { id: caseStudy.id } }, people.a.member.token);
      expect(Object.values(own.data)[0]).toMatchObject({ __typename: 'ForbiddenError' });
      // Another council cannot even see the draft.
      const other = await hub.gql(mutation, { input: { id: caseStudy.id } }, people.b.admin.token);
      expect(Object.values(other.data)[0]).toMatchObject({ __typename: 'NotFoundError' });
    }
    expect((await hub.gql(UPDATE, { input }, people.b.admin.token)).data.updateCaseStudy.__typename).toBe('NotFoundError');
    expect(await snapshot()).toEqual(before);
    await publish(caseStudy.id);
    const afterPublish = await hub.gql(UPDATE, { input: { ...input, version: 2 } }, people.b.admin.token);
    expect(afterPublish.data.updateCaseStudy.__typename).toBe('ForbiddenError');
    const archive = await hub.gql(ARCHIVE, { input: { id: caseStudy.id } }, people.b.editor.token);
    expect(archive.data.archiveCaseStudy.__typename).toBe('ForbiddenError');
    const row = await database.db.selectFrom('case_studies').select(['title', 'status']).where('id', '=', rawId(caseStudy.id)).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: validInput.title, status: 'active' });
  });

  it('keeps drafts, and links to drafts, within the owning council', async () => {
    const ownDraftProblem = await insertContent(database.db, 'problems', people.a.admin, 'draft', 'Still a draft at A');
    const ownDraftSolution = await insertContent(database.db, 'solutions', people.a.admin, 'draft', 'A draft solution at A');
    const caseStudy = await createCaseStudy({
      ...validInput, problemIds: [globalId('Problem', ownDraftProblem)], solutionIds: [globalId('Solution', ownDraftSolution)],
    });
    const node = `query($id: ID!) { node(id: $id) { id ... on CaseStudy { title problems { title } solutions { title } } } }`;
    expect((await hub.gql(node, { id: caseStudy.id }, people.a.member.token)).data.node.title).toBe(validInput.title);
    expect((await hub.gql(node, { id: caseStudy.id }, people.b.admin.token)).data.node).toBeNull();
    expect((await hub.gql(node, { id: caseStudy.id })).data.node).toBeNull();
    const ids = async (token?: string) =>
      (await hub.gql(LIST, { first: 100, filter: { includeDrafts: true } }, token)).data.caseStudies.edges.map((e: any) => e.node.id);
    expect(await ids(people.a.member.token)).toContain(caseStudy.id);
    expect(await ids(people.b.admin.token)).not.toContain(caseStudy.id);
    expect(await ids()).not.toContain(caseStudy.id);
    await publish(caseStudy.id);
    // Published, the case study is public; the draft problem it links to is not.
    expect((await hub.gql(node, { id: caseStudy.id }, people.b.admin.token)).data.node).toMatchObject({ problems: [], solutions: [] });
    expect((await hub.gql(node, { id: caseStudy.id }, people.a.member.token)).data.node).toMatchObject({
      problems: [{ title: 'Still a draft at A' }], solutions: [{ title: 'A draft solution at A' }],
    });
    expect(await ids()).toContain(caseStudy.id);
  });

  it('lists the case studies about a problem or solution on it, newest first, keeping drafts within their council', async () => {
    const problemId = await insertContent(database.db, 'problems', people.b.admin, 'published', 'Blue badge renewals on paper');
    const solutionId = await insertContent(database.db, 'solutions', people.b.admin, 'published', 'Online blue badge renewals');
    const links = { problemIds: [globalId('Problem', problemId)], solutionIds: [globalId('Solution', solutionId)] };
    const older = await createCaseStudy({ ...validInput, ...links, title: 'Blue badges: the first year' });
    await publish(older.id);
    const draft = await createCaseStudy({ ...validInput, ...links, title: 'Blue badges: the second year' });
    const query = `query($p: ID!, $s: ID!) {
      p: node(id: $p) { ... on Problem { caseStudies { id title } } }
      s: node(id: $s) { ... on Solution { caseStudies { id } } } }`;
    const about = async (token?: string) =>
      (await hub.gql(query, { p: globalId('Problem', problemId), s: globalId('Solution', solutionId) }, token)).data;
    const ours = await about(people.a.member.token);
    expect(ours.p.caseStudies.map((c: any) => c.id)).toEqual([draft.id, older.id]);
    expect(ours.s.caseStudies.map((c: any) => c.id)).toEqual([draft.id, older.id]);
    for (const token of [people.b.admin.token, undefined]) {
      const theirs = await about(token);
      expect(theirs.p.caseStudies).toEqual([{ id: older.id, title: 'Blue badges: the first year' }]);
      expect(theirs.s.caseStudies).toEqual([{ id: older.id }]);
    }
  });

  it('publishes, archives, and refuses to do either twice or with a stale version', async () => {
    const caseStudy = await createCaseStudy();
    const published = await hub.gql(PUBLISH, { input: { id: caseStudy.id, version: 1 } }, people.a.editor.token);
    expect(published.data.publishCaseStudy.caseStudy).toMatchObject({ visibility: 'PUBLISHED', version: 2 });
    expect((await hub.gql(PUBLISH, { input: { id: caseStudy.id } }, people.a.editor.token)).data.publishCaseStudy.__typename).toBe('ConflictError');
    const stale = await hub.gql(ARCHIVE, { input: { id: caseStudy.id, version: 1 } }, people.a.admin.token);
    expect(stale.data.archiveCaseStudy).toMatchObject({ __typename: 'ConflictError', currentVersion: 2 });
    const archived = await hub.gql(ARCHIVE, { input: { id: caseStudy.id, version: 2 } }, people.a.admin.token);
    expect(archived.data.archiveCaseStudy.caseStudy).toMatchObject({ status: 'ARCHIVED', version: 3 });
    expect((await hub.gql(ARCHIVE, { input: { id: caseStudy.id } }, people.a.admin.token)).data.archiveCaseStudy.__typename).toBe('ConflictError');
    const listed = async (statuses?: string[]) => (await hub.gql(LIST, { first: 100, filter: { statuses } })).data.caseStudies.edges.map((e: any) => e.node.id);
    expect(await listed()).not.toContain(caseStudy.id);
    expect(await listed(['ARCHIVED'])).toContain(caseStudy.id);
    const events = await database.db.selectFrom('outbox_events').select(['type', 'visibility', 'payload']).where('subject_id', '=', rawId(caseStudy.id)).orderBy('position').execute();
    expect(events.map((e) => [e.type, e.visibility, (e.payload as any).version])).toEqual([
      ['case_study.created', 'draft', 1], ['case_study.published', 'published', 2], ['case_study.archived', 'published', 3],
    ]);
  });

  it('writes a change and its event together: when the event cannot be written, nothing is', async () => {
    const problemId = await insertContent(database.db, 'problems', people.a.admin, 'published');
    const caseStudy = await createCaseStudy();
    const attempts = [
      ['case_study.created', CREATE, { ...validInput, problemIds: [globalId('Problem', problemId)] }],
      ['case_study.updated', UPDATE, { id: caseStudy.id, version: 1, title: 'Lost', problemIds: [globalId('Problem', problemId)] }],
      ['case_study.published', PUBLISH, { id: caseStudy.id }],
      ['case_study.archived', ARCHIVE, { id: caseStudy.id }],
    ] as const;
    for (const [type, mutation, input] of attempts) {
      const before = await snapshot();
      const undo = await failEventAppends(database.db, type);
      try {
        const res = await hub.gql(mutation, { input }, people.a.editor.token);
        expect(res.errors?.[0]?.message, type).toBe('Unexpected error.');
        expect(JSON.stringify(res)).not.toMatch(/outbox append refused|\.ts:\d+/);
      } finally {
        await undo();
      }
      expect(await snapshot(), type).toEqual(before);
    }
    const row = await database.db.selectFrom('case_studies').select(['version', 'title', 'visibility', 'status']).where('id', '=', rawId(caseStudy.id)).executeTakeFirstOrThrow();
    expect(row).toEqual({ version: 1, title: validInput.title, visibility: 'draft', status: 'active' });
  });

  it('filters by outcome, council, service area and tag, newest first, and pages both ways', async () => {
    const outcomes = ['WORKED', 'DID_NOT_WORK', 'TOO_EARLY_TO_TELL', 'DID_NOT_WORK', 'WORKED'];
    const created: string[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      const c = await createCaseStudy({ ...validInput, outcome, serviceArea: 'HOUSING', tags: [`batch-${i % 2}`] }, people.b.member.token);
      await hub.gql(PUBLISH, { input: { id: c.id } }, people.b.editor.token);
      created.unshift(c.id);
    }
    const mine = { councilIds: [globalId('Council', people.b.council.id)] };
    const page = async (vars: Record<string, unknown>) => {
      const res = await hub.gql(LIST, vars);
      expect(res.errors).toBeUndefined();
      return res.data.caseStudies;
    };
    expect((await page({ first: 100, filter: mine })).edges.map((e: any) => e.node.id)).toEqual(created);
    const failures = await page({ first: 100, filter: { ...mine, outcomes: ['DID_NOT_WORK'] } });
    expect(failures.edges.map((e: any) => e.node.outcome)).toEqual(['DID_NOT_WORK', 'DID_NOT_WORK']);
    expect((await page({ first: 100, filter: { ...mine, tags: ['Batch-1'] } })).edges).toHaveLength(2);
    expect((await page({ first: 100, filter: { ...mine, serviceAreas: ['WASTE'] } })).edges).toHaveLength(0);
    expect((await page({ first: 100, filter: { serviceAreas: ['HOUSING'] } })).edges.map((e: any) => e.node.id)).toEqual(created);

    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p: any = await page({ first: 2, after, filter: mine });
      forward.push(...p.edges.map((e: any) => e.node.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(forward).toEqual(created);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const p: any = await page({ last: 2, before, filter: mine });
      backward.unshift(...p.edges.map((e: any) => e.node.id));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(backward).toEqual(created);

    for (const orderBy of ['MOST_SHARED', 'MOST_ADOPTED']) {
      const res = await hub.gql(LIST, { first: 5, orderBy });
      // CaseStudyOrder has NEWEST only: the variable is refused before anything runs.
      expect(res.errors?.[0]?.message).toMatch(/CaseStudyOrder/);
    }
    expect((await hub.gql(LIST, { first: 2, after: 'garbage' })).errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('serves a page of case studies with their council, author, links and comments in a fixed number of statements', async () => {
    const problemId = await insertContent(database.db, 'problems', people.b.admin, 'published');
    const solutionId = await insertContent(database.db, 'solutions', people.a.admin, 'published');
    // Written in bulk: a hundred round trips per engine would only test the machine's patience.
    const authors = [people.b.member, people.b.editor, people.b.admin];
    const rows = await database.db.insertInto('case_studies').values(Array.from({ length: 100 }, (_, i) => ({
      council_id: people.b.council.id, author_id: authors[i % 3]!.id, title: `Case study ${i}`, summary: 'Bulk',
      body: '', service_area: 'public_health', tags: [], visibility: 'published' as const, outcome: 'worked',
    }))).returning('id').execute();
    await database.db.insertInto('case_study_problems').values(rows.map((r) => ({ case_study_id: r.id, problem_id: problemId }))).execute();
    await database.db.insertInto('case_study_solutions').values(rows.map((r) => ({ case_study_id: r.id, solution_id: solutionId }))).execute();
    await database.db.insertInto('comments').values(rows.map((r, i) => ({
      subject_type: 'case_study' as const, subject_id: r.id, council_id: people.a.council.id, author_id: people.a.member.id, body: `Comment on ${i}`,
    }))).execute();
    const query = `query($first: Int) { caseStudies(first: $first, filter: { serviceAreas: [PUBLIC_HEALTH] }) { edges { node {
      id title council { name } author { name } problems { title council { name } } solutions { title council { name } } commentCount
      comments(first: 3) { edges { node { body author { name } council { name } } } pageInfo { hasNextPage } } } } } }`;
    const cost = async (first: number) => {
      const { body: res, statements } = await counter.request(hub, query, { first }, people.a.member.token);
      expect(res.errors).toBeUndefined();
      expect(res.data.caseStudies.edges).toHaveLength(first);
      expect(res.data.caseStudies.edges[0].node.comments.edges).toHaveLength(1);
      return statements.length;
    };
    // A token's first use in a minute also records it; take that write out of the count.
    await hub.gql('{ viewer { member { name } } }', {}, people.a.member.token);
    const [small, large] = [await cost(5), await cost(100)];
    expect(large).toBe(small);
    // Token, page; then councils, members, links, counts, comment pages; then problems,
    // solutions, and the members and councils that only comments and linked items name.
    expect(large).toBeLessThanOrEqual(11);
    console.log(`${engine.engine}: a page of 100 case studies with links and comments took ${large} SQL statements`);
  });
});
