import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PAGE = `query Page($n: Int, $order: ProblemOrder) { problems(first: $n, orderBy: $order) {
  pageInfo { hasNextPage endCursor }
  edges { cursor node { id title summary body serviceArea tags status visibility version supporterCount solutionCount adoptionCount
    createdAt publishedAt viewerCanEdit council { name slug region } author { name } } } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Problem { title council { slug } } ... on Council { name } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Problem { title } } }`;
const VIEWER = `{ viewer { __typename ... on Member { name role council { slug } } } }`;
const UPDATE = `mutation($input: UpdateProblemInput!) { updateProblem(input: $input) {
  __typename ... on UpdateProblemPayload { problem { id version } } ... on Error { code message } ... on ConflictError { currentVersion } } }`;

/**
 * Compiled execution (graphql-jit) must answer exactly as graphql-js does: the same data, the
 * same errors with the same codes and paths, the same HTTP status. Two hubs over one database,
 * one interpreting every run and one compiling from the first, get the same requests.
 */
describe.each(testDatabases())('compiled execution on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let interpreted: TestApp;
  let compiled: TestApp;
  let people: People;
  let problemId: string;

  beforeAll(async () => {
    database = await engine.create();
    interpreted = await startTestApp(database, { COMPILE_AFTER_RUNS: '1000000' });
    compiled = await startTestApp(database, { COMPILE_AFTER_RUNS: '0' });
    people = await createTwoCouncils(database.db);
    for (const [i, author] of [people.a.editor, people.b.member, people.a.member].entries()) {
      const created = await compiled.gql(`mutation($input: CreateProblemInput!) { createProblem(input: $input) {
        ... on CreateProblemPayload { problem { id version } } } }`,
      { input: { title: `Problem ${i} about bins`, summary: 'Missed collections are re-keyed', serviceArea: 'WASTE', tags: ['bins', `t${i}`] } }, author.token);
      const { id, version } = created.data.createProblem.problem;
      problemId ??= id;
      await compiled.gql(`mutation($input: PublishProblemInput!) { publishProblem(input: $input) { __typename } }`, { input: { id, version } }, author.token);
    }
  });
  afterAll(async () => {
    await interpreted?.close();
    await compiled?.close();
    await database?.close();
  });

  const cases = (): [string, string, Record<string, unknown> | undefined, (() => string) | undefined][] => [
    ['a page with councils, authors, counts and cursors', PAGE, { n: 2 }, undefined],
    ['a page by most shared, as a member who may edit some', PAGE, { n: 20, order: 'MOST_SHARED' }, () => people.a.editor.token],
    ['nodes of several types, one unknown', NODES, { ids: [problemId, encodeGlobalId('Council', people.b.council.id), encodeGlobalId('Problem', '00000000-0000-4000-8000-000000000000')] }, undefined],
    ['a malformed global id', NODE, { id: 'not-a-global-id' }, undefined],
    ['a variable of the wrong type', PAGE, { n: 'twenty' }, undefined],
    ['first past the page cap', PAGE, { n: 1000 }, undefined],
    ['the viewer', VIEWER, undefined, () => people.b.admin.token],
    ['a stale version: a typed error in the payload', UPDATE, { input: { id: problemId, version: 0, title: 'Changed' } }, () => people.a.editor.token],
    ["another council's problem: forbidden", UPDATE, { input: { id: problemId, version: 2, title: 'Changed' } }, () => people.b.admin.token],
  ];

  it('never runs code from a string literal: graphql-jit turns its date marker into JavaScript, so such documents are interpreted', async () => {
    // graphql-jit (execution.js, objectStringify) rewrites "<marker><text>" in the literal
    // arguments it embeds into `new Date(<text>)` in the compiled function's source.
    const marker = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d';
    const flag = `__compiledInjection${Math.random().toString(36).slice(2)}`;
    const run = (query: string) => compiled.gql(query);
    const injecting = `{ search(query: "${marker}1+(globalThis.${flag}=1)", first: 1) { totalCount } }`;
    // Spelt with a unicode escape, the marker is not in the source text, only in the value.
    const escaped = `{ similar(text: "\\u005F${marker.slice(1)}1+(globalThis.${flag}=2)") { score } }`;
    for (const query of [injecting, escaped, `query($n: Int = 3) { problems(first: $n, orderBy: NEWEST) { edges { node { title @include(if: true) } } } }`]) {
      const expected = await interpreted.gql(query);
      for (let runs = 0; runs < 3; runs++) expect(await run(query)).toEqual(expected);
    }
    expect((globalThis as Record<string, unknown>)[flag]).toBeUndefined();
  });

  it('answers each request as graphql-js does, run after run', async () => {
    for (const [name, query, variables, token] of cases()) {
      const expected = await interpreted.gql(query, variables, token?.());
      for (let run = 0; run < 3; run++) {
        expect(await compiled.gql(query, variables, token?.()), `${name}, run ${run + 1}`).toEqual(expected);
      }
    }
  });
});
