import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

// Issue 12: with N server processes behind a load balancer, a client's rate limit must hold
// for the whole hub, not N times over. Two real `server/main.ts` processes share one
// PostgreSQL and nothing else; one anonymous client alternates between them. (With
// RATE_LIMIT_STORE=memory the same run accepts all 2 × BURST requests, well over the bound.)
const RATE = 1;
const BURST = 40;
const RESERVE_WINDOW_SECONDS = 60;

async function alternate(servers: ServerProcess[], requests: number) {
  const started = performance.now();
  const answers: { server: number; status: number; retryAfter: string | null }[] = [];
  for (let i = 0; i < requests; i++) {
    const server = i % servers.length;
    const response = await fetch(`${servers[server]!.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }),
    });
    await response.arrayBuffer();
    answers.push({ server, status: response.status, retryAfter: response.headers.get('retry-after') });
  }
  const seconds = (performance.now() - started) / 1_000;
  // What one shared allowance can grant in that time: RATE in each one-second window begun,
  // and BURST - RATE more in each reserve window begun (rate-limit-store.ts).
  const sharedBound = RATE * (Math.ceil(seconds) + 1) + (BURST - RATE) * (Math.floor(seconds / RESERVE_WINDOW_SECONDS) + 1);
  return { answers, accepted: answers.filter((a) => a.status === 200).length, sharedBound };
}

describe('one rate limit for two server processes on one PostgreSQL', () => {
  let database: TestDatabaseHandle;
  const running: ServerProcess[] = [];
  const env = (store: string) => ({ RATE_LIMIT_STORE: store, RATE_LIMIT_PER_ADDRESS: String(RATE), RATE_LIMIT_PER_ADDRESS_BURST: String(BURST) });

  beforeAll(async () => { database = await postgresDatabase.create(); });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop()));
    await database?.close();
  });

  async function start(store: string): Promise<ServerProcess[]> {
    const servers = await Promise.all([0, 1].map(() => startServerProcess({ DATABASE_URL: database.url!, ...env(store) })));
    running.push(...servers);
    return servers;
  }

  it('grants one allowance across both processes, refusing on each with 429 and Retry-After', async () => {
    const servers = await start('postgres');
    const { answers, accepted, sharedBound } = await alternate(servers, 2 * BURST);
    expect(accepted).toBeGreaterThanOrEqual(BURST);
    expect(accepted).toBeLessThanOrEqual(sharedBound);
    for (const server of [0, 1]) {
      const refused = answers.filter((a) => a.server === server && a.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    }
  }, 120_000);
});
