import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('sign-in settings', () => {
  it('turns demo sign-in on in embedded mode only, with 30-minute idle and 12-hour absolute sessions', () => {
    expect(loadConfig({}).signIn).toEqual({ sessions: { idleMs: 1_800_000, absoluteMs: 43_200_000 }, demo: true, oidc: undefined });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/hub' }).signIn.demo).toBe(false);
    expect(loadConfig({ DEMO_SIGN_IN: 'false' }).signIn.demo).toBe(false);
  });

  it('refuses to start with demo sign-in on a PostgreSQL database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/hub', DEMO_SIGN_IN: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/hub', DEMO_SIGN_IN: 'true' })).toThrow(/only allowed on the embedded database/);
  });

  it('reads OIDC settings, all three or none, and the session timeouts', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/hub', OIDC_ISSUER_URL: 'https://login.microsoftonline.com/tenant/v2.0', OIDC_CLIENT_ID: 'hub',
      OIDC_CLIENT_SECRET: 's3cret', PUBLIC_URL: 'https://commons.example.gov.uk/', SESSION_IDLE_MINUTES: '15', SESSION_ABSOLUTE_HOURS: '8',
    });
    expect(config.signIn).toEqual({
      sessions: { idleMs: 900_000, absoluteMs: 28_800_000 }, demo: false,
      oidc: { issuerUrl: 'https://login.microsoftonline.com/tenant/v2.0', clientId: 'hub', clientSecret: 's3cret', publicUrl: 'https://commons.example.gov.uk' },
    });
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://idp.example' })).toThrow(/needs all of OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'idp', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' })).toThrow(/OIDC_ISSUER_URL must be an absolute URL/);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(ConfigError);
  });
});
