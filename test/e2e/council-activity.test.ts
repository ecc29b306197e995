import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { ADOPT, ARCHIVE, solutionHelpers } from './solution-operations.js';

const SUPPORT = `mutation($input: SupportProblemInput!) { supportProblem(input: $input) { __typename } }`;
const WITHDRAW = `mutation($input: WithdrawSupportInput!) { withdrawSupport(input: $input) { __typename } }`;
const ARCHIVE_PROBLEM = `mutation($input: ArchiveProblemInput!) { archiveProblem(input: $input) { __typename } }`;
const PROBLEM = `query($id: ID!) { node(id: $id) { ... on Problem { supporterCount supporters { council { slug } note createdAt } } } }`;
const COUNCIL = `query($slug: String!) { council(slug: $slug) {
  supportedProblems { id }
  adoptions { stage note solution { id council { slug } } }
} }`;

describe.each(testDatabases())('who shares a problem, and what a council shares and adopts, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const h = solutionHelpers(() => hub, () => database);

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  const mutate = async (query: string, input: Record<string, unknown>, token: string) => {
    const res = await hub.gql(query, { input }, token);
    expect(res.errors).toBeUndefined();
    return res;
  };

  it('lists the councils sharing a problem, in the order they joined, and drops one that withdraws', async () => {
    const problem = (await h.createProblem(people.a.member.token, people.a.editor.token)).id as string;
    await mutate(SUPPORT, { problemId: problem, note: 'Same here: 300 a week' }, people.b.member.token);
    let found = (await hub.gql(PROBLEM, { id: problem })).data.node;
    expect(found).toMatchObject({ supporterCount: 1, supporters: [{ council: { slug: people.b.council.slug }, note: 'Same here: 300 a week' }] });
    expect(Date.parse(found.supporters[0].createdAt)).not.toBeNaN();
    expect((await hub.gql(COUNCIL, { slug: people.b.council.slug })).data.council.supportedProblems).toEqual([{ id: problem }]);

    await mutate(WITHDRAW, { problemId: problem }, people.b.member.token);
    found = (await hub.gql(PROBLEM, { id: problem })).data.node;
    expect(found).toEqual({ supporterCount: 0, supporters: [] });
    expect((await hub.gql(COUNCIL, { slug: people.b.council.slug })).data.council.supportedProblems).toEqual([]);
  });

  it('leaves archived problems out of what a council shares', async () => {
    const problem = (await h.createProblem(people.a.member.token, people.a.editor.token)).id as string;
    await mutate(SUPPORT, { problemId: problem }, people.b.member.token);
    const before = (await hub.gql(COUNCIL, { slug: people.b.council.slug })).data.council.supportedProblems;
    expect(before.map((p: { id: string }) => p.id)).toContain(problem);
    await mutate(ARCHIVE_PROBLEM, { id: problem }, people.a.editor.token);
    const after = (await hub.gql(COUNCIL, { slug: people.b.council.slug })).data.council.supportedProblems;
    expect(after.map((p: { id: string }) => p.id)).not.toContain(problem);
  });

  it("lists a council's adoptions with their solutions, most recently changed first, to anyone", async () => {
    const first = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    const second = await h.publishedSolution(people.a.member.token, people.a.editor.token);
    await mutate(ADOPT, { solutionId: first.id, stage: 'PILOTING', note: 'Two rounds live' }, people.b.member.token);
    await mutate(ADOPT, { solutionId: second.id, stage: 'REJECTED' }, people.b.member.token);
    await mutate(ADOPT, { solutionId: first.id, stage: 'ADOPTED' }, people.b.member.token);
    await mutate(ARCHIVE, { id: second.id }, people.a.editor.token);
    // Anonymous: adoptions are of published solutions, which everyone may see, archived or not.
    const { adoptions } = (await hub.gql(COUNCIL, { slug: people.b.council.slug })).data.council;
    expect(adoptions).toEqual([
      { stage: 'ADOPTED', note: null, solution: { id: first.id, council: { slug: people.a.council.slug } } },
      { stage: 'REJECTED', note: null, solution: { id: second.id, council: { slug: people.a.council.slug } } },
    ]);
  });
});
