import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema/index.js';
import { createMember, createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { STEPS, type Walk } from '../support/mutation-walk.js';

const schema = buildSchema();

describe.each(testDatabases())('every mutation appends its event, as subscribers see it, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let sub: TestSubscription;

  beforeAll(async () => {
    database = await engine.create();
    // Webhook URLs on loopback are allowed, so registering one needs no DNS.
    hub = await startTestApp(database, { WEBHOOKS_ALLOW_PRIVATE: 'true' });
    people = await createTwoCouncils(database.db);
    // An admin of the owning council sees its drafts, tokens and webhook endpoints too, so
    // every event reaches this subscriber.
    sub = subscribeWs(hub.url, `subscription($after: Position) { events(after: $after) { position type } }`,
      { after: hub.app.tail.position }, people.a.admin.token);
  });
  afterAll(async () => {
    await sub?.close();
    await hub?.close();
    await database?.close();
  });

  it('has a step for every mutation in the schema', () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(STEPS.map((s) => s.mutation).sort()).toEqual(mutations);
  });

  it('walks each mutation and receives exactly its events, in order', async () => {
    const walk: Walk = {
      hub, people, ids: {},
      platformAdmin: (await createMember(database.db, people.a.council.id, 'admin', true)).token,
      async call(mutation, input, token, select) {
        const field = schema.getMutationType()!.getFields()[mutation]!;
        const inputType = String(field.args.find((a) => a.name === 'input')!.type);
        const selection = select ? `... on ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Payload { ${select} }` : '';
        const res = await hub.gql(`mutation($input: ${inputType}) { ${mutation}(input: $input) { __typename ${selection} ... on Error { code message } } }`, { input }, token);
        expect(res.errors, mutation).toBeUndefined();
        const payload = res.data[mutation];
        expect(payload.code, `${mutation}: ${payload.message}`).toBeUndefined();
        return payload;
      },
    };
    for (const step of STEPS) {
      const before = sub.received.length;
      await step.run(walk);
      await waitFor(() => sub.received.length >= before + step.events.length, { what: `the events of ${step.mutation}` });
      expect(sub.received.slice(before).map((d) => d.events.type), step.mutation).toEqual(step.events);
    }
    // Nothing more arrives than the steps account for.
    const marker = await walk.call('createProblem', { title: 'Marker', summary: 'Marker.', serviceArea: 'WASTE' }, people.a.member.token, 'problem { id }');
    await waitFor(() => sub.received.length === STEPS.reduce((n, s) => n + s.events.length, 0) + 1, { what: 'the marker' });
    expect(marker.problem.id).toBeTruthy();
    // Following the problem includes what targets it: solutions linked to it and unlinked.
    const about = await hub.gql(`query($s: [ID!]) { events(first: 50, filter: { subjectIds: $s }) { edges { node { type } } } }`,
      { s: [walk.ids.problem] }, people.a.member.token);
    expect(about.data.events.edges.map((e: any) => e.node.type)).toEqual([
      'PROBLEM_CREATED', 'PROBLEM_UPDATED', 'PROBLEM_STATUS_CHANGED', 'PROBLEM_PUBLISHED', 'PROBLEM_SUPPORTED',
      'PROBLEM_SUPPORT_WITHDRAWN', 'PROBLEM_SUPPORTED', 'SOLUTION_LINKED', 'SOLUTION_UNLINKED', 'COMMENT_ADDED', 'COMMENT_EDITED',
      'COMMENT_DELETED', 'PROBLEM_UPDATED', 'PROBLEM_CONFIRMED_CURRENT', 'PROBLEM_ARCHIVED',
    ]);
  });
});
