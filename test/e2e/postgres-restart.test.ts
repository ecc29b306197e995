import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createTwoCouncils } from '../support/factories.js';
import { findPostgresBin, startPrivateCluster, type PrivateCluster } from '../support/private-postgres.js';
import { waitFor } from '../support/wait-for.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) {
  __typename ... on CreateProblemPayload { problem { id title } } ... on Error { code } } }`;

interface Outcome {
  title: string;
  status: number;
  id?: string;
  code?: string;
  network?: string;
}

const haveBinaries = findPostgresBin() !== undefined;
if (!haveBinaries) console.warn('SKIPPED: the PostgreSQL restart test needs initdb and pg_ctl (set PG_BIN)');

// The machine's shared PostgreSQL cannot be restarted by a test: this file starts its own.
describe.skipIf(!haveBinaries)('a PostgreSQL restart under a steady mutation load', () => {
  let cluster: PrivateCluster;
  let app: App;
  let url: string;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    const config = loadConfig({
      DATABASE_URL: cluster.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_TOKEN: '10000', RATE_LIMIT_PER_ADDRESS: '10000',
      // The outbox consumers run here too, so the test sees them through the outages.
      IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '200',
    });
    app = await createApp(config);
    url = `http://127.0.0.1:${await app.listen()}`;
  }, 120_000);
  afterAll(async () => {
    await app?.close(1_000);
    await cluster?.destroy();
  });

  it('fails requests cleanly while the database is down, recovers, and loses no accepted mutation', async () => {
    const people = await createTwoCouncils(app.db);
    const writers = [people.a.member, people.a.editor, people.b.member, people.b.editor];
    const outcomes: Outcome[] = [];
    const readiness: boolean[] = [];
    let running = true;

    async function write(token: string, n: number): Promise<Outcome> {
      const title = `Fault test problem ${token.slice(3, 9)} ${n}`;
      const input = { title, summary: 'Written while the database restarts.', serviceArea: 'CORPORATE' };
      try {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: CREATE, variables: { input } }),
        });
        const body = await res.json() as any;
        const problem = body.data?.createProblem?.problem;
        return problem ? { title, status: res.status, id: problem.id } : { title, status: res.status, code: body.errors?.[0]?.extensions?.code ?? body.data?.createProblem?.code };
      } catch (error) {
        return { title, status: 0, network: String((error as Error).cause ?? error) };
      }
    }
    const loops = writers.map(async (writer) => {
      for (let n = 0; running; n++) outcomes.push(await write(writer.token, n));
    });
    const reads: { status: number; code?: string }[] = [];
    const reader = (async () => {
      while (running) {
        const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ problems(first: 5) { edges { node { id title } } } }' }) });
        const body = await res.json() as any;
        reads.push({ status: res.status, code: body.errors?.[0]?.extensions?.code });
      }
    })();
    const watcher = (async () => {
      while (running) {
        const res = await fetch(`${url}/readyz`);
        const ready = res.status === 200;
        if (readiness.at(-1) !== ready) readiness.push(ready);
        await res.text();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const succeeded = () => outcomes.filter((o) => o.id).length;
    const failedSince = (mark: number) => outcomes.slice(mark).filter((o) => !o.id).length;

    try {
      for (const mode of ['fast', 'immediate'] as const) {
        const before = succeeded();
        await waitFor(() => succeeded() >= before + 20, { timeoutMs: 30_000, what: 'mutations to succeed' });
        const mark = outcomes.length;
        await cluster.stop(mode);
        await waitFor(() => readiness.at(-1) === false && failedSince(mark) >= 8, { timeoutMs: 30_000, what: `failures while stopped (${mode})` });
        await cluster.start();
        const down = succeeded();
        await waitFor(() => readiness.at(-1) === true && succeeded() >= down + 20, { timeoutMs: 60_000, what: `recovery after a ${mode} stop` });
      }
    } finally {
      running = false;
      await Promise.all([...loops, reader, watcher]);
    }

    // The server kept answering: no request failed at the connection level.
    expect(outcomes.filter((o) => o.network)).toEqual([]);
    // Every failure was the typed, retryable outage error.
    const failures = outcomes.filter((o) => !o.id);
    expect(failures.length).toBeGreaterThanOrEqual(16);
    expect(new Set(failures.map((o) => `${o.status} ${o.code}`))).toEqual(new Set(['503 SERVICE_UNAVAILABLE']));
    expect(readiness).toEqual([true, false, true, false, true]);
    const failedReads = reads.filter((r) => r.status !== 200);
    expect(failedReads.length).toBeGreaterThan(0);
    expect(new Set(failedReads.map((r) => `${r.status} ${r.code}`))).toEqual(new Set(['503 SERVICE_UNAVAILABLE']));

    // Every mutation that answered success is in the table and has its event in the outbox.
    const accepted = outcomes.filter((o) => o.id);
    const rawIds = accepted.map((o) => Buffer.from(o.id!, 'base64url').toString().split(':')[1]!);
    const rows = await app.db.selectFrom('problems').select(['id', 'title']).where('id', 'in', rawIds).execute();
    expect(new Map(rows.map((r) => [r.id, r.title]))).toEqual(new Map(accepted.map((o, i) => [rawIds[i], o.title])));
    const events = await app.db.selectFrom('outbox_events').select('subject_id').where('type', '=', 'problem.created').where('subject_id', 'in', rawIds).execute();
    expect(events.map((e) => e.subject_id).sort()).toEqual([...rawIds].sort());
    // And no problem committed without its event, whatever its request was told.
    const orphans = await app.db.selectFrom('problems').select('id')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('outbox_events').select('position').whereRef('outbox_events.subject_id', '=', 'problems.id'))))
      .execute();
    expect(orphans).toEqual([]);
    // The search indexer rode out both outages: it applies every event, including those
    // written after them, and a problem published now becomes searchable.
    const gql = async (query: string, token?: string) => (await (await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    })).json()) as any;
    const ours = [people.a.member.token, people.a.editor.token].map((token) => token.slice(3, 9));
    const last = accepted.filter((o) => ours.some((mark) => o.title.includes(mark))).at(-1);
    const published = await gql(`mutation { publishProblem(input: { id: "${last!.id}" }) { __typename } }`, people.a.editor.token);
    expect(published.data.publishProblem.__typename).toBe('PublishProblemPayload');
    await waitFor(async () => (await gql('{ indexerStatus { lag } }')).data.indexerStatus.lag === 0, { timeoutMs: 60_000, what: 'the search indexer to catch up after the restarts' });
    const found = await gql(`{ search(query: ${JSON.stringify(last!.title)}) { edges { node { id: contentId } } } }`);
    expect(found.errors).toBeUndefined();
    expect(found.data.search.edges.map((e: any) => e.node.id)).toContain(last!.id);
    console.log(`${outcomes.length} mutations: ${accepted.length} accepted, ${failures.length} refused with 503 during two outages`);
  }, 240_000);
});
