import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema/index.js';
import { createTwoCouncils } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

type People = Awaited<ReturnType<typeof createTwoCouncils>>;

interface Walk {
  hub: TestApp;
  people: People;
  /** Ids created along the walk, for later steps. */
  ids: Record<string, string>;
  /** Runs one mutation and returns its payload, failing on any error. */
  call(mutation: string, input: Record<string, unknown>, token: string, idPath?: string): Promise<any>;
}

interface Step {
  readonly mutation: string;
  /** The events the mutation appends, in order, as subscribers see them. */
  readonly events: string[];
  run(walk: Walk): Promise<void>;
}

/**
 * Every mutation, in an order that makes each one valid. A new mutation fails the coverage
 * check below until it is added here with the events it must append (invariant 1).
 */
const STEPS: Step[] = [
  {
    mutation: 'createProblem', events: ['PROBLEM_CREATED'],
    run: async (w) => {
      w.ids.problem = (await w.call('createProblem', { title: 'Council tax reminders bounce', summary: 'Letters return undelivered.', serviceArea: 'REVENUES_BENEFITS' }, w.people.a.member.token, 'problem')).id;
    },
  },
  {
    mutation: 'updateProblem', events: ['PROBLEM_UPDATED', 'PROBLEM_STATUS_CHANGED'],
    run: async (w) => { await w.call('updateProblem', { id: w.ids.problem, version: 1, title: 'Council tax reminders bounce back', status: 'EXPLORING' }, w.people.a.editor.token, 'problem'); },
  },
  {
    mutation: 'publishProblem', events: ['PROBLEM_PUBLISHED'],
    run: async (w) => { await w.call('publishProblem', { id: w.ids.problem }, w.people.a.editor.token, 'problem'); },
  },
  {
    mutation: 'supportProblem', events: ['PROBLEM_SUPPORTED'],
    run: async (w) => { await w.call('supportProblem', { problemId: w.ids.problem, note: 'Same here' }, w.people.b.member.token, 'problem'); },
  },
  {
    mutation: 'withdrawSupport', events: ['PROBLEM_SUPPORT_WITHDRAWN'],
    run: async (w) => { await w.call('withdrawSupport', { problemId: w.ids.problem }, w.people.b.member.token, 'problem'); },
  },
  {
    mutation: 'archiveProblem', events: ['PROBLEM_ARCHIVED'],
    run: async (w) => { await w.call('archiveProblem', { id: w.ids.problem }, w.people.a.editor.token, 'problem'); },
  },
];

describe.each(testDatabases())('every mutation appends its event, as subscribers see it, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let sub: TestSubscription;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database);
    people = await createTwoCouncils(database.db);
    // A member of the owning council sees drafts too, so every event reaches this subscriber.
    sub = subscribeWs(hub.url, `subscription($after: Position) { events(after: $after) { position type } }`,
      { after: hub.app.tail.position }, people.a.member.token);
  });
  afterAll(async () => {
    await sub?.close();
    await hub?.close();
    await database?.close();
  });

  it('has a step for every mutation in the schema', () => {
    const mutations = Object.keys(buildSchema().getMutationType()!.getFields()).sort();
    expect(STEPS.map((s) => s.mutation).sort()).toEqual(mutations);
  });

  it('walks each mutation and receives exactly its events, in order', async () => {
    const walk: Walk = {
      hub, people, ids: {},
      async call(mutation, input, token, idPath) {
        const field = buildSchema().getMutationType()!.getFields()[mutation]!;
        const inputType = String(field.args.find((a) => a.name === 'input')!.type);
        const selection = idPath ? `... on ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Payload { ${idPath} { id } }` : '';
        const res = await hub.gql(`mutation($input: ${inputType}) { ${mutation}(input: $input) { __typename ${selection} ... on Error { code message } } }`, { input }, token);
        expect(res.errors, mutation).toBeUndefined();
        const payload = res.data[mutation];
        expect(payload.code, `${mutation}: ${payload.message}`).toBeUndefined();
        return idPath ? payload[idPath] : payload;
      },
    };
    for (const step of STEPS) {
      const before = sub.received.length;
      await step.run(walk);
      await waitFor(() => sub.received.length >= before + step.events.length, { what: `the events of ${step.mutation}` });
      expect(sub.received.slice(before).map((d) => d.events.type), step.mutation).toEqual(step.events);
    }
    // Nothing more arrives than the steps account for.
    const marker = await walk.call('createProblem', { title: 'Marker', summary: 'Marker.', serviceArea: 'WASTE' }, people.a.member.token, 'problem');
    await waitFor(() => sub.received.length === STEPS.reduce((n, s) => n + s.events.length, 0) + 1, { what: 'the marker' });
    expect(marker.id).toBeTruthy();
  });
});
