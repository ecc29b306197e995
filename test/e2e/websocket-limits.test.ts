import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { freezeTime } from '../support/frozen-time.js';
import { waitFor } from '../support/wait-for.js';
import { isAcked, openWs, type WsClient } from '../support/ws-client.js';

const EVENTS = 'subscription { events { position type } }';
// A problem's solutions' problems ...: the cycle in the schema, reached through an event's subject.
const nestedSubject = (pairs: number) => `subscription { events { subject { ... on Problem { ${'solutions { problems { '.repeat(pairs)}id${' } }'.repeat(pairs)} } } } }`;

describe.each(testDatabases())('WebSocket limits over real sockets on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  const hubs: TestApp[] = [];
  const clients: WsClient[] = [];
  let now = Date.parse('2025-01-01T09:00:00Z');

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    for (const hub of hubs) await hub.close();
    await database?.close();
  });

  async function start(env: Record<string, string> = {}) {
    const hub = await startTestApp(database, env, { clock: () => now });
    hubs.push(hub);
    const open = async (options: Parameters<typeof openWs>[1] = {}) => {
      const client = await openWs(hub.url, options);
      clients.push(client);
      return client;
    };
    return { hub, open };
  }

  it('closes a socket that does not send connection_init in time with 4408', async () => {
    const { open } = await start({ WS_INIT_TIMEOUT_MS: '200' });
    const silent = await open({ init: false });
    const started = Date.now();
    expect(await silent.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('closes a socket that sends a message over the size cap with 1009, and keeps serving others', async () => {
    const { open } = await start({ WS_MAX_MESSAGE_BYTES: '2048', MAX_BODY_BYTES: '1048576' });
    const client = await open();
    expect((await client.operation('small', '{ __typename }'))[0].payload).toEqual({ data: { __typename: 'Query' } });
    client.send({ id: 'big', type: 'subscribe', payload: { query: `{ __typename } # ${'x'.repeat(4_000)}` } });
    expect((await client.closed).code).toBe(1009);
    const next = await open();
    expect((await next.operation('1', '{ __typename }'))[0].type).toBe('next');
  });

  it('refuses subscriptions past the per-connection cap, and has room again when one ends', async () => {
    const { open } = await start({ WS_MAX_SUBSCRIPTIONS: '2' });
    const client = await open({ token: people.a.member.token });
    client.send({ id: '1', type: 'subscribe', payload: { query: EVENTS } });
    client.send({ id: '2', type: 'subscribe', payload: { query: EVENTS } });
    const third = await client.operation('3', EVENTS);
    expect(third).toEqual([{ id: '3', type: 'error', payload: [expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxSubscriptionsPerConnection', max: 2 } })] }]);
    expect(third[0].payload[0].message).toMatch(/already runs 2 operations/);
    // A query counts while it runs, too.
    expect((await client.operation('q', '{ __typename }'))[0].type).toBe('error');
    client.send({ id: '1', type: 'complete' });
    await waitFor(async () => (await client.operation(`again-${client.messages.length}`, '{ __typename }'))[0].type === 'next', { what: 'a free place' });
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('caps open connections per token and per anonymous address, freeing a place on close', async () => {
    const { open } = await start({ WS_MAX_CONNECTIONS_PER_TOKEN: '2', WS_MAX_CONNECTIONS_PER_ADDRESS: '1' });
    const [a1, a2] = [await open({ token: people.a.member.token }), await open({ token: people.a.member.token })];
    expect([isAcked(a1), isAcked(a2)]).toEqual([true, true]);
    const a3 = await open({ token: people.a.member.token });
    expect(isAcked(a3)).toBe(false);
    const refusal = await a3.closed;
    expect(refusal.code).toBe(1013);
    expect(refusal.reason).toMatch(/at most 2 \(limit maxConnectionsPerToken\)/);
    expect(isAcked(await open({ token: people.b.member.token }))).toBe(true);
    const anonymous = await open();
    expect(isAcked(anonymous)).toBe(true);
    const secondAnonymous = await open();
    expect((await secondAnonymous.closed).reason).toMatch(/maxConnectionsPerAddress/);
    await a1.close();
    await waitFor(async () => {
      const retry = await open({ token: people.a.member.token });
      return isAcked(retry);
    }, { what: 'a place for token A' });
  });

  it('applies the operation limits to WebSocket operations without dropping the socket', async () => {
    const { open } = await start({ CSRF_PREVENTION: 'all' });
    const client = await open();
    const deep = await client.operation('deep', `{ ${'a { '.repeat(14)}b${' }'.repeat(14)} }`);
    expect(deep[0]).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxDepth' } }] });
    const tokens = await client.operation('tokens', `{ ${'a '.repeat(2_100)}}`);
    expect(tokens[0].payload[0].extensions).toMatchObject({ limit: 'maxTokens' });
    const syntax = await client.operation('syntax', '{ viewer {');
    expect(syntax[0].payload[0].message).toMatch(/Syntax Error/);
    const costly = await client.operation('cost', 'query($n: Int) { problems(first: $n) { edges { node { council { name } author { council { name } } } } } }', { n: 5_000 });
    expect(costly[0]).toMatchObject({ type: 'next', payload: { errors: [{ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxCost' } }] } });
    expect((await client.operation('fine', '{ __typename }'))[0].payload).toEqual({ data: { __typename: 'Query' } });
    // Subscriptions too: depth before they start, cost before their source stream opens.
    const deepSubscription = await client.operation('deep-sub', nestedSubject(6));
    expect(deepSubscription[0]).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxDepth' } }] });
    // Each list at its cap of 50: 1 + 1 + 50 × (1 + 50 × (1 + 50 × (1 + 50 × (1 + 50 × (1 + 50))))) = 15,943,877,552
    const costlySubscription = await client.operation('cost-sub', nestedSubject(3));
    expect(JSON.stringify([deep, tokens, costlySubscription])).not.toContain('"http"');
    expect(costlySubscription[0]).toMatchObject({ type: 'next', payload: { errors: [{ message: expect.stringMatching(/cost 15943877552 /), extensions: { limit: 'maxCost' } }] } });
    expect(costlySubscription.at(-1).type).toBe('complete');
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('charges connects and operations to the rate limiter', async () => {
    const time = freezeTime();
    onTestFinished(() => { vi.useRealTimers(); });
    const { open } = await start({ RATE_LIMIT_PER_ADDRESS: '1', RATE_LIMIT_PER_ADDRESS_BURST: '3' });
    const client = await open();
    expect((await client.operation('1', '{ __typename }'))[0].type).toBe('next');
    expect((await client.operation('2', '{ __typename }'))[0].type).toBe('next');
    const limited = await client.operation('3', '{ __typename }');
    expect(limited[0]).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED', limit: 'perAddress', retryAfter: 1 } }] });
    const refused = await open();
    expect((await refused.closed)).toMatchObject({ code: 1013 });
    time.advance(1_000);
    expect((await client.operation('4', '{ __typename }'))[0].type).toBe('next');
  });

  // Issue 12, finding 2: subscriptions were costed once but executed per event, so distinct
  // documents on a few sockets multiplied each publish's work. Each delivered event is charged.
  describe('charges every subscription event its cost', () => {
    // 1 (events) + 1 (subject) + 50 (solutions at their cap) = 52 per event, per document.
    const documents = ['position', 'type', 'occurredAt'].map((field) => `subscription { events { ${field} subject { ... on Problem { solutions { id } } } } }`);
    const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
    const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { ... on PublishProblemPayload { problem { id } } } }`;
    async function publishProblem(hub: TestApp) {
      const created = await hub.gql(CREATE, { input: { title: 'Fly-tipping behind the leisure centre', summary: 'Reported weekly.', serviceArea: 'WASTE' } }, people.a.member.token);
      await hub.gql(PUBLISH, { id: created.data.createProblem.problem.id }, people.a.editor.token);
    }
    const outcomes = (client: WsClient, ids: string[]) => ids.map((id) => client.messages.filter((m) => m.id === id).map((m) => m.type === 'next' && m.payload.errors ? m.payload.errors[0].extensions.code : m.type));
    const ended = (client: WsClient, ids: string[]) => waitFor(() => ids.every((id) => client.messages.some((m) => m.id === id && m.type === 'complete')), { what: 'every subscription to end' });

    it('ends subscriptions whose events overspend their connection\'s allowance with LIMIT_EXCEEDED', async () => {
      const { hub, open } = await start({ SUBSCRIPTION_COST_PER_CONNECTION: '1', SUBSCRIPTION_COST_PER_CONNECTION_BURST: '150' });
      const client = await open();
      const ids = documents.map((query, i) => {
        client.send({ id: `s${i}`, type: 'subscribe', payload: { query } });
        return `s${i}`;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The clock stands still: 150 buys two events at 52, then each subscription is refused.
      await publishProblem(hub);
      await publishProblem(hub);
      await ended(client, ids);
      const delivered = outcomes(client, ids).flat().filter((o) => o === 'next').length;
      expect(delivered).toBe(2);
      expect(outcomes(client, ids).map((o) => o.filter((x) => x === 'LIMIT_EXCEEDED').length)).toEqual([1, 1, 1]);
      expect(client.socket.readyState).toBe(client.socket.OPEN);
    });

    it('shares one allowance between all connections of an address, whatever the documents', async () => {
      const { hub, open } = await start({ SUBSCRIPTION_COST_PER_CLIENT: '1', SUBSCRIPTION_COST_PER_CLIENT_BURST: '120' });
      const clients = [await open(), await open(), await open()];
      clients.forEach((client, i) => client.send({ id: 'only', type: 'subscribe', payload: { query: documents[i] } }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await publishProblem(hub);
      await publishProblem(hub);
      await Promise.all(clients.map((client) => ended(client, ['only'])));
      // 120 pays for two of the three deliveries of the first event, none after.
      const results = clients.map((client) => outcomes(client, ['only'])[0]!);
      expect(results.flat().filter((o) => o === 'next')).toHaveLength(2);
      expect(results.flat().filter((o) => o === 'LIMIT_EXCEEDED')).toHaveLength(3);
    });
  });
});
