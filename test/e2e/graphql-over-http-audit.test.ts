import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The hub with every protection on as in production: rate limits (high enough for the audit
// to run), CSRF prevention, limits and masking. Introspection stays on for the audits that
// use `__type`; turning it off only fails MAY audits.
const PRODUCTION_LIKE = { RATE_LIMIT_PER_ADDRESS: '1000', RATE_LIMIT_PER_TOKEN: '1000', CSRF_PREVENTION: 'post' };

describe.each(testDatabases())('GraphQL over HTTP audits (graphql-http) on $engine', (engine) => {
  let database: TestDatabaseHandle;
  const hubs: TestApp[] = [];

  beforeAll(async () => {
    database = await engine.create();
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
    await database?.close();
  });

  async function audit(env: Record<string, string>): Promise<AuditResult[]> {
    const hub = await startTestApp(database, env);
    hubs.push(hub);
    const results: AuditResult[] = [];
    for (const audit of serverAudits({ url: `${hub.url}/graphql` })) results.push(await audit.fn());
    const failing = results.filter((r) => r.status !== 'ok');
    const report = failing.map((r) => `  ${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    console.log(`${engine.engine} ${JSON.stringify(env)}: ${results.length} audits, ${results.length - failing.length} ok\n${report.join('\n')}`);
    return results;
  }

  it('passes every audit, MUST, SHOULD and MAY, with the default protections on', async () => {
    const results = await audit(PRODUCTION_LIKE);
    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
  });

  it('with introspection off and CSRF prevention on GET too, fails only audits that probe with __type or GET', async () => {
    const env = { ...PRODUCTION_LIKE, INTROSPECTION: 'false', CSRF_PREVENTION: 'all' };
    const failing = (await audit(env)).filter((r) => r.status !== 'ok');
    expect(failing.map((r) => r.id).sort()).toEqual(['28B9', '2EA1', '5A70', '6A70', 'D6D5']);
    // 28B9 (MUST accept a variables map) and 2EA1 send `query Type($name: String!) { __type(name: $name) }`,
    // which a server without introspection refuses; a variables map itself is accepted:
    const hub = hubs.at(-1)!;
    const res = await fetch(`${hub.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'query Council($slug: String!) { council(slug: $slug) { name } }', variables: { slug: 'nowhere' } }),
    });
    expect(await res.json()).toEqual({ data: { council: null } });
    // The others are GET requests without a CSRF header, which that mode refuses by design.
  });
});
