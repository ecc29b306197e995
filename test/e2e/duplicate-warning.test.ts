import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const WARNING = `possibleDuplicates { likeness score similarity reasons sharedWords item { id: contentId kind title } addressedBy { id: contentId title } }`;
const CREATE_PROBLEM = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } ${WARNING} } ... on Error { code message } } }`;
const PUBLISH_PROBLEM = `mutation($input: PublishProblemInput!) { publishProblem(input: $input) { ... on PublishProblemPayload { problem { id } } ... on Error { code } } }`;
const CREATE_SOLUTION = `mutation($input: CreateSolutionInput!) { createSolution(input: $input) { ... on CreateSolutionPayload { solution { id } ${WARNING} } ... on Error { code message } } }`;
const PUBLISH_SOLUTION = `mutation($input: PublishSolutionInput!) { publishSolution(input: $input) { ... on PublishSolutionPayload { solution { id } } ... on Error { code } } }`;
const LINK = `mutation($input: LinkSolutionToProblemInput!) { linkSolutionToProblem(input: $input) { ... on Error { code } } }`;
const CREATE_CASE_STUDY = `mutation($input: CreateCaseStudyInput!) { createCaseStudy(input: $input) { ... on CreateCaseStudyPayload { caseStudy { id } ${WARNING} } ... on Error { code message } } }`;
const CHECK = `query($kind: SearchKind!, $title: String!, $summary: String) { duplicateCheck(kind: $kind, title: $title, summary: $summary) { likeness score reasons item { id: contentId kind title } } }`;
const STATUS = `{ indexerStatus { lag } }`;

// The warning for every kind, over real HTTP, with the indexer running in-process.
describe.each(testDatabases())('the duplicate warning on $engine', (setup) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const ids: Record<string, string> = {};

  const ok = async (query: string, input: Record<string, unknown>, token: string, field: string) => {
    const res = await hub.gql(query, { input }, token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const payload = (res.data as Record<string, any>)[field];
    expect(payload.code, JSON.stringify(payload)).toBeUndefined();
    return payload;
  };

  beforeAll(async () => {
    database = await setup.create();
    hub = await startTestApp(database, { IN_PROCESS_WORKERS: 'true' });
    people = await createTwoCouncils(database.db);
    const a = people.a.editor.token;
    const problem = await ok(CREATE_PROBLEM, { title: 'Disabled facilities grants take most of a year', summary: 'From the occupational therapist visit to a finished level-access shower takes forty weeks.', serviceArea: 'HOUSING' }, a, 'createProblem');
    ids.dfg = problem.problem.id;
    await ok(PUBLISH_PROBLEM, { id: ids.dfg }, a, 'publishProblem');
    const other = await ok(CREATE_PROBLEM, { title: 'Library roofs leak in the winter', summary: 'Branch library buildings need roof repairs we cannot fund.', serviceArea: 'LEISURE_CULTURE' }, a, 'createProblem');
    await ok(PUBLISH_PROBLEM, { id: other.problem.id }, a, 'publishProblem');
    const solution = await ok(CREATE_SOLUTION, { title: 'Fast-track route for small disabled facilities grants', summary: 'Grab rails and small adaptations skip the full means test and are ordered by the therapist.', serviceArea: 'HOUSING', kind: 'PROCESS', phase: 'LIVE' }, a, 'createSolution');
    ids.fastTrack = solution.solution.id;
    await ok(PUBLISH_SOLUTION, { id: ids.fastTrack }, a, 'publishSolution');
    await ok(LINK, { solutionId: ids.fastTrack, problemId: ids.dfg }, a, 'linkSolutionToProblem');
    await waitFor(async () => (await hub.gql(STATUS)).data.indexerStatus.lag === 0, { what: 'the indexer to catch up' });
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  it('warns another council drafting the same problem in other words, with the solutions addressing it and why', async () => {
    const { possibleDuplicates } = await ok(CREATE_PROBLEM, {
      title: 'Home adaptations for disabled residents take many months',
      summary: 'Residents wait most of a year for grant-funded rails, ramps and showers after the occupational therapist assessment.',
      serviceArea: 'HOUSING',
    }, people.b.editor.token, 'createProblem');
    const first = possibleDuplicates[0];
    expect(first).toMatchObject({ likeness: 'DUPLICATE', item: { id: expect.any(String), kind: 'PROBLEM' } });
    expect(first.score).toBeGreaterThanOrEqual(0.5);
    expect(first.reasons.join(' ')).toMatch(/alike in meaning/);
    expect(first.addressedBy.map((s: { title: string }) => s.title)).toEqual(['Fast-track route for small disabled facilities grants']);
    expect(possibleDuplicates.map((d: any) => d.item.title)).not.toContain('Library roofs leak in the winter');
  });

  it('shows the same council\'s later phase as related work, not as a duplicate', async () => {
    const { possibleDuplicates } = await ok(CREATE_PROBLEM, {
      title: 'Disabled facilities grants over £10,000 still take most of a year',
      summary: 'The fast track helped small adaptations; extensions still wait forty weeks from the occupational therapist visit.',
      serviceArea: 'HOUSING',
    }, people.a.editor.token, 'createProblem');
    const earlier = possibleDuplicates.find((d: any) => d.item.title === 'Disabled facilities grants take most of a year');
    expect(earlier).toMatchObject({ likeness: 'RELATED' });
    expect(earlier.reasons.join(' ')).toMatch(/your own council/);
    expect(possibleDuplicates.filter((d: any) => d.likeness === 'DUPLICATE')).toEqual([]);
  });

  it('warns a council drafting a solution that a similar solution exists', async () => {
    const { possibleDuplicates } = await ok(CREATE_SOLUTION, {
      title: 'Quick route for small home adaptation grants',
      summary: 'Small adaptations such as grab rails are ordered by the occupational therapist without the full means test.',
      serviceArea: 'HOUSING', kind: 'PROCESS', phase: 'BETA',
    }, people.b.editor.token, 'createSolution');
    expect(possibleDuplicates[0]).toMatchObject({ likeness: 'DUPLICATE', item: { kind: 'SOLUTION' } });
    expect(possibleDuplicates.every((d: any) => d.item.kind === 'SOLUTION')).toBe(true);
  });

  it('tells a case study which problems and solutions it is likely about', async () => {
    const { possibleDuplicates } = await ok(CREATE_CASE_STUDY, {
      title: 'A year of fast-tracking small disabled facilities grants',
      summary: 'Grab rails and small adaptations now arrive in weeks, not months, once the therapist orders them directly.',
      serviceArea: 'HOUSING', outcome: 'WORKED',
    }, people.b.editor.token, 'createCaseStudy');
    const about = possibleDuplicates.filter((d: any) => d.likeness === 'LIKELY_ABOUT').map((d: any) => d.item.kind);
    expect(about).toContain('SOLUTION');
    expect(new Set(possibleDuplicates.map((d: any) => d.item.kind))).not.toContain('CASE_STUDY');
  });

  it('checks unsaved text for members only, and never shows a draft of another council', async () => {
    // The same words as council b's unpublished draft above: the draft itself is never shown.
    const check = {
      kind: 'PROBLEM', title: 'Home adaptations for disabled residents take many months',
      summary: 'Residents wait most of a year for grant-funded rails, ramps and showers after the occupational therapist assessment.',
    };
    const res = await hub.gql(CHECK, check, people.a.member.token);
    expect(res.errors).toBeUndefined();
    expect(res.data.duplicateCheck[0]).toMatchObject({ likeness: 'RELATED', item: { title: 'Disabled facilities grants take most of a year' } });
    expect(res.data.duplicateCheck[0].reasons.join(' ')).toMatch(/your own council/);
    const drafts = (await database.db.selectFrom('problems').select('title').where('visibility', '=', 'draft').execute()).map((r) => r.title);
    expect(drafts).toContain(check.title);
    expect(res.data.duplicateCheck.map((d: any) => d.item.title).filter((t: string) => drafts.includes(t))).toEqual([]);
    const other = await hub.gql(CHECK, check, people.b.member.token);
    expect(other.data.duplicateCheck[0]).toMatchObject({ likeness: 'DUPLICATE', item: { title: 'Disabled facilities grants take most of a year' } });
    const anonymous = await hub.gql(CHECK, check);
    expect(anonymous.errors?.[0]?.extensions?.code ?? anonymous.data?.duplicateCheck).toBeTruthy();
    expect(anonymous.data?.duplicateCheck ?? null).toBeNull();
    const empty = await hub.gql(CHECK, { ...check, title: '  ' }, people.b.member.token);
    expect(empty.errors?.[0]?.message).toMatch(/title/);
  });
});
