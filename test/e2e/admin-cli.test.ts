import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../server/admin/run.js';
import { connectDatabase } from '../../server/db/connect.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Run { code: number | null; stdout: string; stderr: string; lastLine: string }

/** Runs the admin CLI as its own process, with only the database settings we give it. */
function spawnAdmin(args: string[], db: { DATABASE_URL?: string; DATA_DIR?: string }, viaNpm = false): Promise<Run> {
  const env = { ...process.env, LOG_LEVEL: 'silent' } as Record<string, string | undefined>;
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  Object.assign(env, db);
  const [command, argv] = viaNpm
    ? ['npm', ['run', '--silent', 'admin', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'server/admin-cli.ts', ...args]];
  return new Promise((done, fail) => {
    const child = spawn(command, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, lastLine: stdout.trimEnd().split('\n').at(-1) ?? '' }));
  });
}

/** The same command in this process: quick enough to try every way of calling it wrongly. */
async function runInProcess(args: string[], env: Record<string, string>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(args, { LOG_LEVEL: 'silent', ...env }, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr, lastLine: stdout.trimEnd().split('\n').at(-1) ?? '' };
}

// Each child process starts tsx and loads the app: seconds apiece on a busy machine.
const CHILD_TIMEOUT_MS = 180_000;

const WHO = `{ viewer { member { name role council { slug } } } }`;

