import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { createSecretBox, SecretUnreadableError } from '../../server/webhooks/secret-box.js';
import { generateSecret } from '../../server/webhooks/signing.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { IN_PROCESS_WEBHOOK_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { ... on CreateWebhookEndpointPayload { secret endpoint { id } } ... on Error { code message } } }`;
const TEST_EVENT = `mutation($id: ID!) {
  sendTestEvent(input: { id: $id }) { ... on SendTestEventPayload { delivery { status attempts { statusCode error } } } ... on Error { code message } } }`;

const newKey = () => randomBytes(32).toString('base64');

describe('the webhook secret box', () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);
  const secret = generateSecret();

  it('seals a secret so that only its own endpoint, with the same key, opens it', () => {
    const sealed = box.seal('endpoint-a', secret);
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(box.seal('endpoint-a', secret)).not.toBe(sealed); // a fresh IV each time
    expect(box.open('endpoint-a', sealed)).toBe(secret);
    expect(() => box.open('endpoint-b', sealed)).toThrow(SecretUnreadableError);
    expect(() => createSecretBox(randomBytes(32)).open('endpoint-a', sealed)).toThrow(SecretUnreadableError);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'AB' : 'AA');
    expect(() => box.open('endpoint-a', tampered)).toThrow(SecretUnreadableError);
    expect(() => createSecretBox(undefined).open('endpoint-a', sealed)).toThrow(/WEBHOOKS_SECRETS_KEY is not set/);
  });

  it('stores secrets as they are without a key, and opens those stored before a key was set', () => {
    expect(createSecretBox(undefined).seal('endpoint-a', secret)).toBe(secret);
    expect(box.open('endpoint-a', secret)).toBe(secret);
  });

  it('takes the key from WEBHOOKS_SECRETS_KEY as 32 bytes of base64, and refuses anything else', () => {
    const value = newKey();
    expect(loadConfig({ WEBHOOKS_SECRETS_KEY: value }).webhooks.secretsKey).toEqual(Buffer.from(value, 'base64'));
    expect(loadConfig({}).webhooks.secretsKey).toBeUndefined();
    for (const bad of ['short', randomBytes(16).toString('base64'), `${newKey()}!`]) {
      expect(() => loadConfig({ WEBHOOKS_SECRETS_KEY: bad })).toThrow(ConfigError);
    }
  });
});

describe.each(testDatabases())('webhook secrets at rest on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  let receiver: WebhookReceiver;
  const key = newKey();
  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
    await database?.close();
  });

  async function withHub<T>(env: Record<string, string>, work: (hub: TestApp) => Promise<T>): Promise<T> {
    const hub = await startTestApp(database, { ...IN_PROCESS_WEBHOOK_ENV, ...env });
    try {
      return await work(hub);
    } finally {
      await hub.close();
    }
  }
  // The row behind an endpoint's global id.
  const stored = async (endpointId: string) => (await database.db.selectFrom('webhook_secrets').select('secret')
    .where('endpoint_id', '=', Buffer.from(endpointId, 'base64url').toString().split(':')[1]!).executeTakeFirstOrThrow()).secret;
  const testEvent = (hub: TestApp, endpointId: string) => hub.gql(TEST_EVENT, { id: endpointId }, people.a.admin.token)
    .then((r) => r.data.sendTestEvent.delivery);

  it('are sealed with the key, sign deliveries receivers verify, and a wrong or missing key fails the attempt with the reason', async () => {
    const { secret, endpointId } = await withHub({ WEBHOOKS_SECRETS_KEY: key }, async (hub) => {
      const created = await hub.gql(CREATE, { input: { url: receiver.url, eventTypes: ['PROBLEM_PUBLISHED'] } }, people.a.admin.token);
      const { secret, endpoint } = created.data.createWebhookEndpoint;
      expect(await testEvent(hub, endpoint.id)).toMatchObject({ status: 'SUCCEEDED', attempts: [{ statusCode: 204, error: null }] });
      return { secret: secret as string, endpointId: endpoint.id as string };
    });
    const row = await stored(endpointId);
    expect(row).toMatch(/^sealed:v1:/);
    expect(row).not.toContain(secret.slice(6));
    expect(receiver.verified(secret)).toHaveLength(1);

    for (const [env, reason] of [
      [{ WEBHOOKS_SECRETS_KEY: newKey() }, 'not sent: the signing secret does not open with WEBHOOKS_SECRETS_KEY (was the key changed?)'],
      [{}, 'not sent: the signing secret is sealed and WEBHOOKS_SECRETS_KEY is not set'],
    ] as const) {
      const delivery = await withHub(env, (hub) => testEvent(hub, endpointId));
      expect(delivery).toMatchObject({ status: 'FAILED', attempts: [{ statusCode: null, error: reason }] });
    }
    expect(receiver.received).toHaveLength(1);
  });

  it('seals, at start-up, the secrets stored before the key was set', async () => {
    const { secret, endpointId } = await withHub({}, async (hub) => {
      const created = await hub.gql(CREATE, { input: { url: receiver.url, eventTypes: ['PROBLEM_PUBLISHED'] } }, people.a.admin.token);
      return { secret: created.data.createWebhookEndpoint.secret as string, endpointId: created.data.createWebhookEndpoint.endpoint.id as string };
    });
    expect(await stored(endpointId)).toBe(secret);
    const before = receiver.received.length;
    await withHub({ WEBHOOKS_SECRETS_KEY: key }, async (hub) => {
      expect(await stored(endpointId)).toMatch(/^sealed:v1:/);
      expect(await testEvent(hub, endpointId)).toMatchObject({ status: 'SUCCEEDED' });
    });
    expect(receiver.received).toHaveLength(before + 1);
    const last = receiver.received.at(-1)!;
    expect(new Webhook(secret).verify(last.body, last.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
  });
});
