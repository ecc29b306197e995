import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { IN_PROCESS_WEBHOOK_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { waitFor } from '../support/wait-for.js';

const PROBLEMS = `query($filter: ProblemFilterInput) { problems(first: 50, filter: $filter) { edges { node { id } } } }`;
const SOLUTIONS = `query($filter: SolutionFilterInput) { solutions(first: 50, filter: $filter) { edges { node { id } } } }`;
const SEARCH = `query($filter: SearchFilterInput) { search(query: "", filter: $filter, first: 50) {
  edges { node { id: contentId phase outcome } }
  facets { regions { region count } councilKinds { councilKind count } phases { phase count } outcomes { outcome count } } } }`;
const EVENTS = `query($filter: EventFilterInput) { events(first: 100, filter: $filter) { edges { node { type subjectId payload } } } }`;
const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  ... on CreateWebhookEndpointPayload { secret endpoint { id filter { regions councilKinds phases outcomes } } } ... on Error { code message } } }`;
const SERVICE_AREAS = `{ serviceAreas { code functions { identifier label uri } } }`;

/**
 * Region, council type, solution phase and case study outcome through every path that
 * filters by them: listings, search, the events query (SQL) and webhooks (JavaScript), and
 * none of them lets a filter reach another council's drafts.
 */
describe.each(testDatabases())('facet filters on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let receiver: WebhookReceiver;
  let secret: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database, IN_PROCESS_WEBHOOK_ENV);
    people = await createTwoCouncils(database.db);
    await database.db.updateTable('councils').set({ region: 'Wales', kind: 'unitary' }).where('id', '=', people.b.council.id).execute();
    receiver = await startWebhookReceiver();
    const endpoint = await hub.gql(CREATE_ENDPOINT, {
      input: { url: receiver.url, eventTypes: ['SOLUTION_PUBLISHED', 'SOLUTION_CREATED'], filter: { phases: ['BETA'], regions: ['Wales'] } },
    }, people.a.admin.token);
    expect(endpoint.data.createWebhookEndpoint.endpoint.filter).toEqual({ regions: ['Wales'], councilKinds: [], phases: ['BETA'], outcomes: [] });
    secret = endpoint.data.createWebhookEndpoint.secret;

    const { problems, solutions, caseStudies } = hub.app.services;
    const [a, b] = [people.a.editor.viewer, people.b.editor.viewer];
    const solution = (title: string, phase: string) => ({ title, summary: 'A form that writes into the back office.', serviceArea: 'waste', kind: 'software', phase });
    ids.problemA = (await problems.create(a, { title: 'Missed bins re-keyed', summary: 'Crews hear late.', serviceArea: 'waste' })).id;
    ids.problemB = (await problems.create(b, { title: 'Bulky waste bookings by phone', summary: 'No online form.', serviceArea: 'waste' })).id;
    ids.solutionA = (await solutions.create(a, solution('In-cab app', 'live'))).id;
    ids.solutionB = (await solutions.create(b, solution('Bulky waste booking form', 'beta'))).id;
    ids.caseStudyA = (await caseStudies.create(a, { title: 'In-cab app a year on', summary: 'What happened.', serviceArea: 'waste', outcome: 'worked' })).id;
    for (const [service, id, viewer] of [[problems, ids.problemA, a], [problems, ids.problemB, b], [solutions, ids.solutionA, a], [solutions, ids.solutionB, b], [caseStudies, ids.caseStudyA, a]] as const) {
      await service.publish(viewer, id!);
    }
    // Drafts of council A in every facet its published items have.
    ids.draftProblemA = (await problems.create(a, { title: 'Draft problem of council A', summary: 'Not ready.', serviceArea: 'waste' })).id;
    ids.draftSolutionA = (await solutions.create(a, solution('Draft solution of council A', 'beta'))).id;
    ids.draftCaseStudyA = (await caseStudies.create(a, { title: 'Draft case study of council A', summary: 'Not ready.', serviceArea: 'waste', outcome: 'worked' })).id;
    await waitFor(async () => (await hub.gql('{ indexerStatus { lag } }')).data.indexerStatus.lag === 0, { what: 'the indexer to catch up' });
  }, 120_000);
  afterAll(async () => {
    await receiver?.stop();
    await hub?.close();
    await database?.close();
  });

  const gid = (typename: string, key: string) => encodeGlobalId(typename, ids[key]!);
  const nodes = (result: any, field: string) => result.data[field].edges.map((e: any) => e.node.id).sort();

  it('narrows listings by the owning council\'s region and type, with a typed error for an unknown region', async () => {
    expect(nodes(await hub.gql(PROBLEMS, { filter: { regions: ['Wales'] } }), 'problems')).toEqual([gid('Problem', 'problemB')]);
    expect(nodes(await hub.gql(PROBLEMS, { filter: { councilKinds: ['DISTRICT'] } }), 'problems')).toEqual([gid('Problem', 'problemA')]);
    expect(nodes(await hub.gql(SOLUTIONS, { filter: { regions: ['East of England', 'Wales'], phases: ['BETA'] } }), 'solutions')).toEqual([gid('Solution', 'solutionB')]);
    const bad = await hub.gql(PROBLEMS, { filter: { regions: ['Atlantis'] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.errors?.[0]?.message).not.toMatch(/at .*\.ts/);
  });

  it('never shows another council\'s drafts through a facet filter, in a listing or a search', async () => {
    const ownDrafts = { regions: ['East of England'], councilKinds: ['DISTRICT'], includeDrafts: true };
    // Council A's editor sees its own drafts alongside; council B's and an anonymous viewer never do.
    expect(nodes(await hub.gql(PROBLEMS, { filter: ownDrafts }, people.a.editor.token), 'problems')).toEqual([gid('Problem', 'draftProblemA'), gid('Problem', 'problemA')].sort());
    for (const token of [people.b.admin.token, undefined]) {
      expect(nodes(await hub.gql(PROBLEMS, { filter: ownDrafts }, token), 'problems')).toEqual([gid('Problem', 'problemA')]);
      expect(nodes(await hub.gql(SOLUTIONS, { filter: { ...ownDrafts, phases: ['BETA'] } }, token), 'solutions')).toEqual([]);
      const found = nodes(await hub.gql(SEARCH, { filter: { regions: ['East of England'], outcomes: ['WORKED'] } }, token), 'search');
      expect(found).toEqual([gid('CaseStudy', 'caseStudyA')]);
    }
    const drafts = nodes(await hub.gql(SEARCH, { filter: { regions: ['East of England'] } }, people.a.editor.token), 'search');
    for (const key of ['draftProblemA', 'draftSolutionA', 'draftCaseStudyA']) expect(drafts.join()).not.toContain(ids[key]);
  });

  it('filters and counts search results by region, council type, phase and outcome', async () => {
    const all = await hub.gql(SEARCH, {});
    expect(all.data.search.facets).toEqual({
      regions: [{ region: 'East of England', count: 3 }, { region: 'Wales', count: 2 }],
      councilKinds: [{ councilKind: 'DISTRICT', count: 3 }, { councilKind: 'UNITARY', count: 2 }],
      phases: [{ phase: 'BETA', count: 1 }, { phase: 'LIVE', count: 1 }],
      outcomes: [{ outcome: 'WORKED', count: 1 }],
    });
    const beta = await hub.gql(SEARCH, { filter: { phases: ['BETA'], councilKinds: ['UNITARY'] } });
    expect(beta.data.search.edges.map((e: any) => e.node)).toEqual([{ id: gid('Solution', 'solutionB'), phase: 'BETA', outcome: null }]);
    const bad = await hub.gql(SEARCH, { filter: { regions: ['Narnia'] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('replays events by the facets their payloads carry, drafts only to their own council', async () => {
    const filter = { types: ['SOLUTION_CREATED', 'SOLUTION_PUBLISHED'], regions: ['East of England'], phases: ['BETA'] };
    const seen = async (token?: string) => (await hub.gql(EVENTS, { filter }, token)).data.events.edges.map((e: any) => `${e.node.type} ${e.node.subjectId}`);
    const draftCreated = `SOLUTION_CREATED ${gid('Solution', 'draftSolutionA')}`;
    expect(await seen(people.a.editor.token)).toEqual([draftCreated]);
    expect(await seen(people.b.admin.token)).toEqual([]);
    expect(await seen()).toEqual([]);
    const wales = (await hub.gql(EVENTS, { filter: { types: ['SOLUTION_PUBLISHED'], regions: ['Wales'] } })).data.events.edges;
    expect(wales.map((e: any) => e.node.subjectId)).toEqual([gid('Solution', 'solutionB')]);
    expect(wales[0].node.payload).toMatchObject({ region: 'Wales', councilKind: 'UNITARY', phase: 'BETA', serviceArea: 'WASTE' });
  });

  it('delivers to a webhook only the published events its facet filter matches', async () => {
    await waitFor(() => receiver.received.length >= 1, { what: 'a delivery' });
    // Let the fan-out reach the last event: every later one has been considered by then.
    await waitFor(async () => (await database.db.selectFrom('consumer_cursors').select('position').where('consumer', '=', 'webhooks').executeTakeFirst())?.position
      === Number((await database.db.selectFrom('outbox_events').select((e) => e.fn.max('position').as('p')).executeTakeFirstOrThrow()).p), { what: 'the webhook fan-out to catch up' });
    const bodies = receiver.verified(secret).map((d) => d.body);
    expect(bodies.map((b) => `${b.type} ${b.data.subjectId}`)).toEqual([`solution.published ${gid('Solution', 'solutionB')}`]);
    expect(bodies[0].data.payload).toMatchObject({ region: 'Wales', councilKind: 'UNITARY', phase: 'BETA' });
    expect(JSON.stringify(receiver.received)).not.toContain('Draft solution of council A');
  });

  it('gives each service area its LGA function identifiers', async () => {
    const areas = (await hub.gql(SERVICE_AREAS)).data.serviceAreas;
    expect(areas.find((a: any) => a.code === 'WASTE').functions).toEqual([
      { identifier: '38', label: 'Waste management', uri: 'http://id.esd.org.uk/function/38' },
      { identifier: '39', label: 'Recycling', uri: 'http://id.esd.org.uk/function/39' },
    ]);
    expect(areas.find((a: any) => a.code === 'PAYMENTS_INCOME').functions).toEqual([]);
  });
});
