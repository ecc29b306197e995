import { GraphQLEnumType, type GraphQLScalarType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProblemService } from '../../server/domain/problems.js';
import { createTransact } from '../../server/db/transact.js';
import { publicPayload } from '../../server/events/public-payload.js';
import { enumName } from '../../server/kernel/enum-name.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { buildSchema } from '../../schema/index.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { IN_PROCESS_WEBHOOK_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// Issue 19: every id the API returns can be sent back, and every enum has one spelling.

describe('event payloads spell enums as the schema does', () => {
  it('maps every stored enum value of every schema enum to its GraphQL name', () => {
    const schema = buildSchema();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(type instanceof GraphQLEnumType) || type.name.startsWith('__')) continue;
      // Listing orders and follow kinds never appear in event payloads (they are not event fields).
      if (['ProblemOrder', 'SolutionOrder', 'CaseStudyOrder', 'FollowKind', 'EventType'].includes(type.name)) continue;
      for (const value of type.getValues()) expect(enumName(String(value.value)), `${type.name}.${value.name}`).toBe(value.name);
    }
  });

  it('turns stored ids into global ids by the key that holds them', () => {
    const uuid = '0b1e6f0e-8a8e-4a57-9d5f-2d2f0c7f4a11';
    expect(publicPayload({
      payload: {
        v: 1, serviceArea: 'licensing_protection', status: 'open', costBand: '10k_to_50k', supporterCouncilId: uuid, byMemberId: uuid,
        problemIds: [uuid], target: { type: 'case_study', id: uuid }, subjectType: 'problem', subjectId: uuid, changed: ['partners'],
      },
    })).toEqual({
      v: 1, serviceArea: 'LICENSING_PROTECTION', status: 'OPEN', costBand: 'FROM_10K_TO_50K', supporterCouncilId: encodeGlobalId('Council', uuid),
      byMemberId: encodeGlobalId('Member', uuid), problemIds: [encodeGlobalId('Problem', uuid)],
      target: { type: 'CaseStudy', id: encodeGlobalId('CaseStudy', uuid) }, subjectType: 'Problem', subjectId: encodeGlobalId('Problem', uuid), changed: ['partners'],
    });
  });
});

const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  ... on CreateWebhookEndpointPayload { endpoint { id } } ... on Error { code message } } }`;
const TEST_EVENT = `mutation($id: ID!) { sendTestEvent(input: { id: $id }) { ... on SendTestEventPayload { delivery { id } } ... on Error { code } } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on WebhookEndpoint { url } ... on WebhookDelivery { webhookId } } }`;
const SEARCH = `query($q: String!, $statuses: [ContentStatus!]) { search(query: $q, filter: { statuses: $statuses }) {
  edges { node { contentId status content { __typename id title } } } facets { statuses { status count } } } }`;
const EVENTS = `query { events(last: 1) { edges { cursor node { position payload } } } }`;

describe.each(testDatabases())('ids the API returns go back in ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database, IN_PROCESS_WEBHOOK_ENV);
    people = await createTwoCouncils(database.db);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
    await hub?.close();
    await database?.close();
  });

  it('loads webhook endpoints and deliveries with node(id:), for their council\'s admins only', async () => {
    const created = await hub.gql(CREATE_ENDPOINT, { input: { url: receiver.url, eventTypes: ['PROBLEM_PUBLISHED'] } }, people.a.admin.token);
    const endpointId = created.data.createWebhookEndpoint.endpoint.id;
    const deliveryId = (await hub.gql(TEST_EVENT, { id: endpointId }, people.a.admin.token)).data.sendTestEvent.delivery.id;

    const asAdmin = async (id: string) => (await hub.gql(NODE, { id }, people.a.admin.token)).data.node;
    expect(await asAdmin(endpointId)).toEqual({ __typename: 'WebhookEndpoint', id: endpointId, url: receiver.url });
    expect(await asAdmin(deliveryId)).toMatchObject({ __typename: 'WebhookDelivery', id: deliveryId, webhookId: expect.stringMatching(/^msg_/) });
    for (const token of [people.b.admin.token, people.a.member.token, undefined]) {
      for (const id of [endpointId, deliveryId]) expect((await hub.gql(NODE, { id }, token)).data.node).toBeNull();
    }
  });

  it('names a search result\'s item by contentId, spells statuses as the enum and loads the item itself', async () => {
    const problems = createProblemService({ db: database.db, transact: createTransact(database.db) });
    const draft = await problems.create(people.a.editor.viewer, { title: 'Roadside verge cutting schedules', summary: 'Residents ask when verges are cut.', serviceArea: 'environment_climate' });
    await problems.publish(people.a.editor.viewer, draft.id);
    const search = async (statuses?: string[]) => (await hub.gql(SEARCH, { q: 'verge cutting', statuses })).data.search;
    await waitFor(async () => (await search()).edges.length > 0, { what: 'the problem in search' });
    const found = await search(['OPEN']);
    expect(found.edges[0].node).toEqual({
      contentId: encodeGlobalId('Problem', draft.id), status: 'OPEN',
      content: { __typename: 'Problem', id: encodeGlobalId('Problem', draft.id), title: 'Roadside verge cutting schedules' },
    });
    expect(found.facets.statuses).toEqual([{ status: 'OPEN', count: 1 }]);
    expect((await search(['SOLVED'])).edges).toEqual([]);
    const unknown = await hub.gql(SEARCH, { q: 'verge', statuses: ['open'] });
    expect(unknown.errors?.[0]?.message).toMatch(/ContentStatus/);
  });

  it('gives event payloads in the API\'s spellings, and takes an events cursor as a subscription\'s after', async () => {
    const problems = createProblemService({ db: database.db, transact: createTransact(database.db) });
    await problems.create(people.a.editor.viewer, { title: 'Allotment waiting lists', summary: 'Long waits.', serviceArea: 'leisure_culture' });
    const edge = (await hub.gql(EVENTS, {}, people.a.editor.token)).data.events.edges[0];
    expect(edge.node.payload).toMatchObject({ serviceArea: 'LEISURE_CULTURE', status: 'OPEN' });
    expect(edge.cursor).toBe(String(edge.node.position));
    // Position takes the cursor string as well as the number, and nothing else.
    const position = buildSchema().getType('Position') as GraphQLScalarType;
    expect(position.parseValue(edge.cursor)).toBe(edge.node.position);
    expect(position.parseValue(edge.node.position)).toBe(edge.node.position);
    expect(() => position.parseValue('twelve')).toThrow(/Position/);
  });
});
