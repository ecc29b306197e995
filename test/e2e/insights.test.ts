import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil, createMember, type People, type TestMember } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const INSIGHTS = `{ insights {
  demandByServiceArea { serviceArea problems councils }
  demandByRegion { region problems supports councils }
  mostSharedProblems { problem { id } councilCount councils { id } }
  adoptionsByMonth { month count }
  adoptionFlows { from { id } to { id } adoptions }
  caseStudyOutcomes { serviceArea outcome caseStudies }
  activityByMonth { month problems solutions caseStudies supports adoptions }
} }`;
// What the public API lists, from which the test computes the same figures itself.
// One list per request keeps each under the cost limit; the test's data fits in one page.
const PUBLIC = [
  `{ councils(first: 50) { edges { node { id region } } } }`,
  `{ problems(first: 20) { edges { node { id serviceArea publishedAt council { id } supporters { council { id } createdAt } } } } }`,
  `{ solutions(first: 20) { edges { node { id publishedAt council { id } adoptions { council { id } stage updatedAt } } } } }`,
  `{ caseStudies(first: 20) { edges { node { serviceArea outcome publishedAt } } } }`,
];
const CREATE_PROBLEM = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH_PROBLEM = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const ARCHIVE_PROBLEM = `mutation($id: ID!) { archiveProblem(input: { id: $id }) { __typename } }`;
const SUPPORT = `mutation($input: SupportProblemInput!) { supportProblem(input: $input) { __typename } }`;
const CREATE_SOLUTION = `mutation($input: CreateSolutionInput!) { createSolution(input: $input) { ... on CreateSolutionPayload { solution { id } } } }`;
const PUBLISH_SOLUTION = `mutation($id: ID!) { publishSolution(input: { id: $id }) { __typename } }`;
const ADOPT = `mutation($input: RecordAdoptionInput!) { recordAdoption(input: $input) { __typename } }`;
const CREATE_CASE_STUDY = `mutation($input: CreateCaseStudyInput!) { createCaseStudy(input: $input) { ... on CreateCaseStudyPayload { caseStudy { id } } } }`;
const PUBLISH_CASE_STUDY = `mutation($id: ID!) { publishCaseStudy(input: { id: $id }) { __typename } }`;

type Edges<T> = { edges: { node: T }[] };
interface PublicData {
  councils: Edges<{ id: string; region: string }>;
  problems: Edges<{ id: string; serviceArea: string; publishedAt: string; council: { id: string }; supporters: { council: { id: string }; createdAt: string }[] }>;
  solutions: Edges<{ id: string; publishedAt: string; council: { id: string }; adoptions: { council: { id: string }; stage: string; updatedAt: string }[] }>;
  caseStudies: Edges<{ serviceArea: string; outcome: string; publishedAt: string }>;
}

const nodes = <T>(c: Edges<T>) => c.edges.map((e) => e.node);
const monthOf = (iso: string) => iso.slice(0, 7);
const tally = <K>(keys: readonly K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());

/** The insights as the test computes them from what the public API lists. */
function expected(data: PublicData, months: readonly string[]) {
  const regionOf = new Map(nodes(data.councils).map((c) => [c.id, c.region]));
  const problems = nodes(data.problems);
  const involvement = problems.flatMap((p) => [p.council.id, ...p.supporters.map((s) => s.council.id)].map((councilId) => ({ area: p.serviceArea, councilId })));
  const areas = [...new Set(problems.map((p) => p.serviceArea))];
  const adoptions = nodes(data.solutions).flatMap((s) => s.adoptions.filter((a) => a.stage === 'ADOPTED').map((a) => ({ ...a, from: s.council.id })));
  const supports = problems.flatMap((p) => p.supporters);
  const regions = [...new Set(regionOf.values())].sort();
  const countIn = (dates: readonly string[], month: string) => dates.filter((d) => monthOf(d) === month).length;
  return {
    demandByServiceArea: Object.fromEntries(areas.map((area) => [area, {
      problems: problems.filter((p) => p.serviceArea === area).length,
      councils: new Set(involvement.filter((i) => i.area === area).map((i) => i.councilId)).size,
    }])),
    demandByRegion: regions.map((region) => ({
      region,
      problems: problems.filter((p) => regionOf.get(p.council.id) === region).length,
      supports: supports.filter((s) => regionOf.get(s.council.id) === region).length,
      councils: new Set(involvement.map((i) => i.councilId).filter((id) => regionOf.get(id) === region)).size,
    })),
    mostSharedProblems: problems.filter((p) => p.supporters.length > 0)
      .sort((a, b) => b.supporters.length - a.supporters.length || b.publishedAt.localeCompare(a.publishedAt))
      .map((p) => ({
        problem: { id: p.id }, councilCount: 1 + p.supporters.length,
        councils: [p.council, ...[...p.supporters].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((s) => s.council)],
      })),
    adoptionsByMonth: months.map((month) => ({ month, count: countIn(adoptions.map((a) => a.updatedAt), month) })),
    adoptionFlows: [...tally(adoptions.filter((a) => a.from !== a.council.id).map((a) => `${a.from} ${a.council.id}`))]
      .map(([pair, n]) => ({ from: { id: pair.split(' ')[0]! }, to: { id: pair.split(' ')[1]! }, adoptions: n }))
      .sort((a, b) => b.adoptions - a.adoptions),
    caseStudyOutcomes: Object.fromEntries(tally(nodes(data.caseStudies).map((c) => `${c.serviceArea} ${c.outcome}`))),
    activityByMonth: months.map((month) => ({
      month,
      problems: countIn(problems.map((p) => p.publishedAt), month),
      solutions: countIn(nodes(data.solutions).map((s) => s.publishedAt), month),
      caseStudies: countIn(nodes(data.caseStudies).map((c) => c.publishedAt), month),
      supports: countIn(supports.map((s) => s.createdAt), month),
      adoptions: countIn(adoptions.map((a) => a.updatedAt), month),
    })),
  };
}

