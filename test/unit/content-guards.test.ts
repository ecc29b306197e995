import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNulGuard } from '../../server/http/limits/use-nul-guard.js';
import { useRequestGuard } from '../../server/http/limits/use-request-guard.js';
import { waitFor } from '../support/wait-for.js';

// The content guards on a yoga of their own, with the options the hub gives yoga
// (server/http/yoga.ts), over real HTTP (Node's request stream) and in process (a web
// Request, as the pages send): no database, so each case costs milliseconds.
const MAX_BODY = 1_024;

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    input Note { text: String, tags: [String], inner: Note }
    type Query { echo(text: String, note: Note): String }
    type Subscription { echoed(text: String): String }
  `,
  resolvers: {
    Query: { echo: (_: unknown, args: { text?: string }) => args.text ?? 'ok' },
    Subscription: {
      echoed: {
        async *subscribe(_: unknown, args: { text?: string }) { yield { echoed: args.text ?? 'ok' }; },
      },
    },
  },
});

function guardedYoga(maxBatchSize: number, answered: string[] = []) {
  // Records each request yoga finishes, however it ends.
  const finished: Plugin = { onResponse: ({ request }) => { answered.push(request.headers.get('x-case') ?? ''); } };
  return createYoga({
    schema, logging: false, multipart: false, maxRequestBodySize: false,
    batching: maxBatchSize > 1 ? { limit: maxBatchSize } : false,
    plugins: [useRequestGuard({ maxBodyBytes: MAX_BODY, maxBatchSize, requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 }), useNulGuard(), finished],
  });
}

const JSON_POST = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
/** A JSON body of exactly `bytes` bytes, padded in a variable; with two-byte characters when `welsh`. */
function sized(bytes: number, welsh = false): string {
  const text = (pad: string) => JSON.stringify({ query: '{ echo }', variables: { pad } });
  const room = bytes - Buffer.byteLength(text(''));
  const wide = welsh ? Math.floor(room / 2) : 0;
  const body = text('ŵ'.repeat(wide) + 'p'.repeat(room - 2 * wide));
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}
const stream = (bytes: Uint8Array, chunk: number) => new ReadableStream<Uint8Array>({
  start(controller) {
    for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.subarray(i, i + chunk));
    controller.close();
  },
});
async function answer(response: Response) {
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as { data?: any; errors?: { message: string; locations?: unknown; extensions: Record<string, unknown> }[] } };
}

describe('content guards over HTTP', () => {
  const answered: string[] = [];
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(guardedYoga(1, answered));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    // A connection per request: a refused body is left unread, and its connection with it.
    fetch(url, { method: 'POST', headers: { ...JSON_POST, connection: 'close', ...headers }, body, duplex: 'half' } as RequestInit).then(answer);

  it('takes a body of exactly the cap, in one piece or in many, and refuses one byte more by its length', async () => {
    expect((await post(sized(MAX_BODY))).body).toEqual({ data: { echo: 'ok' } });
    const bytes = Buffer.from(sized(MAX_BODY, true));
    expect((await post(stream(bytes, 100))).body).toEqual({ data: { echo: 'ok' } });
    const over = await post(sized(MAX_BODY + 1));
    expect(over.status).toBe(413);
    expect(over.body.errors).toEqual([{
      message: `The request body has ${MAX_BODY + 1} bytes (limit maxBodyBytes = ${MAX_BODY})`,
      extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes', max: MAX_BODY },
    }]);
    // A 413 for legacy JSON clients too (spec: false), whom yoga would otherwise answer 200.
    expect((await post(sized(MAX_BODY + 1), { accept: 'application/json' })).status).toBe(413);
  });

  it('counts the bytes of a body sent without a length, and cuts it off one byte past the cap', async () => {
    const over = await post(stream(Buffer.from(sized(MAX_BODY + 1)), 100));
    expect(over.status).toBe(413);
    expect(over.body.errors![0]!.message).toBe(`The request body is too large (limit maxBodyBytes = ${MAX_BODY})`);
    // Far past the cap, in one chunk after another: still one 413, and the hub keeps serving.
    expect((await post(stream(Buffer.alloc(50 * MAX_BODY, 0x20), MAX_BODY / 2))).status).toBe(413);
    expect((await post(sized(100))).status).toBe(200);
  });

  it('refuses a body that is not UTF-8, rather than reading it with replacement characters', async () => {
    const bytes = Buffer.concat([Buffer.from('{"query":"{ echo(text: \\"'), Buffer.from([0xff, 0xfe]), Buffer.from('\\") }"}')]);
    const refused = await post(bytes);
    expect(refused).toEqual({ status: 400, body: { errors: [{ message: 'The request body is not valid UTF-8', extensions: { code: 'BAD_REQUEST' } }] } });
    // Valid multi-byte text passes as it was sent.
    const text = 'Tŷ Hywel – Caerdydd';
    expect((await post(JSON.stringify({ query: 'query ($t: String) { echo(text: $t) }', variables: { t: text } }))).body.data).toEqual({ echo: text });
  });

  it('reads a query sent as application/graphql', async () => {
    expect((await post('{ echo(text: "plain") }', { 'content-type': 'application/graphql' })).body).toEqual({ data: { echo: 'plain' } });
  });

  it('answers a client that stops mid-body without waiting for the rest', async () => {
    const { port } = server.address() as AddressInfo;
    const before = answered.length;
    const request = httpRequest({ port, host: '127.0.0.1', path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'x-case': 'went away' } });
    request.on('error', () => {});
    request.write('{"query":');
    await new Promise((resolve) => setTimeout(resolve, 50));
    request.destroy();
    await waitFor(() => answered.slice(before).includes('went away'), { timeoutMs: 5_000, what: 'the hub to finish the abandoned request' });
  });
});

describe('content guards in process', () => {
  const call = (yoga: ReturnType<typeof guardedYoga>, init: RequestInit, search = '') =>
    Promise.resolve(yoga.fetch(`http://hub.test/graphql${search}`, { ...init, duplex: 'half' } as RequestInit)).then(answer);
  const single = guardedYoga(1);
  const batched = guardedYoga(3);

  it('caps a body read as a web stream too, to the byte', async () => {
    expect((await call(single, { method: 'POST', headers: JSON_POST, body: stream(Buffer.from(sized(MAX_BODY, true)), 64) })).body).toEqual({ data: { echo: 'ok' } });
    const over = await call(single, { method: 'POST', headers: JSON_POST, body: stream(Buffer.from(sized(MAX_BODY + 1)), 64) });
    expect(over.status).toBe(413);
    expect(over.body.errors![0]!.message).toBe(`The request body is too large (limit maxBodyBytes = ${MAX_BODY})`);
  });

  it('answers a POST without a body as bad JSON, not as a failure of its own', async () => {
    const empty = await call(single, { method: 'POST', headers: JSON_POST });
    expect(empty.status).toBe(400);
    expect(empty.body.errors![0]!.message).toBe('POST body sent invalid JSON.');
  });

  it('refuses a Content-Length that is not a byte count, and an unknown content type with 415', async () => {
    for (const length of ['12abc', '-1', '1e3', '0x10']) {
      const refused = await call(single, { method: 'POST', headers: { ...JSON_POST, 'content-length': length }, body: '{"query":"{ echo }"}' });
      expect(refused, length).toEqual({ status: 400, body: { errors: [{ message: 'The Content-Length header is not a byte count', extensions: { code: 'BAD_REQUEST' } }] } });
    }
    const plain = await call(single, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ echo }' });
    expect(plain).toEqual({ status: 415, body: { errors: [{ message: 'Send the request as application/json (or application/graphql)', extensions: { code: 'BAD_REQUEST' } }] } });
    // Other methods are yoga's to refuse.
    expect((await call(single, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: '{ echo }' })).status).toBe(405);
  });

  it('answers GET variables that are not JSON as the client\'s error; valid ones pass', async () => {
    const bad = await call(single, { method: 'GET' }, '?query=%7B%20echo%20%7D&variables=not-json');
    expect(bad).toEqual({ status: 400, body: { errors: [{ message: 'The variables and extensions parameters must be JSON objects', extensions: { code: 'BAD_REQUEST' } }] } });
    const good = await call(single, { method: 'GET', headers: { accept: 'application/graphql-response+json' } }, `?query=${encodeURIComponent('query ($t: String) { echo(text: $t) }')}&variables=${encodeURIComponent('{"t":"get"}')}`);
    expect(good.body).toEqual({ data: { echo: 'get' } });
  });

  it('refuses batches when batching is off, with a 400 even for legacy JSON clients', async () => {
    const batch = JSON.stringify([{ query: '{ echo }' }, { query: '{ echo }' }]);
    const refused = await call(single, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: batch });
    expect(refused).toEqual({ status: 400, body: { errors: [{
      message: 'Batched requests are not supported: send each operation in its own request, as a JSON object rather than an array', extensions: { code: 'BAD_REQUEST' },
    }] } });
  });

  it('takes a batch of up to the configured size and names the limit past it, with a 400 even for legacy JSON clients', async () => {
    const batch = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ query: `{ echo(text: "${i}") }` })));
    const taken = await call(batched, { method: 'POST', headers: JSON_POST, body: batch(3) });
    expect(taken.body).toEqual([{ data: { echo: '0' } }, { data: { echo: '1' } }, { data: { echo: '2' } }]);
    const refused = await call(batched, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: batch(4) });
    expect(refused).toEqual({ status: 400, body: { errors: [{
      message: 'The batch has 4 operations (limit maxBatchSize = 3)', extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxBatchSize', max: 3 },
    }] } });
  });
});

