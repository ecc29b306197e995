import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_DATASETS } from '../../server/domain/open-data/catalogue.js';
import { fileStem } from '../../server/domain/open-data/dataset.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { ERROR_FIELDS } from '../support/content-rows.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { download } from '../support/open-data.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { IN_PROCESS_WEBHOOK_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const OPT_IN = `mutation($input: UpdateContactSettingsInput!) { updateContactSettings(input: $input) { ... on UpdateContactSettingsPayload { settings { showAsContact serviceAreas } } ${ERROR_FIELDS} } }`;
const SET = `mutation($input: SetItemContactInput!) { setItemContact(input: $input) { ... on SetItemContactPayload { item { id contact { name email } } } ${ERROR_FIELDS} } }`;
const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const ITEM = `query($id: ID!) { node(id: $id) { ... on Content { contact { name email serviceAreas } } } }`;
const COUNCIL = `query($slug: String!) { council(slug: $slug) { contacts { name email serviceAreas } } }`;
const HOOK = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { ... on CreateWebhookEndpointPayload { secret } ${ERROR_FIELDS} } }`;
const EVENTS = `query($s: [ID!]) { events(first: 50, filter: { subjectIds: $s }) { edges { node { type payload } } } }`;

// Who to call (issue 13): signed-in members of any council see an item's contact; nobody
// else does, and the contact reaches no export, search document, event or webhook.
describe.each(testDatabases())('item contacts on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let receiver: WebhookReceiver;
  let problem: string;
  let slug: string;
  const contact = { name: 'Marguerite Okonkwo', email: 'marguerite.okonkwo@contact.example.gov.uk' };

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database, IN_PROCESS_WEBHOOK_ENV);
    people = await createTwoCouncils(database.db);
    receiver = await startWebhookReceiver();
    await database.db.updateTable('members').set(contact).where('id', '=', people.a.member.id).execute();
    slug = (await database.db.selectFrom('councils').select('slug').where('id', '=', people.a.council.id).executeTakeFirstOrThrow()).slug;
  });
  afterAll(async () => {
    await receiver?.stop();
    await hub?.close();
    await database?.close();
  });

  const call = async (document: string, variables: Record<string, unknown>, token?: string) => Object.values((await hub.gql(document, variables, token)).data)[0] as any;
  const setContact = (memberId: string | null, token = people.a.editor.token) =>
    call(SET, { input: { itemId: problem, memberId: memberId && encodeGlobalId('Member', memberId) } }, token);
  /** Every way the contact could be spelt in a leak. */
  const traces = () => [contact.name, contact.email, people.a.member.id, encodeGlobalId('Member', people.a.member.id)];

  it('shows the contact to signed-in members of any council and to nobody else', async () => {
    const hook = await call(HOOK, { input: { url: receiver.url, eventTypes: ['PROBLEM_UPDATED'] } }, people.a.admin.token);
    expect(hook.secret).toBeTruthy();
    expect(await call(OPT_IN, { input: { showAsContact: true, serviceAreas: ['WASTE', 'WASTE'] } }, people.a.member.token))
      .toMatchObject({ settings: { showAsContact: true, serviceAreas: ['WASTE'] } });
    problem = (await call(CREATE, { input: { title: 'Bulky waste bookings double up', summary: 'Two crews turn up.', serviceArea: 'WASTE' } }, people.a.editor.token)).problem.id;
    await call(PUBLISH, { id: problem }, people.a.editor.token);
    expect(await setContact(people.a.member.id)).toMatchObject({ __typename: 'SetItemContactPayload', item: { id: problem, contact } });

    for (const token of [people.a.member.token, people.b.member.token, people.b.admin.token]) {
      expect((await hub.gql(ITEM, { id: problem }, token)).data.node.contact).toEqual({ ...contact, serviceAreas: ['WASTE'] });
      expect((await hub.gql(COUNCIL, { slug }, token)).data.council.contacts).toEqual([{ ...contact, serviceAreas: ['WASTE'] }]);
    }
    const anonymous = await hub.gql(ITEM, { id: problem });
    expect(anonymous.data.node).toEqual({ contact: null });
    expect((await hub.gql(COUNCIL, { slug })).data.council.contacts).toBeNull();

    // The webhook for the item's `updated` event arrives, and names no contact.
    await waitFor(() => receiver.received.length >= 1, { what: 'the problem.updated delivery' });
    const [delivery] = receiver.verified(hook.secret);
    expect(delivery!.body).toMatchObject({ type: 'problem.updated', data: expect.objectContaining({ payload: expect.objectContaining({ changed: ['contact'] }) }) });
    for (const trace of traces()) expect(receiver.received.map((r) => r.body).join('\n'), trace).not.toContain(trace);
  });

  it('keeps the contact out of event payloads, search documents and every open data file', async () => {
    const outbox = JSON.stringify(await database.db.selectFrom('outbox_events').select(['payload', 'subject_id']).execute());
    const events = JSON.stringify((await hub.gql(EVENTS, { s: [problem] }, people.a.admin.token)).data);
    expect(events).toContain('PROBLEM_UPDATED');
    await waitFor(async () => (await hub.gql(`{ indexerStatus { lag } }`)).data.indexerStatus.lag === 0, { timeoutMs: 60_000, what: 'the indexer' });
    const documents = JSON.stringify(await database.db.selectFrom('search_documents').selectAll().execute());
    expect(documents).toContain('Bulky waste bookings double up');
    const files: string[] = [];
    for (const dataset of OPEN_DATASETS) {
      for (const ext of ['csv', 'jsonl']) files.push((await download(`${hub.url}/data/${fileStem(dataset)}.${ext}`)).text);
    }
    expect(files.join('\n')).toContain('Bulky waste bookings double up');
    for (const trace of traces()) {
      expect(outbox, `outbox: ${trace}`).not.toContain(trace);
      expect(events, `events: ${trace}`).not.toContain(trace);
      expect(documents, `search: ${trace}`).not.toContain(trace);
      expect(files.join('\n'), `open data: ${trace}`).not.toContain(trace);
    }
  });

  it('lets only editors of the owning council name a contact, and only one who opted in', async () => {
    const before = await database.db.selectFrom('item_contacts').selectAll().execute();
    expect(await setContact(people.a.member.id, people.b.editor.token)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await setContact(null, people.b.admin.token)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await setContact(people.a.member.id, people.a.member.token)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await setContact(people.a.admin.id)).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'memberId' }] });
    await call(OPT_IN, { input: { showAsContact: true } }, people.b.member.token);
    expect(await setContact(people.b.member.id)).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'memberId' }] });
    expect(await call(SET, { input: { itemId: problem, memberId: null } })).toMatchObject({ __typename: 'UnauthenticatedError' });
    expect(await database.db.selectFrom('item_contacts').selectAll().execute()).toEqual(before);
    // A draft of council A is not found by council B's editors.
    const draft = (await call(CREATE, { input: { title: 'Draft', summary: 'Draft.', serviceArea: 'WASTE' } }, people.a.editor.token)).problem.id;
    expect(await call(SET, { input: { itemId: draft, memberId: null } }, people.b.editor.token)).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('stops showing a contact who withdraws consent or leaves the council', async () => {
    expect(await call(OPT_IN, { input: { showAsContact: false } }, people.a.member.token)).toMatchObject({ settings: { showAsContact: false, serviceAreas: [] } });
    expect((await hub.gql(ITEM, { id: problem }, people.b.member.token)).data.node.contact).toBeNull();
    expect((await hub.gql(COUNCIL, { slug }, people.b.member.token)).data.council.contacts).toEqual([]);
    expect(await database.db.selectFrom('item_contacts').selectAll().where('member_id', '=', people.a.member.id).execute()).toEqual([]);

    await call(OPT_IN, { input: { showAsContact: true } }, people.a.member.token);
    expect((await setContact(people.a.member.id)).__typename).toBe('SetItemContactPayload');
    await database.db.updateTable('members').set({ removed_at: new Date() }).where('id', '=', people.a.member.id).execute();
    expect((await hub.gql(ITEM, { id: problem }, people.b.member.token)).data.node.contact).toBeNull();
    expect((await hub.gql(COUNCIL, { slug }, people.b.member.token)).data.council.contacts).toEqual([]);
  });
});
