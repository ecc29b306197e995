import * as client from 'openid-client';
import type { Kysely } from 'kysely';
import type { OidcConfig } from '../../server/auth/sign-in-config.js';
import { hashToken } from '../../server/auth/tokens.js';
import type { Database } from '../../server/db/database.js';

/** How long a browser has between leaving for the provider and coming back. */
const ATTEMPT_TTL_MS = 10 * 60_000;
/** Sign-ins in progress at once; anyone can start one, so the table is bounded. */
const MAX_ATTEMPTS = 10_000;

export class SignInFailed extends Error {}

export interface VerifiedIdentity { readonly email: string | undefined; readonly emailVerified: boolean }

/**
 * OpenID Connect sign-in with `openid-client`: authorization code flow with PKCE, `state`
 * and `nonce`. What the browser must bring back (state, nonce, code verifier) is kept in
 * the database under a hash of the state, and used once.
 */
export function createOidcSignIn({ config, db, clock = Date.now }: { config: OidcConfig; db: Kysely<Database>; clock?: () => number }) {
  let discovered: Promise<client.Configuration> | undefined;

  // Discovery waits for the first sign-in, so an unreachable provider does not stop the hub
  // from starting; a failed discovery is tried again on the next sign-in.
  function configuration(): Promise<client.Configuration> {
    const issuer = new URL(config.issuerUrl);
    // Plain HTTP only for a provider on this machine (development and the tests).
    const loopback = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
    discovered ??= client.discovery(issuer, config.clientId, config.clientSecret, undefined,
      loopback ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  }

  return {
    /** The provider's authorization URL to send the browser to, and the state for its cookie. */
    async begin(redirectUri: string): Promise<{ url: URL; state: string }> {
      const oidc = await configuration();
      const now = clock();
      await db.deleteFrom('sign_in_attempts').where('created_at', '<', new Date(now - ATTEMPT_TTL_MS)).execute();
      const { count } = await db.selectFrom('sign_in_attempts').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
      if (Number(count) >= MAX_ATTEMPTS) throw new SignInFailed('too many sign-ins are in progress');
      const state = client.randomState();
      const nonce = client.randomNonce();
      const verifier = client.randomPKCECodeVerifier();
      await db.insertInto('sign_in_attempts')
        .values({ state_hash: hashToken(state), nonce, code_verifier: verifier, created_at: new Date(now) }).execute();
      const url = client.buildAuthorizationUrl(oidc, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state };
    },

    /** Checks the provider's answer against the attempt this browser started, and reads its email. */
    async finish(callbackUrl: URL, state: string | undefined): Promise<VerifiedIdentity> {
      if (!state) throw new SignInFailed('no sign-in was started in this browser');
      const attempt = await db.deleteFrom('sign_in_attempts').where('state_hash', '=', hashToken(state))
        .returning(['nonce', 'code_verifier', 'created_at']).executeTakeFirst();
      if (!attempt || clock() - attempt.created_at.getTime() > ATTEMPT_TTL_MS) throw new SignInFailed('the sign-in has expired');
      const oidc = await configuration();
      try {
        const tokens = await client.authorizationCodeGrant(oidc, callbackUrl, {
          pkceCodeVerifier: attempt.code_verifier, expectedState: state, expectedNonce: attempt.nonce, idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new SignInFailed('the provider sent no ID token');
        // Providers may keep the email to the UserInfo endpoint (oidc-provider does, for the
        // code flow); it must answer for the ID token's subject.
        const profile = typeof claims.email === 'string' ? claims : await client.fetchUserInfo(oidc, tokens.access_token, claims.sub);
        return { email: typeof profile.email === 'string' ? profile.email : undefined, emailVerified: profile.email_verified === true };
      } catch (error) {
        throw new SignInFailed(`the identity provider's answer was refused: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>;
