import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('Meilisearch configuration', () => {
  it('is absent without MEILISEARCH_URL, and has its defaults with it', () => {
    expect(loadConfig({}).meilisearch).toBeUndefined();
    expect(loadConfig({ MEILISEARCH_URL: 'http://meili:7700' }).meilisearch).toEqual({
      url: 'http://meili:7700', apiKey: undefined, searchKey: undefined, timeoutMs: 5_000, taskTimeoutMs: 60_000, maxPayloadBytes: 50_000_000,
    });
  });

  it('reads both keys and the limits', () => {
    expect(loadConfig({
      MEILISEARCH_URL: 'http://meili:7700', MEILISEARCH_API_KEY: 'admin', MEILISEARCH_SEARCH_KEY: 'search',
      MEILISEARCH_TIMEOUT_MS: '2000', MEILISEARCH_TASK_TIMEOUT_MS: '120000', MEILISEARCH_MAX_PAYLOAD_BYTES: '10000000',
    }).meilisearch).toMatchObject({ apiKey: 'admin', searchKey: 'search', timeoutMs: 2_000, taskTimeoutMs: 120_000, maxPayloadBytes: 10_000_000 });
  });

  it('refuses a payload limit above Meilisearch\'s own default of 100 MB', () => {
    expect(() => loadConfig({ MEILISEARCH_URL: 'http://meili:7700', MEILISEARCH_MAX_PAYLOAD_BYTES: '200000000' })).toThrow(ConfigError);
  });
});
