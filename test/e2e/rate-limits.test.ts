import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { freezeTime } from '../support/frozen-time.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const QUERY = '{ viewer { member { name } } }';

describe.each(testDatabases())('rate limits over HTTP on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  const hubs: TestApp[] = [];

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
    await database?.close();
  });

  // The hub runs in this process: with time frozen, the limiter's windows end only when a
  // test moves time on.
  let advance: (ms: number) => void;
  beforeEach(() => { ({ advance } = freezeTime()); });
  afterEach(() => { vi.useRealTimers(); });

  async function start(env: Record<string, string>) {
    const hub = await startTestApp(database,
      { RATE_LIMIT_PER_ADDRESS: '1', RATE_LIMIT_PER_ADDRESS_BURST: '3', RATE_LIMIT_PER_TOKEN: '1', RATE_LIMIT_PER_TOKEN_BURST: '5', ...env });
    hubs.push(hub);
    const send = async (headers: Record<string, string> = {}, body: unknown = { query: QUERY }) => {
      const res = await fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() as any };
    };
    return { hub, send };
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses an address past its burst with 429, Retry-After and a clear error, then lets it back in', async () => {
    const { send } = await start({});
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', limit: 'perAddress', retryAfter: Number(refused.retryAfter) } });
    expect(refused.body.errors[0].message).toMatch(/your address may make 1 per second.*retry after 1 s/);
    advance(999);
    expect((await send()).status).toBe(429);
    advance(1);
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(429);
  });

  it('gives an authenticated token its own allowance, and charges forged tokens to the address', async () => {
    const { send } = await start({});
    const token = bearer(people.a.member.token);
    // The first request with a token is charged to the address: the token is not yet known.
    expect((await send(token)).body.data.viewer.member).not.toBeNull();
    const own = [];
    for (let i = 0; i < 6; i++) own.push(await send(token));
    expect(own.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(own[5]!.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'perToken' });
    // The address still has two requests left; forged tokens spend them, then are refused too.
    const forged = [];
    for (let i = 0; i < 3; i++) forged.push(await send(bearer(`cc_${'F'.repeat(42)}${i}`)));
    expect(forged.map((r) => r.status)).toEqual([401, 401, 429]);
    expect(forged[2]!.body.errors[0].extensions.limit).toBe('perAddress');
    // Another council's token is unaffected by both.
    expect((await send(bearer(people.b.member.token))).status).toBe(429);
  });

  it('ignores X-Forwarded-For unless told to trust a proxy', async () => {
    const direct = await start({});
    const spoofed = [];
    for (let i = 0; i < 4; i++) spoofed.push((await direct.send({ 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(spoofed).toEqual([200, 200, 200, 429]);
    const proxied = await start({ TRUST_PROXY: 'true' });
    const behindProxy = [];
    for (let i = 0; i < 4; i++) behindProxy.push((await proxied.send({ 'x-forwarded-for': `198.51.100.7, 203.0.113.${i}` })).status);
    expect(behindProxy).toEqual([200, 200, 200, 200]);
    for (let i = 0; i < 3; i++) await proxied.send({ 'x-forwarded-for': '203.0.113.99' });
    expect((await proxied.send({ 'x-forwarded-for': '203.0.113.99' })).status).toBe(429);
  });

  it('charges each operation of a batch, and caps the batch', async () => {
    const { send } = await start({ MAX_BATCH_SIZE: '3', RATE_LIMIT_PER_ADDRESS_BURST: '5' });
    const batch = (n: number) => Array.from({ length: n }, () => ({ query: '{ __typename }' }));
    const ok = await send({}, batch(3));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }]);
    const over = await send({}, batch(4));
    expect(over.status).toBe(400);
    expect(over.body.errors[0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBatchSize', max: 3 } });
    // One request left: the batch's first operation runs, the others are refused one by one.
    const partly = await send({}, batch(3));
    expect(partly.body[0]).toEqual({ data: { __typename: 'Query' } });
    expect(partly.body.slice(1).map((r: any) => r.errors[0].extensions.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect((await send()).status).toBe(429);
  });

  it('is off by default in embedded mode', async () => {
    const { send } = await start({ RATE_LIMIT_PER_ADDRESS: '', RATE_LIMIT_PER_ADDRESS_BURST: '', RATE_LIMIT_PER_TOKEN: '', RATE_LIMIT_PER_TOKEN_BURST: '' });
    const statuses = new Set<number>();
    for (let i = 0; i < 60; i++) statuses.add((await send()).status);
    expect([...statuses]).toEqual([200]);
  });
});
