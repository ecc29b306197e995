import { createApp, type App, type AppOverrides } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { testEmbedder } from './embedder.js';
import type { DatabaseHandle } from '../../server/db/connect.js';
import { createLogger } from '../../server/logger.js';
import type { TestDatabase } from './databases.js';
import { createTwoCouncils } from './factories.js';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[];
}

export interface TestApp {
  readonly app: App;
  readonly url: string;
  /** POSTs one operation over real HTTP, with a bearer token when given. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** Starts the real hub on a free port over the given database. */
export async function startTestApp(database: DatabaseHandle, env: Record<string, string> = {}, overrides: Omit<AppOverrides, 'database'> = {}): Promise<TestApp> {
  // Queries and mutations run compiled (graphql-jit) from their first run, so every test covers
  // the path a busy server takes; compiled-execution.test.ts compares it with graphql-js's.
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', SEED: 'false', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', IN_PROCESS_WORKERS: 'false', COMPILE_AFTER_RUNS: '0', ...env,
  });
  const app = await createApp(config, { database, logger: createLogger(config.logLevel), embedder: await testEmbedder(), ...overrides });
  const port = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    async gql(query, variables, token) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          // A fresh connection per request: PGlite work in the test process can delay the
          // server's keep-alive timer, and a reused socket it is closing fails with ECONNRESET.
          connection: 'close',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body };
    },
    close: () => app.close(1_000),
  };
}

/**
 * A test file's usual fixture: a fresh database on `engine`, the hub over it, and two
 * councils with a member, an editor and an admin each. Pair with `closeHub` in afterAll:
 *
 *   beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
 *   afterAll(() => closeHub(hub, database));
 */
export async function openHub(engine: TestDatabase, env: Record<string, string> = {}, databaseOptions: Parameters<TestDatabase['create']>[0] = {}) {
  const database = await engine.create(databaseOptions);
  try {
    const hub = await startTestApp(database, env);
    return { database, hub, people: await createTwoCouncils(database.db) };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function closeHub(hub: TestApp | undefined, database: DatabaseHandle | undefined): Promise<void> {
  await hub?.close();
  await database?.close();
}
