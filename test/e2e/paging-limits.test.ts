import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, startTestApp, type TestApp } from '../support/test-app.js';

/** Every field with `first`/`last`, reached from the root; `$n` is the page size under test. */
const PAGED = {
  problems: 'query($n: Int) { problems(first: $n) { edges { cursor } } }',
  problemsLast: 'query($n: Int) { problems(last: $n) { edges { cursor } } }',
  councils: 'query($n: Int) { councils(first: $n) { edges { cursor } } }',
  events: 'query($n: Int) { events(first: $n) { edges { cursor } } }',
  comments: 'query($n: Int) { problems(first: 1, filter: { includeDrafts: true }) { edges { node { comments(first: $n) { edges { cursor } } } } } }',
  notifications: 'query($n: Int) { viewer { notifications(first: $n) { edges { cursor } } } }',
  members: 'query($n: Int) { viewer { member { council { members(first: $n) { edges { cursor } } } } } }',
};

describe.each(testDatabases())('page sizes and batches on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const others: TestApp[] = [];

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(engine));
    const created = await hub.gql(`mutation { createProblem(input: { title: "Paper forms", summary: "Re-keyed by hand", serviceArea: WASTE }) {
      ... on CreateProblemPayload { problem { id } } } }`, {}, people.a.editor.token);
    expect(created.data.createProblem.problem.id).toBeTruthy();
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    await closeHub(hub, database);
  });

  it('refuses a page over 100 on every connection with a VALIDATION_FAILED error naming the argument, where it used to cap it silently', async () => {
    for (const [name, query] of Object.entries(PAGED)) {
      const ok = await hub.gql(query, { n: 100 }, people.a.admin.token);
      expect(ok.errors, name).toBeUndefined();
      expect(JSON.stringify(ok.data), `${name} reaches its connection`).toMatch(/"edges"/);
      for (const n of [101, -1]) {
        const refused = await hub.gql(query, { n }, people.a.admin.token);
        const arg = name === 'problemsLast' ? 'last' : 'first';
        expect(refused.errors?.[0]?.extensions, `${name} ${n}`).toMatchObject({
          code: 'VALIDATION_FAILED', fields: [{ field: arg, message: 'must be a whole number from 0 to 100' }],
        });
      }
    }
  });

  it('refuses search and similar over their own maximum in the same words', async () => {
    const search = await hub.gql('{ search(query: "", first: 51) { totalCount } }');
    expect(search.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'first', message: 'must be a whole number from 1 to 50' }] });
    const similar = await hub.gql('{ similar(text: "bins", first: 21) { score } }');
    expect(similar.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'first', message: 'must be a whole number from 1 to 20' }] });
    expect((await hub.gql('{ search(query: "", first: 50) { totalCount } }')).errors).toBeUndefined();
  });

  it('offers each listing only the orders it can sort by', async () => {
    const refused = await hub.gql('{ caseStudies(orderBy: MOST_SHARED) { edges { cursor } } }');
    expect(refused.errors?.[0]?.message).toMatch(/CaseStudyOrder/);
    expect((await hub.gql('{ solutions(orderBy: MOST_SHARED) { edges { cursor } } }')).errors?.[0]?.message).toMatch(/SolutionOrder/);
    expect((await hub.gql('{ problems(orderBy: MOST_SHARED) { edges { cursor } } }')).errors).toBeUndefined();
  });

  async function post(target: TestApp, body: unknown, accept = 'application/graphql-response+json') {
    const res = await fetch(`${target.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() as any };
  }

  it('answers a batch with 400 saying batching is not supported, for legacy clients too', async () => {
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const res = await post(hub, [{ query: '{ __typename }' }, { query: '{ __typename }' }], accept);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Batched requests are not supported/), extensions: { code: 'BAD_REQUEST' } });
    }
  });

  it('with batching on, limits and costs each operation on its own', async () => {
    const batching = await startTestApp(database, { MAX_BATCH_SIZE: '3', MAX_QUERY_COST: '30' });
    others.push(batching);
    // councils(first: 20) costs 1 + 20 + 20: over 30 alone, whatever rides with it.
    const res = await post(batching, [{ query: '{ __typename }' }, { query: '{ councils(first: 20) { edges { node { id } } } }' }, { query: '{ councils(first: 5) { edges { node { id } } } }' }]);
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ data: { __typename: 'Query' } });
    expect(res.body[1].errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxCost' });
    expect(res.body[2].data.councils.edges.length).toBeGreaterThan(0);
    const over = await post(batching, Array.from({ length: 4 }, () => ({ query: '{ __typename }' })));
    expect(over.status).toBe(400);
    expect(over.body.errors[0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBatchSize', max: 3 } });
  });
});
