import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestIdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Env for the hub: OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET. */
  readonly env: Record<string, string>;
  /**
   * Registers the hub's callback and starts answering. The hub discovers the provider at its
   * first sign-in, so the hub can start (and learn its port) between the two.
   */
  registerClient(redirectUri: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on a free loopback port, with its own
 * development login form: any login name and password sign in, the login name being the
 * account's email. Accounts listed in `unverified` have `email_verified: false`.
 */
export async function startIdentityProvider({ unverified = [] }: { unverified?: string[] } = {}): Promise<TestIdentityProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Named "localhost", not 127.0.0.1: browsers keep cookies per host, not per port, so the
  // provider's sign-in cookies stay apart from the hub's (tests clear one and not the other).
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const clientId = 'council-commons';
  const clientSecret = randomBytes(24).toString('base64url');
  const build = (redirectUri: string) => new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: (_ctx: unknown, login: string) => ({
      accountId: login,
      claims: async () => ({ sub: login, email: login, email_verified: !unverified.includes(login.toLowerCase()), name: login }),
    }),
  });
  return {
    issuer, clientId, clientSecret,
    registerClient: (redirectUri) => void server.on('request', build(redirectUri).callback()),
    env: { OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
