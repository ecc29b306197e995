import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { createMeilisearchEngine } from '../../server/search/meilisearch-engine.js';
import { MeilisearchVersionError } from '../../server/search/meilisearch-version.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { startRecordingMeilisearch, type RecordingMeilisearch } from '../support/recording-meilisearch.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The hub in front of a Meilisearch stand-in (the recording double, not Meilisearch) that
// stalls, is too old, or has no index yet.
describe('the hub when Meilisearch is slow, old or empty (recording double)', () => {
  let database: TestDatabaseHandle;
  let double: RecordingMeilisearch;
  let hub: TestApp;
  beforeAll(async () => {
    database = await pgliteDatabase.create();
    double = await startRecordingMeilisearch();
    hub = await startTestApp(database, {}, { searchEngine: createMeilisearchEngine({ url: double.url, timeoutMs: 2_000, taskPollMs: 1 }) });
  });
  afterAll(async () => {
    await hub?.close();
    await double?.close();
    await database?.close();
  });

  it('created the index at start-up, so the first searches answer empty rather than fail', async () => {
    expect(double.indexes.has('content')).toBe(true);
    const { data, errors } = await hub.gql('{ search(query: "bins") { totalCount edges { cursor } } }');
    expect(errors).toBeUndefined();
    expect(data.search).toEqual({ totalCount: 0, edges: [] });
  });

  it('a stalled Meilisearch gives the API a SEARCH_UNAVAILABLE error and the page a "search is unavailable" 503', async () => {
    double.faults.delay({ path: /\/search$/ }, 20_000);
    try {
      const { errors } = await hub.gql('{ search(query: "bins") { totalCount } }');
      expect(errors?.[0]).toMatchObject({ message: expect.stringMatching(/Search is unavailable/), extensions: { code: 'SEARCH_UNAVAILABLE' } });
      const page = await fetch(`${hub.url}/?q=bins`, { headers: { connection: 'close' } });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('Sorry, search is unavailable');
    } finally {
      double.faults.clear();
    }
  });

  it('a server process will not start against a Meilisearch older than 1.9, and says why', async () => {
    const old = await startRecordingMeilisearch({ version: '1.8.0' });
    try {
      const config = loadConfig({ PORT: '0', SEED: 'false', LOG_LEVEL: 'silent', IN_PROCESS_WORKERS: 'false', MEILISEARCH_URL: old.url });
      const started = createApp(config, { database, logger: createLogger('silent') });
      await expect(started).rejects.toThrow(MeilisearchVersionError);
      await expect(started).rejects.toThrow(/version 1\.8\.0; Council Commons needs 1\.9\.0 or later/);
    } finally {
      await old.close();
    }
  });
});