describe('npm run admin against PostgreSQL, beside a running server', () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let env: { DATABASE_URL: string };
  const slug = `cli-${Date.now().toString(36)}`;

  beforeAll(async () => {
    database = await postgresDatabase.create();
    env = { DATABASE_URL: database.url! };
    hub = await startTestApp(database);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  it('creates a council and an admin token that then works over HTTP', async () => {
    const council = await spawnAdmin(['create-council', '--slug', slug, '--name', 'Test District Council', '--kind', 'district', '--region', 'East of England', '--gss-code', 'E07999999'], env);
    expect(council.stderr).toBe('');
    expect(council.code).toBe(0);
    const issued = await spawnAdmin(['create-token', '--council', slug, '--role', 'admin', '--name', 'Integration robot'], env, true);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.lastLine).toMatch(/^cc_[A-Za-z0-9_-]{43}$/);
    const token = issued.lastLine;
    const who = await hub.gql(WHO, {}, token);
    expect(who.data.viewer.member).toEqual({ name: 'Integration robot', role: 'ADMIN', council: { slug } });
    // The token carries an admin's powers: it can add a member to its council.
    const add = await hub.gql(`mutation { addMember(input: { name: "Alex Murray", email: "alex.murray.${slug}@example.gov.uk", role: EDITOR }) { __typename } }`, {}, token);
    expect(add.data.addMember.__typename).toBe('AddMemberPayload');
    const councilId = (await database.db.selectFrom('councils').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
    const events = await database.db.selectFrom('outbox_events').select('type').where('council_id', '=', councilId).orderBy('position').execute();
    expect(events.map((e) => e.type)).toEqual(['council.created', 'member.added', 'api_token.created', 'member.added']);
  }, CHILD_TIMEOUT_MS);

  it('issues a token for an existing member by email, lists tokens without secrets and revokes by prefix', async () => {
    const slug = `cli-tokens-${Date.now().toString(36)}`;
    expect((await runInProcess(['create-council', '--slug', slug, '--name', 'Token Test Council', '--kind', 'london-borough', '--region', 'London'], env)).code).toBe(0);
    const email = `jo.bloggs.${slug}@example.gov.uk`;
    const first = await runInProcess(['create-token', '--council', slug, '--role', 'editor', '--email', email, '--name', 'Jo Bloggs', '--label', 'laptop'], env);
    const second = await runInProcess(['create-token', '--council', slug, '--role', 'editor', '--email', email.toUpperCase(), '--label', 'phone'], env);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout).toContain('Added Jo Bloggs');
    expect(second.stdout).not.toContain('Added');
    const members = await database.db.selectFrom('members').select('id').where('email', '=', email).execute();
    expect(members).toHaveLength(1);
    const mismatch = await runInProcess(['create-token', '--council', slug, '--role', 'admin', '--email', email], env);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/is an editor, not an admin/);

    const listed = await runInProcess(['list-tokens', '--council', slug], env);
    expect(listed.code).toBe(0);
    const prefix = first.lastLine.slice(0, 10);
    expect(listed.stdout).toContain(prefix);
    expect(listed.stdout).toContain('laptop');
    expect(listed.stdout).not.toContain(first.lastLine);
    const hash = (await database.db.selectFrom('api_tokens').select('token_hash').where('prefix', '=', prefix).executeTakeFirstOrThrow()).token_hash;
    expect(listed.stdout).not.toContain(hash);

    expect((await hub.gql(WHO, {}, first.lastLine)).status).toBe(200);
    const revoked = await spawnAdmin(['revoke-token', prefix], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await hub.gql(WHO, {}, first.lastLine);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await hub.gql(WHO, {}, second.lastLine)).status).toBe(200);
    expect((await runInProcess(['list-tokens', '--council', slug], env)).stdout).not.toContain(prefix);
    const withRevoked = await runInProcess(['list-tokens', '--council', slug, '--all'], env);
    expect(withRevoked.stdout.split('\n').find((line) => line.includes(prefix))).toMatch(/\d{2}:\d{2}Z\s*$/);
  }, CHILD_TIMEOUT_MS);

  it('refuses bad arguments with a clear message and a non-zero status, changing nothing', async () => {
    const slug = `cli-errors-${Date.now().toString(36)}`;
    expect((await runInProcess(['create-council', '--slug', slug, '--name', 'Error Test Council', '--kind', 'county', '--region', 'South East'], env)).code).toBe(0);
    const counts = async () => Promise.all(['councils', 'members', 'api_tokens', 'outbox_events'].map(async (table) =>
      Number((await database.db.selectFrom(table as 'councils').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await counts();
    const cases: [string[], number, RegExp][] = [
      [[], 2, /no command given/],
      [['frobnicate'], 2, /unknown command "frobnicate"/],
      [['create-token', '--role', 'admin'], 2, /needs --council/],
      [['create-token', '--council', slug, '--role', 'admin', '--colour', 'red'], 2, /--colour/],
      [['create-token', '--council', slug, '--role', 'admin', '--slug', 'x'], 2, /does not take --slug/],
      [['create-token', '--council', slug, '--role', 'overlord'], 1, /--role must be one of member, editor, admin/],
      [['create-token', '--council', 'no-such-council', '--role', 'admin'], 1, /no council with the slug "no-such-council"/],
      [['create-council', '--slug', 'Bad Slug', '--name', 'X', '--kind', 'parish', '--region', 'Mars', '--gss-code', '123'], 1, /--slug .*\n.*--kind .*\n.*--region .*\n.*--gss-code/],
      [['create-council', '--slug', slug, '--name', 'Again', '--kind', 'district', '--region', 'London'], 1, /--slug is already used by another council/],
      [['create-member', '--council', slug, '--name', 'No Email', '--role', 'member'], 1, /--email is required/],
      [['revoke-token'], 2, /needs exactly one token id/],
      [['revoke-token', 'cc_zzzzzzz'], 1, /was not found/],
    ];
    for (const [args, code, message] of cases) {
      const run = await runInProcess(args, env);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    // And as a real process, where the status is the process's exit code.
    for (const [args, code] of [[[], 2], [['create-token', '--council', 'no-such-council', '--role', 'admin'], 1]] as const) {
      const run = await spawnAdmin([...args], env);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stdout).toBe('');
    }
    expect(await counts()).toEqual(before);
  }, CHILD_TIMEOUT_MS);
});

describe('npm run admin against the embedded database', () => {
  let dataDir: string;

  beforeAll(() => { dataDir = mkdtempSync(join(tmpdir(), 'cc-admin-cli-')); });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses while another process has the data directory open, then migrates it and works', async () => {
    const held = await connectDatabase({ dataDir });
    try {
      const refused = await spawnAdmin(['create-council', '--slug', 'embedded-test', '--name', 'Embedded Test Council', '--kind', 'other', '--region', 'Wales'], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is open in process ${process.pid}`);
      expect(refused.stderr).toContain('stop that process first');
      // Refused before touching anything: not even the migrations ran.
      const tables = await held.db.introspection.getTables();
      expect(tables).toEqual([]);
    } finally {
      await held.close();
    }
    const created = await spawnAdmin(['create-council', '--slug', 'embedded-test', '--name', 'Embedded Test Council', '--kind', 'other', '--region', 'Wales'], { DATA_DIR: dataDir });
    expect(created.code, created.stderr).toBe(0);
    expect(created.lastLine).toMatch(/^Created council Embedded Test Council \(embedded-test\)/);
  }, CHILD_TIMEOUT_MS * 2);
});