describe.each(testDatabases())('insights on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const editors: Record<string, TestMember> = {};

  async function problem(by: TestMember, title: string, serviceArea: string, publish = true): Promise<string> {
    const res = await hub.gql(CREATE_PROBLEM, { input: { title, summary: `${title}.`, serviceArea } }, by.token);
    const id = res.data.createProblem.problem.id;
    if (publish) expect((await hub.gql(PUBLISH_PROBLEM, { id }, by.token)).data.publishProblem.__typename).toBe('PublishProblemPayload');
    return id;
  }
  async function solution(by: TestMember, title: string, publish = true): Promise<string> {
    const res = await hub.gql(CREATE_SOLUTION, { input: { title, summary: `${title}.`, serviceArea: 'WASTE', kind: 'SOFTWARE', phase: 'LIVE' } }, by.token);
    const id = res.data.createSolution.solution.id;
    if (publish) expect((await hub.gql(PUBLISH_SOLUTION, { id }, by.token)).data.publishSolution.__typename).toBe('PublishSolutionPayload');
    return id;
  }
  async function caseStudy(by: TestMember, serviceArea: string, outcome: string, publish = true): Promise<void> {
    const res = await hub.gql(CREATE_CASE_STUDY, { input: { title: `What happened in ${serviceArea}`, summary: 'We tried it.', serviceArea, outcome } }, by.token);
    if (publish) await hub.gql(PUBLISH_CASE_STUDY, { id: res.data.createCaseStudy.caseStudy.id }, by.token);
  }
  const support = async (by: TestMember, problemId: string) =>
    expect((await hub.gql(SUPPORT, { input: { problemId } }, by.token)).data.supportProblem.__typename).toBe('SupportProblemPayload');
  const adopt = async (by: TestMember, solutionId: string, stage: string) =>
    expect((await hub.gql(ADOPT, { input: { solutionId, stage } }, by.token)).data.recordAdoption.__typename).toBe('RecordAdoptionPayload');

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(engine));
    editors.a = people.a.editor;
    editors.b = people.b.editor;
    for (const [key, region] of [['leeds', 'Yorkshire and the Humber'], ['cornwall', 'South West'], ['bristol', 'South West']] as const) {
      const council = await createCouncil(database.db, { region });
      editors[key] = await createMember(database.db, council.id, 'editor');
    }
    const bins = await problem(editors.a!, 'Missed bin reports reach crews a day late', 'WASTE');
    const badges = await problem(editors.leeds!, 'Blue badge applications re-keyed by hand', 'ADULT_SOCIAL_CARE');
    await problem(editors.cornwall!, 'Potholes reported twice', 'HIGHWAYS_TRANSPORT');
    const archived = await problem(editors.b!, 'An old problem, archived', 'WASTE');
    for (const who of ['b', 'leeds', 'cornwall']) await support(editors[who]!, bins);
    await support(editors.bristol!, badges);
    await support(editors.a!, archived);
    await hub.gql(ARCHIVE_PROBLEM, { id: archived }, editors.b!.token);
    const app = await solution(editors.a!, 'Crew app for missed bins');
    const form = await solution(editors.leeds!, 'Online blue badge form');
    for (const who of ['b', 'cornwall']) await adopt(editors[who]!, app, 'ADOPTED');
    await adopt(editors.bristol!, app, 'PILOTING');
    await adopt(editors.bristol!, form, 'ADOPTED');
    await caseStudy(editors.a!, 'WASTE', 'WORKED');
    await caseStudy(editors.b!, 'WASTE', 'WORKED');
    await caseStudy(editors.leeds!, 'ADULT_SOCIAL_CARE', 'PARTLY_WORKED');

    // Drafts, which no figure may count: a problem, a solution and a case study in council a.
    await problem(editors.a!, 'A draft about waste', 'WASTE', false);
    await solution(editors.a!, 'A draft solution', false);
    await caseStudy(editors.a!, 'WASTE', 'DID_NOT_WORK', false);
  });
  afterAll(() => closeHub(hub, database));

  it('equals the same counts computed from the public API', async () => {
    const res = await hub.gql(INSIGHTS);
    expect(res.errors).toBeUndefined();
    const insights = res.data.insights;
    let data = {} as PublicData;
    for (const query of PUBLIC) {
      const listed = await hub.gql(query);
      expect(listed.errors).toBeUndefined();
      data = { ...data, ...listed.data };
    }
    expect(nodes(data.problems)).toHaveLength(3);
    const want = expected(data, insights.activityByMonth.map((m: { month: string }) => m.month));

    expect(insights.demandByServiceArea).toHaveLength(16);
    for (const row of insights.demandByServiceArea) {
      expect({ area: row.serviceArea, problems: row.problems, councils: row.councils })
        .toEqual({ area: row.serviceArea, ...(want.demandByServiceArea[row.serviceArea] ?? { problems: 0, councils: 0 }) });
    }
    expect(insights.demandByRegion).toEqual(want.demandByRegion);
    expect(insights.mostSharedProblems).toEqual(want.mostSharedProblems);
    expect(insights.adoptionsByMonth).toEqual(want.adoptionsByMonth);
    // Equal flows come in the hub's own order (by uuid): compare them ordered alike.
    const byFlow = (a: { adoptions: number; from: { id: string }; to: { id: string } }, b: typeof a) =>
      b.adoptions - a.adoptions || a.from.id.localeCompare(b.from.id) || a.to.id.localeCompare(b.to.id);
    expect(insights.adoptionFlows.map((f: { adoptions: number }) => f.adoptions)).toEqual(want.adoptionFlows.map((f) => f.adoptions));
    expect([...insights.adoptionFlows].sort(byFlow)).toEqual([...want.adoptionFlows].sort(byFlow));
    expect(Object.fromEntries(insights.caseStudyOutcomes.map((o: { serviceArea: string; outcome: string; caseStudies: number }) => [`${o.serviceArea} ${o.outcome}`, o.caseStudies])))
      .toEqual(want.caseStudyOutcomes);
    expect(insights.activityByMonth).toEqual(want.activityByMonth);

    // And the figures are what the test put in: the API listing above is not empty by accident.
    const waste = insights.demandByServiceArea.find((r: { serviceArea: string }) => r.serviceArea === 'WASTE');
    expect(waste).toEqual({ serviceArea: 'WASTE', problems: 1, councils: 4 });
    expect(insights.mostSharedProblems.map((s: { councilCount: number }) => s.councilCount)).toEqual([4, 2]);
    expect(insights.adoptionsByMonth.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(3);
    expect(insights.activityByMonth.at(-1)).toMatchObject({ problems: 3, solutions: 2, caseStudies: 3, supports: 4, adoptions: 3 });
  });

  it('never counts a draft, whoever asks: the drafting council sees the same figures as everyone', async () => {
    const anonymous = (await hub.gql(INSIGHTS)).data.insights;
    expect((await hub.gql(INSIGHTS, {}, editors.a!.token)).data.insights).toEqual(anonymous);
    expect(anonymous.caseStudyOutcomes.some((o: { outcome: string }) => o.outcome === 'DID_NOT_WORK')).toBe(false);
    // Publishing the draft problem moves the figure by exactly one.
    const draft = await database.db.selectFrom('problems').select('id').where('title', '=', 'A draft about waste').executeTakeFirstOrThrow();
    await hub.gql(PUBLISH_PROBLEM, { id: Buffer.from(`Problem:${draft.id}`).toString('base64url') }, editors.a!.token);
    const after = (await hub.gql(INSIGHTS)).data.insights;
    expect(after.demandByServiceArea.find((r: { serviceArea: string }) => r.serviceArea === 'WASTE').problems).toBe(2);
  });
});
