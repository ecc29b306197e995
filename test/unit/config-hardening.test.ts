import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('hardening settings', () => {
  it('has documented defaults, throttling only in server mode', () => {
    const embedded = loadConfig({});
    expect(embedded.operationLimits).toEqual({ maxDepth: 12, maxAliases: 30, maxTokens: 2_000, maxDirectives: 50, maxCost: 10_000, maxQueryLength: 20_000, maxResolvedObjects: 20_000, maxListInput: 1_000 });
    expect(embedded.requestLimits).toEqual({ maxBodyBytes: 1_048_576, maxBatchSize: 1, requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
    expect(embedded.rateLimits.perToken.perSecond).toBe(0);
    expect(embedded.rateLimits.store).toBe('memory');
    expect(embedded.webSocketLimits).toEqual({ initTimeoutMs: 3_000, maxMessageBytes: 262_144, maxSubscriptionsPerConnection: 20, maxConnectionsPerToken: 10, maxConnectionsPerAddress: 50,
      eventCostPerConnection: { perSecond: 2_000, burst: 20_000 }, eventCostPerClient: { perSecond: 5_000, burst: 50_000 } });
    expect(embedded).toMatchObject({ csrfPrevention: 'post', persistedOperationsOnly: false, documentCacheChars: 262_144, shutdownGraceMs: 10_000, introspection: true, graphiql: true });
    const server = loadConfig({ DATABASE_URL: 'postgres://db/hub' });
    expect(server.rateLimits).toEqual({ perToken: { perSecond: 20, burst: 100 }, perAddress: { perSecond: 10, burst: 50 }, trustProxy: false, store: 'postgres' });
    expect(server).toMatchObject({ introspection: false, graphiql: false });
  });

  it('listens on this machine only when embedded, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ DATABASE_URL: 'postgres://db/hub' }).host).toBe('0.0.0.0');
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig({
      MAX_QUERY_DEPTH: '8', MAX_QUERY_COST: '500', MAX_BODY_BYTES: '4096', MAX_BATCH_SIZE: '5',
      RATE_LIMIT_PER_TOKEN: '3', RATE_LIMIT_PER_TOKEN_BURST: '9', RATE_LIMIT_PER_ADDRESS: '200', TRUST_PROXY: 'true', RATE_LIMIT_STORE: 'postgres',
      WS_MAX_SUBSCRIPTIONS: '2', CSRF_PREVENTION: 'all', PERSISTED_OPERATIONS_FILE: '/etc/hub/ops.json', PERSISTED_OPERATIONS_ONLY: 'yes',
    });
    expect(config.operationLimits).toMatchObject({ maxDepth: 8, maxCost: 500 });
    expect(config.requestLimits).toMatchObject({ maxBodyBytes: 4_096, maxBatchSize: 5 });
    // A burst below the sustained rate would refuse steady traffic: it is raised to the rate.
    expect(config.rateLimits).toEqual({ perToken: { perSecond: 3, burst: 9 }, perAddress: { perSecond: 200, burst: 200 }, trustProxy: true, store: 'postgres' });
    expect(config).toMatchObject({ csrfPrevention: 'all', persistedOperationsFile: '/etc/hub/ops.json', persistedOperationsOnly: true });
    expect(config.webSocketLimits.maxSubscriptionsPerConnection).toBe(2);
  });

  it('refuses nonsense with the name of the setting', () => {
    expect(() => loadConfig({ MAX_QUERY_DEPTH: '0' })).toThrow(/MAX_QUERY_DEPTH/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE/);
    expect(() => loadConfig({ MAX_BODY_BYTES: '1.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ CSRF_PREVENTION: 'maybe' })).toThrow(/CSRF_PREVENTION/);
    expect(() => loadConfig({ PERSISTED_OPERATIONS_ONLY: 'true' })).toThrow(/PERSISTED_OPERATIONS_FILE/);
  });
});
