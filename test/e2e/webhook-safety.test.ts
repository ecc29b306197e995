import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, type PostOptions } from '../../server/webhooks/http-post.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// Every address any of these tests could connect to is on loopback, even if the check under
// test were broken: refused targets are 127.0.0.1, ::1 or names resolving to them. The
// other private, link-local and metadata ranges are covered by the address check's unit
// tests (test/unit/webhook-address-check.test.ts), which open no connection.
const SAFE: PostOptions = { allowPrivate: false, connectTimeoutMs: 1_000, timeoutMs: 5_000, maxResponseBytes: 1_024 };
const toLoopback = async () => [{ address: '127.0.0.1', family: 4 }];
const post = (url: string, options: Partial<PostOptions> = {}) => postWebhook(url, { 'webhook-id': 'msg_test' }, '{"type":"webhook.test"}', { ...SAFE, ...options });

describe('outbound webhook requests', () => {
  let receiver: WebhookReceiver;
  const servers: Server[] = [];
  beforeAll(async () => { receiver = await startWebhookReceiver(); });
  afterAll(async () => {
    await receiver.stop();
    for (const server of servers) { server.closeAllConnections(); server.close(); }
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return (server.address() as AddressInfo).port;
  }

  it('refuses loopback targets without the flag, before any connection', async () => {
    const port = receiver.port;
    expect(await post(`http://127.0.0.1:${port}/`)).toMatchObject({ statusCode: null, error: 'refused: the URL must use https' });
    expect((await post(`https://127.0.0.1:${port}/`)).error).toBe('refused: 127.0.0.1 is a loopback address (127.0.0.0/8)');
    expect((await post(`https://[::1]:${port}/`)).error).toBe('refused: ::1 is the loopback address (::1)');
    expect((await post(`https://[::ffff:127.0.0.1]:${port}/`)).error).toMatch(/^refused: ::ffff:7f00:1 maps an IPv4 address that is a loopback address/);
    const named = await post(`https://localhost:${port}/`);
    expect(named.error).toBe('refused: localhost does not resolve to a public address');
    expect(named.detail).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), which is (a|the) loopback address/);
    expect((await post(`https://user:pw@hooks.example.test:${port}/`, { resolveHost: toLoopback })).error).toBe('refused: the URL must not carry a user name or password');
    expect(receiver.connections).toBe(0);
  });

  it('checks the address DNS gives at delivery time, so a name rebound to loopback is refused', async () => {
    const result = await post(`https://hooks.example.test:${receiver.port}/`, { resolveHost: toLoopback });
    expect(result.error).toBe('refused: hooks.example.test does not resolve to a public address');
    expect(result.detail).toBe('refused: hooks.example.test resolves to 127.0.0.1, which is a loopback address (127.0.0.0/8)');
    expect(receiver.connections).toBe(0);
  });

  it('connects to the address it resolved and checked, keeping the host name in the request', async () => {
    const result = await post(`http://hooks.example.test:${receiver.port}/hooks`, { allowPrivate: true, resolveHost: toLoopback });
    expect(result).toMatchObject({ statusCode: 204, error: null });
    expect(receiver.received.at(-1)!.headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });

  it('gives up on a receiver that never answers after the total timeout', async () => {
    const port = await serve(() => { /* holds the request open */ });
    const result = await post(`http://127.0.0.1:${port}/`, { allowPrivate: true, timeoutMs: 200 });
    expect(result).toMatchObject({ statusCode: null, error: 'timed out after 200 ms' });
  });

  it('gives up on a TLS handshake that never completes after the connect timeout', async () => {
    // Accepts TCP and says nothing: the request never gets past the handshake.
    const silent = createNetServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (silent.address() as AddressInfo).port;
      const result = await post(`https://127.0.0.1:${port}/`, { allowPrivate: true, connectTimeoutMs: 200, timeoutMs: 10_000 });
      expect(result).toMatchObject({ statusCode: null, error: 'could not connect within 200 ms' });
    } finally {
      silent.close();
    }
  });

  it('stops reading a response past the size cap instead of waiting for its end', async () => {
    const port = await serve((_, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(16_384, 'x');
      const pump = () => { while (response.write(chunk)); };
      response.on('drain', pump);
      pump();
    });
    const result = await post(`http://127.0.0.1:${port}/`, { allowPrivate: true, timeoutMs: 10_000 });
    expect(result).toMatchObject({ statusCode: 200, error: null });
  });

  it('does not follow redirects, and reports refused connections', async () => {
    const port = await serve((_, response) => response.writeHead(302, { location: 'http://169.254.169.254/' }).end());
    expect(await post(`http://127.0.0.1:${port}/`, { allowPrivate: true })).toMatchObject({ statusCode: 302, error: 'HTTP 302' });
    const closed = await startWebhookReceiver();
    await closed.stop();
    expect((await post(closed.url, { allowPrivate: true })).error).toBe('connection refused');
  });
});

describe('webhooks without WEBHOOKS_ALLOW_PRIVATE (PGlite)', () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let receiver: WebhookReceiver;
  let people: People;
  beforeAll(async () => {
    database = await pgliteDatabase.create();
    hub = await startTestApp(database, { IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '50', WEBHOOKS_POLL_INTERVAL_MS: '50' });
    people = await createTwoCouncils(database.db);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
    await hub?.close();
    await database?.close();
  });

  it('refuses to register loopback targets, with a clear error', async () => {
    const register = async (url: string) => (await hub.gql(`mutation($url: String!) {
      createWebhookEndpoint(input: { url: $url, eventTypes: [PROBLEM_PUBLISHED] }) { __typename ... on ValidationError { fields { field message } } }
    }`, { url }, people.a.admin.token)).data.createWebhookEndpoint;
    expect(await register('http://127.0.0.1/')).toEqual({ __typename: 'ValidationError', fields: [{ field: 'url', message: 'is refused: the URL must use https' }] });
    expect((await register('https://127.0.0.1/')).fields[0].message).toBe('is refused: 127.0.0.1 is a loopback address (127.0.0.0/8)');
    // The name's resolved address is not echoed (issue 12, finding 6): it maps the hub's network.
    expect((await register(`https://localhost:${receiver.port}/`)).fields[0].message).toBe('is refused: localhost does not resolve to a public address');
    expect(await database.db.selectFrom('webhook_endpoints').selectAll().execute()).toEqual([]);
  });

  it('refuses at delivery time a target that now resolves to loopback, and logs why', async () => {
    // As if registered while the name resolved to a public address: the check runs again now.
    const endpoint = await database.db.insertInto('webhook_endpoints').values({
      council_id: people.a.council.id, url: `https://localhost:${receiver.port}/hooks`, event_types: ['problem.published'], from_position: 0,
    }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('webhook_secrets').values({ endpoint_id: endpoint.id, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }).execute();
    const problems = hub.app.services.problems;
    const problem = await problems.create(people.a.editor.viewer, { title: 'Fly-tipping reports', summary: 'Photos arrive by email.', serviceArea: 'waste' });
    await problems.publish(people.a.editor.viewer, problem.id);
    const attempts = () => database.db.selectFrom('webhook_attempts').innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
      .select(['webhook_attempts.error', 'webhook_attempts.status_code']).where('webhook_deliveries.endpoint_id', '=', endpoint.id).execute();
    await waitFor(async () => (await attempts()).length > 0, { what: 'a refused attempt' });
    // The council's delivery log says why without naming the internal address (issue 12, finding 6).
    expect((await attempts())[0]).toEqual({ status_code: null, error: 'refused: localhost does not resolve to a public address' });
    expect(receiver.connections).toBe(0);
  });
});