describe('the NUL guard', () => {
  const yoga = guardedYoga(1);
  const run = (query: string, variables?: Record<string, unknown>, accept = 'application/graphql-response+json') =>
    Promise.resolve(yoga.fetch('http://hub.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query, variables }) })).then(answer);
  const refusal = (where: string) => `Text may not contain the NUL character (U+0000): found in ${where}`;

  it('refuses a NUL in a string of the query, pointing at the first such string, every time it is sent', async () => {
    const query = '{ a: echo(text: "fine") b: echo(text: "x\\u0000") c: echo(text: "\\u0000y") }';
    for (let i = 0; i < 2; i++) {
      const refused = await run(query);
      expect(refused).toEqual({ status: 400, body: { errors: [{ message: refusal('a string in the query'), locations: [{ line: 1, column: query.indexOf('"x') + 1 }], extensions: { code: 'BAD_USER_INPUT' } }] } });
    }
    // Legacy JSON clients get the spec's 200 with the error.
    expect((await run(query, undefined, 'application/json')).status).toBe(200);
  });

  it('finds a NUL in a variable at any depth, in keys too, and names the variable', async () => {
    const query = 'query ($a: String, $b: Note, $c: Note) { echo(text: $a, note: $b) again: echo(note: $c) }';
    const cases: [Record<string, unknown>, string][] = [
      [{ a: 'x\u0000' }, 'a'],
      [{ a: 'clean', b: { tags: ['ok', 'no\u0000'] } }, 'b'],
      [{ a: null, b: { inner: { inner: { text: '\u0000' } } } }, 'b'],
      [{ b: { inner: null, tags: null }, c: { ['te\u0000xt']: 'x' } }, 'c'],
    ];
    for (const [variables, name] of cases) {
      expect(await run(query, variables), name).toEqual({ status: 400, body: { errors: [{ message: refusal(`variable $${name}`), extensions: { code: 'BAD_USER_INPUT' } }] } });
    }
    const clean = await run(query, { a: 'Tŷ', b: { text: 'a', tags: ['b', null], inner: { text: 'c' } }, c: null });
    expect(clean).toEqual({ status: 200, body: { data: { echo: 'Tŷ', again: 'ok' } } });
  });

  it('guards subscriptions the same way', async () => {
    const response = await yoga.fetch('http://hub.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription ($t: String) { echoed(text: $t) }', variables: { t: 'bad\u0000' } }),
    });
    const text = await response.text();
    expect(text).toContain(refusal('variable $t'));
    const literal = await (await yoga.fetch('http://hub.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { echoed(text: "\\u0000") }' }),
    })).text();
    expect(literal).toContain(refusal('a string in the query'));
    const fine = await (await yoga.fetch('http://hub.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { echoed(text: "fine") }' }),
    })).text();
    expect(fine).toContain('"echoed":"fine"');
  });
});
