import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoCouncils } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { documentCases } from '../support/hostile/document-cases.js';
import { requestCases } from '../support/hostile/request-cases.js';
import type { HostileCase } from '../support/hostile/requests.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

v8.setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

// After 600+ hostile requests the heap may hold yoga's bounded document cache and warmed-up
// code, but nothing that grows with the number of requests.
const HEAP_GROWTH_BOUND = 48 * 1024 * 1024;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe.each(testDatabases())('hostile and malformed operations on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let cases: HostileCase[];
  let token: string;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database);
    const people = await createTwoCouncils(database.db);
    token = people.a.editor.token;
    const created = await hub.gql(`mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`,
      { input: { title: 'Potholes reported on three systems', summary: 'Highways, the contact centre and councillors each log them.', serviceArea: 'HIGHWAYS_TRANSPORT' } }, token);
    const context = { token, problemId: created.data.createProblem.problem.id, councilId: people.a.council.id };
    cases = [...documentCases(context), ...requestCases(context)];
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const send = (c: HostileCase) => rawRequest(hub.url, typeof c.request === 'function' ? c.request() : c.request);

  function expectClearError(c: HostileCase, { status, text }: { status: number; text: string }): void {
    const label = `${c.name}: ${status} ${text.slice(0, 300)}`;
    expect(status, label).toBeLessThan(500);
    if (c.status instanceof RegExp) expect(String(status), label).toMatch(c.status);
    else if (c.status !== undefined) expect(status, label).toBe(c.status);
    const body = JSON.parse(text) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    // A typed mutation error counts as clear too: `createProblem { ... on Error { code } }`.
    const typed = Object.values(body.data ?? {}).filter((v) => typeof v?.__typename === 'string' && v.__typename.endsWith('Error'));
    const reported = [...(body.errors ?? []), ...typed];
    expect(reported.length, label).toBeGreaterThan(0);
    for (const error of reported) {
      expect(typeof error.message === 'string' && error.message.length > 0, label).toBe(true);
      expect(error.message, label).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|Unexpected error/);
    }
    const codes = [...(body.errors ?? []).map((e) => e.extensions?.code), ...typed.map((e) => e.code)].map(String);
    expect(codes.some((code) => (typeof c.code === 'string' ? code === c.code : c.code.test(code))), `${label}\ncodes: ${codes.join(', ')}`).toBe(true);
    if (c.limit) {
      const limits = (body.errors ?? []).map((e) => String(e.extensions?.limit));
      expect(limits.some((limit) => (typeof c.limit === 'string' ? limit === c.limit : c.limit!.test(limit))), label).toBe(true);
    }
  }

  it('answers each of more than 300 hostile requests with a clear error, and then still serves', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const normal = async () => hub.gql('{ problems(first: 5, filter: { includeDrafts: true }) { edges { node { id title council { name } } } } viewer { member { name } } }', {}, token);
    expect((await normal()).errors).toBeUndefined();
    const before = heapAfterGc();
    const problemsBefore = await problemCount();
    const unclear: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const c of cases) {
        try {
          expectClearError(c, await send(c));
        } catch (error) {
          const cause = (error as Error).cause as Error | undefined;
          unclear.push(`${c.name}: ${(error as Error).message.split('\n')[0]}${cause ? ` (${cause.message})` : ''}`);
        }
      }
    }
    expect(unclear).toEqual([]);
    const after = heapAfterGc();
    const res = await normal();
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data.problems.edges.length).toBe(1);
    expect(await problemCount()).toBe(problemsBefore);
    console.log(`${engine.engine}: ${cases.length} hostile requests x2, heap ${mb(before)} -> ${mb(after)} MiB`);
    expect(after - before).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 240_000);

  it('keeps distinct large documents from pinning memory in the parser cache', async () => {
    // Each of these parses to about 1 MB of AST; the invalid ones carry 100 validation errors more.
    // With yoga's stock 1,024-entry caches, 400 of them would pin about 500 MB.
    const invalid = (i: number) => `query I${i} { ${Array.from({ length: 1_900 }, (_, j) => `f${j}`).join(' ')} }`;
    const valid = (i: number) => `query V${i} { problems(first: 1, filter: { tags: [${Array.from({ length: 1_900 }, (_, j) => `"t${j}"`).join(' ')}] }) { edges { node { id } } } }`;
    const before = heapAfterGc();
    for (let i = 0; i < 400; i++) {
      const res = await hub.gql(i % 4 === 0 ? valid(i) : invalid(i));
      expect(res.errors === undefined).toBe(i % 4 === 0);
    }
    const after = heapAfterGc();
    console.log(`${engine.engine}: 400 distinct large documents, heap ${mb(before)} -> ${mb(after)} MiB`);
    expect(after - before).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);

  const problemCount = async () => Number((await database.db.selectFrom('problems').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
});

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
