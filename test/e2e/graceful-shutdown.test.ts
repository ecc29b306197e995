import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwoCouncils } from '../support/factories.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';
import { openWs } from '../support/ws-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// SIGTERM is handled by server/main.ts, so this test runs the real entry point as a child
// process. It holds a row lock to keep a mutation in flight across the signal. PostgreSQL
// only: the lock must be held from a second connection, which PGlite does not have.
describe('SIGTERM on a running hub (PostgreSQL; PGlite has no second connection to hold a lock from)', () => {
  let database: TestDatabaseHandle;
  let child: ChildProcess | undefined;
  let lines: string[];
  let exited: Promise<{ code: number | null; at: number }>;

  beforeAll(async () => {
    database = await postgresDatabase.create();
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '20000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    lines = [];
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    exited = new Promise((resolve) => child!.once('exit', (code) => resolve({ code, at: Date.now() })));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await database?.close();
  });

  it('drains the in-flight mutation, closes WebSockets with 1001 and exits 0', async () => {
    await waitFor(() => lines.some((l) => l.includes('council commons is serving')), { timeoutMs: 30_000, what: 'the hub to start' });
    const url = JSON.parse(lines.find((l) => l.includes('council commons is serving'))!).url.replace('/graphql', '').replace('localhost', '127.0.0.1');
    const people = await createTwoCouncils(database.db);
    const gql = async (query: string, variables: unknown) => {
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${people.a.editor.token}` }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: await res.json() as any };
    };
    const created = await gql(`mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`,
      { input: { title: 'Council tax direct debits fail at month end', summary: 'The bank file is late twice a year.', serviceArea: 'REVENUES_BENEFITS' } });
    const id: string = created.body.data.createProblem.problem.id;
    const rawId = Buffer.from(id, 'base64url').toString().split(':')[1]!;
    const socket = await openWs(url, { token: people.a.member.token });

    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('select 1 from problems where id = $1 for update', [rawId]);
      const inFlight = gql(`mutation($input: UpdateProblemInput!) { updateProblem(input: $input) { __typename ... on UpdateProblemPayload { problem { version title } } } }`,
        { input: { id, version: 1, title: 'Council tax direct debits fail on bank holidays' } });
      await waitFor(async () => (await locker.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)).rows[0].n > 0, { what: 'the mutation to wait on the lock' });

      child!.kill('SIGTERM');
      expect(await socket.closed).toEqual({ code: 1001, reason: 'Going away' });
      await waitFor(async () => fetch(`${url}/healthz`).then(() => false, () => true), { what: 'the listener to close' });
      expect(child!.exitCode).toBeNull();

      await locker.query('commit');
      const released = Date.now();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body.data.updateProblem).toEqual({ __typename: 'UpdateProblemPayload', problem: { version: 2, title: 'Council tax direct debits fail on bank holidays' } });
      const exit = await exited;
      expect(exit.code).toBe(0);
      // Exit follows the last response, not the 20 s grace period.
      expect(exit.at - released).toBeLessThan(5_000);
    } finally {
      await locker.end();
    }
    const events = await database.db.selectFrom('outbox_events').select('type').where('subject_id', '=', rawId).orderBy('position').execute();
    expect(events.map((e) => e.type)).toEqual(['problem.created', 'problem.updated']);
    expect(lines.some((l) => l.includes('"shutting down"') && l.includes('SIGTERM'))).toBe(true);
  }, 90_000);
});
