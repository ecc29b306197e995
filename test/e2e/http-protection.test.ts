import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import WebSocket from 'ws';
import { openWs } from '../support/ws-client.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ALIASED = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const COUNCILS = 'query Councils { councils(first: 5) { edges { node { name } } } }';

describe.each(testDatabases())('HTTP protection on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  const hubs: TestApp[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'cc-persisted-'));

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}) {
    const hub = await startTestApp(database, env);
    hubs.push(hub);
    return hub;
  }
  async function call(hub: TestApp, init: RequestInit & { search?: string }) {
    const res = await fetch(`${hub.url}/graphql${init.search ?? ''}`, init);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  describe('CSRF prevention', () => {
    it('refuses a form post unless it carries a preflight-forcing header; JSON and GET pass', async () => {
      const hub = await start();
      const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' };
      const refused = await call(hub, form);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('CSRF_PREVENTED');
      for (const header of ['x-graphql-yoga-csrf', 'graphql-require-preflight']) {
        expect((await call(hub, { ...form, headers: { ...form.headers, [header]: '1' } })).text).toBe('{"data":{"__typename":"Query"}}');
      }
      expect((await call(hub, { ...form, headers: { ...form.headers, authorization: `Bearer ${people.a.member.token}` } })).status).toBe(200);
      expect((await call(hub, { search: '?query=%7B__typename%7D' })).status).toBe(200);
    });

    it('leaves SSE working in both modes over POST, and over GET in the default mode only', async () => {
      for (const mode of ['post', 'all'] as const) {
        const hub = await start({ CSRF_PREVENTION: mode });
        const post = await call(hub, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: '{ __typename }' }) });
        expect(post.type).toMatch(/text\/event-stream/);
        expect(post.text).toMatch(/event: next\ndata: \{"data":\{"__typename":"Query"\}\}/);
        // What EventSource sends: a GET that cannot carry custom headers.
        const eventSource = await call(hub, { search: '?query=%7B__typename%7D', headers: { accept: 'text/event-stream' } });
        if (mode === 'post') expect(eventSource.text).toMatch(/event: next/);
        else expect(eventSource.status).toBe(403);
        const withHeader = await call(hub, { search: '?query=%7B__typename%7D', headers: { 'x-graphql-yoga-csrf': '1' } });
        expect(withHeader.status).toBe(200);
      }
    });

    it('can be turned off', async () => {
      const hub = await start({ CSRF_PREVENTION: 'off' });
      const form = await call(hub, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' });
      expect(form.status).toBe(200);
    });
  });

  it('caps the body size at the configured number of bytes, naming the limit', async () => {
    const hub = await start({ MAX_BODY_BYTES: '4096' });
    const body = (pad: number) => JSON.stringify({ query: '{ __typename }', variables: { pad: 'p'.repeat(pad) } });
    expect((await call(hub, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(4_000) })).status).toBe(200);
    const over = await call(hub, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(4_100) });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.text).errors[0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes', max: 4_096 } });
  });

  // Issue 22: the cap holds to the byte for a chunked body too (no Content-Length to check first).
  it('caps a chunked body at exactly the configured number of bytes', async () => {
    const hub = await start({ MAX_BODY_BYTES: '4096' });
    const sized = (bytes: number) => {
      const text = (pad: number) => JSON.stringify({ query: '{ __typename }', variables: { pad: 'p'.repeat(pad) } });
      const body = text(bytes - text(0).length);
      expect(Buffer.byteLength(body)).toBe(bytes);
      return body;
    };
    const chunked = (body: string) => {
      const bytes = Buffer.from(body);
      // Several chunks, so the cap is met while reading rather than from a header.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 1_000) controller.enqueue(bytes.subarray(i, i + 1_000));
          controller.close();
        },
      });
      return fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    };
    const atCap = await chunked(sized(4_096));
    expect(atCap.status).toBe(200);
    const oneOver = await chunked(sized(4_097));
    expect(oneOver.status).toBe(413);
    expect((await oneOver.json()).errors[0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes', max: 4_096 } });
  });

  it('turns introspection and GraphiQL off when configured, as server mode does by default', async () => {
    const open = await start();
    expect((await open.gql('{ __schema { queryType { name } } }')).data.__schema.queryType.name).toBe('Query');
    expect((await call(open, { headers: { accept: 'text/html' } })).text).toMatch(/GraphiQL|graphiql/);
    const closed = await start({ INTROSPECTION: 'false', GRAPHIQL: 'false' });
    const refused = await closed.gql('{ __schema { queryType { name } } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
    expect((await call(closed, { headers: { accept: 'text/html' } })).text).not.toMatch(/graphiql/i);
  });

  it('masks an unexpected database error: no SQL, no stack, a stable code', async () => {
    const broken = await engine.create();
    try {
      // A schema that no longer matches the code: every council read fails inside PostgreSQL.
      await sql`alter table councils rename column name to name_gone`.execute(broken.db);
      const hub = await startTestApp(broken);
      try {
        const res = await hub.gql(COUNCILS);
        expect(res.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        expect(JSON.stringify(res.errors?.map((e) => [e.message, e.extensions]))).not.toMatch(/name_gone|column|select|at .*\.(ts|js)/i);
      } finally {
        await hub.close();
      }
    } finally {
      await broken.close();
    }
  });

  describe('persisted operations', () => {
    const file = join(dir, 'operations.json');
    writeFileSync(file, JSON.stringify({ [sha256(COUNCILS)]: COUNCILS, aliased: ALIASED }));

    it('runs an allow-listed document by documentId, by GET and by Apollo hash, exempt from the limits', async () => {
      const hub = await start({ PERSISTED_OPERATIONS_FILE: file });
      const post = (body: unknown) => call(hub, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(JSON.parse((await post({ documentId: sha256(COUNCILS) })).text).data.councils.edges.length).toBeGreaterThan(0);
      expect(JSON.parse((await call(hub, { search: `?documentId=${sha256(COUNCILS)}` })).text).data.councils).toBeDefined();
      const apollo = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(COUNCILS) } } });
      expect(JSON.parse(apollo.text).data.councils).toBeDefined();
      // 40 aliases is over maxAliases, but the document was reviewed when it was listed.
      expect(JSON.parse((await post({ documentId: 'aliased' })).text).data.a39).toBe('Query');
      const unknown = JSON.parse((await post({ documentId: 'nope' })).text);
      expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      // Anything else still runs, within the limits.
      expect((await hub.gql('{ __typename }')).data.__typename).toBe('Query');
      expect((await hub.gql(`${ALIASED} # not the listed text`)).errors?.[0]?.extensions?.limit).toBe('maxAliases');
    });

    it('refuses every other document when the allow-list is exclusive', async () => {
      const hub = await start({ PERSISTED_OPERATIONS_FILE: file, PERSISTED_OPERATIONS_ONLY: 'true' });
      const other = await hub.gql('{ __typename }');
      expect(other.status).toBe(403);
      expect(other.errors?.[0]?.extensions?.code).toBe('PERSISTED_OPERATION_REQUIRED');
      expect((await hub.gql(COUNCILS)).data.councils).toBeDefined();
      // The WebSocket path parses through the same plugins: only the listed text runs there.
      const socket = await openWs(hub.url);
      try {
        expect((await socket.operation('other', '{ __typename }'))[0].payload[0].extensions.code).toBe('PERSISTED_OPERATION_REQUIRED');
        expect((await socket.operation('listed', COUNCILS))[0].payload.data.councils).toBeDefined();
      } finally {
        await socket.close();
      }
    });

    it('refuses to start on an allow-list the schema rejects', async () => {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ stale: '{ councilz { name } }' }));
      const config = loadConfig({ PORT: '0', SEED: 'false', LOG_LEVEL: 'silent', PERSISTED_OPERATIONS_FILE: bad });
      await expect(createApp(config, { database })).rejects.toThrow(/persisted operation stale .* is invalid: Cannot query field "councilz"/);
    });
  });

  // Issue 12, finding 8.
  it('answers a request whose body trickles in with 408 once REQUEST_TIMEOUT_MS has passed, and keeps serving', async () => {
    const hub = await start({ REQUEST_TIMEOUT_MS: '600', HEADERS_TIMEOUT_MS: '600' });
    const { port } = new URL(hub.url);
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":');
      });
      let text = '';
      socket.on('data', (chunk) => { text += chunk.toString(); });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Node checks every 150 ms here; 300 s was the default.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await call(hub, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) })).status).toBe(200);
  });

  it('lets any origin call without credentials, and only trusted origins with them', async () => {
    const hub = await start({ TRUSTED_ORIGINS: 'https://app.example.gov.uk' });
    const ask = (origin: string) => fetch(`${hub.url}/graphql`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    const stranger = await ask('https://evil.example');
    expect(stranger.headers.get('access-control-allow-credentials')).toBeNull();
    expect(stranger.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/evil\.example)$/);
    const trusted = await ask('https://app.example.gov.uk');
    expect(trusted.headers.get('access-control-allow-origin')).toBe('https://app.example.gov.uk');
    expect(trusted.headers.get('access-control-allow-credentials')).toBe('true');
    const untrusted = await start();
    expect((await fetch(`${untrusted.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })).headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses WebSocket handshakes from pages of other origins, unless trusted', async () => {
    const hub = await start({ TRUSTED_ORIGINS: 'https://app.example.gov.uk' });
    const handshake = (origin?: string) => new Promise<number>((resolve) => {
      const socket = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', origin ? { origin } : {});
      socket.on('open', () => { socket.close(); resolve(101); });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => resolve(-1));
    });
    expect(await handshake('https://evil.example')).toBe(401);
    expect(await handshake('https://app.example.gov.uk')).toBe(101);
    expect(await handshake(hub.url)).toBe(101);
    expect(await handshake()).toBe(101);
  });
});
