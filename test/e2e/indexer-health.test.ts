import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { indexerHealth } from '../../server/search/indexer-health.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($input: PublishProblemInput!) { publishProblem(input: $input) { ... on PublishProblemPayload { problem { id } } } }`;

interface Readiness {
  status: string;
  search?: { indexer: string; waiting: number; warning?: string };
}

async function readyz(hub: TestApp): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${hub.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

/** Starts the hub as server mode does (no workers in this process), logging to `lines`. */
function startServerMode(database: TestDatabaseHandle, lines: string[], env: Record<string, string> = {}) {
  return startTestApp(database, { LOG_LEVEL: 'warn', ...env }, { logger: createLogger('warn', {}, (line) => lines.push(line)) });
}

describe.each(testDatabases())('the hub says when no search indexer runs, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
  });
  afterAll(() => database.close());

  async function publishProblem(hub: TestApp, title: string): Promise<void> {
    const input = { title, summary: 'Residents phone in missed collections.', serviceArea: 'WASTE' };
    const created = await hub.gql(CREATE, { input }, people.a.editor.token);
    expect(created.errors).toBeUndefined();
    const id = created.data.createProblem.problem.id as string;
    const published = await hub.gql(PUBLISH, { input: { id, version: 1 } }, people.a.editor.token);
    expect(published.errors).toBeUndefined();
    expect(published.data.publishProblem.problem.id).toBe(id);
  }

  it('is quiet while nothing waits to be indexed', async () => {
    const lines: string[] = [];
    const hub = await startServerMode(database, lines);
    try {
      expect(await readyz(hub)).toEqual({ status: 200, body: { status: 'ready', search: { indexer: 'current', waiting: 0 } } });
      expect(lines.join('\n')).not.toContain('search indexer');
    } finally {
      await hub.close();
    }
  });

  it('says so in /readyz and the start-up log when events wait and no indexer has ever run, and stays ready', async () => {
    const lines: string[] = [];
    const first = await startServerMode(database, lines);
    try {
      await publishProblem(first, 'Missed bin reports are re-keyed by hand');
      const { status, body } = await readyz(first);
      // Readiness holds: a server without its worker still serves everything but fresh search.
      expect(status).toBe(200);
      expect(body.status).toBe('ready');
      expect(body.search).toMatchObject({ indexer: 'never-run', waiting: 2 });
      expect(body.search?.warning).toMatch(/no search indexer has run on this database and 2 events wait.*npm run worker/);
    } finally {
      await first.close();
    }
    expect(lines.join('\n')).not.toContain('no search indexer has run');

    const second = await startServerMode(database, lines);
    await second.close();
    const warnings = lines.map((line) => JSON.parse(line) as { level: string; msg?: string; message?: string });
    expect(warnings.some((w) => w.level === 'warn' && JSON.stringify(w).includes('no search indexer has run on this database'))).toBe(true);
  });

  it('stops saying so once an indexer has caught up', async () => {
    const lines: string[] = [];
    // Embedded mode runs the indexer in this process.
    const hub = await startServerMode(database, lines, { IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '50' });
    try {
      await waitFor(async () => (await readyz(hub)).body.search?.waiting === 0, { what: 'the in-process indexer to catch up' });
      expect((await readyz(hub)).body).toEqual({ status: 'ready', search: { indexer: 'current', waiting: 0 } });
    } finally {
      await hub.close();
    }
  });

  it('calls an indexer stalled when events have waited, and it has not moved, for longer than the limit', async () => {
    const lines: string[] = [];
    const hub = await startServerMode(database, lines);
    try {
      await publishProblem(hub, 'Street lighting faults reported twice');
      // A moment ago is not a while: an indexer alive picks events up within a second or two.
      expect(await indexerHealth(database.db, { inProcess: false })).toMatchObject({ state: 'current', waiting: 2 });
      const stalled = await indexerHealth(database.db, { inProcess: false, staleAfterMs: 0 });
      expect(stalled).toMatchObject({ state: 'stalled', waiting: 2 });
      expect(stalled.warning).toMatch(/the search indexer has not moved for \d+ minutes and 2 events wait.*npm run worker/);
      // Embedded mode has no worker to start: the advice says where to look instead.
      expect((await indexerHealth(database.db, { inProcess: true, staleAfterMs: 0 })).warning).toContain('indexerStatus');
    } finally {
      await hub.close();
    }
  });
});
