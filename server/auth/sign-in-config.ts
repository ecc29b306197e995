import type { EnvReaders } from '../config-hardening.js';
import type { SessionSettings } from './sessions.js';

/** How council staff sign in to the web pages. */
export interface SignInConfig {
  readonly sessions: SessionSettings;
  /**
   * A page listing the seeded members, any of whom a visitor may sign in as: for trying the
   * hub after `npm start`. Refused with DATABASE_URL. @default true in embedded mode
   */
  readonly demo: boolean;
  /** OpenID Connect: the councils' identity provider. Absent means no OIDC sign-in. */
  readonly oidc: OidcConfig | undefined;
}

export interface OidcConfig {
  /** The provider's issuer; its discovery document is read from `/.well-known/openid-configuration`. */
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * The hub's address as browsers reach it (e.g. `https://commons.example.gov.uk`), for the
   * callback URL registered with the provider. @default the address of the sign-in request
   */
  readonly publicUrl: string | undefined;
}

type Env = Record<string, string | undefined>;

export function loadSignInConfig(env: Env, embedded: boolean, read: EnvReaders): SignInConfig {
  const demo = read.boolean(env, 'DEMO_SIGN_IN', embedded);
  if (demo && !embedded) read.fail('DEMO_SIGN_IN lets anyone sign in as any member: it is only allowed on the embedded database, not with DATABASE_URL');
  const issuerUrl = read.nonEmpty(env.OIDC_ISSUER_URL);
  const clientId = read.nonEmpty(env.OIDC_CLIENT_ID);
  const clientSecret = read.nonEmpty(env.OIDC_CLIENT_SECRET);
  const publicUrl = read.nonEmpty(env.PUBLIC_URL);
  const given = [issuerUrl, clientId, clientSecret].filter((v) => v !== undefined).length;
  if (given > 0 && given < 3) read.fail('OIDC sign-in needs all of OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  if (issuerUrl !== undefined) url(issuerUrl, 'OIDC_ISSUER_URL', read);
  if (publicUrl !== undefined) url(publicUrl, 'PUBLIC_URL', read);
  return Object.freeze({
    sessions: Object.freeze({
      idleMs: read.integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60) * 60_000,
      absoluteMs: read.integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30) * 3_600_000,
    }),
    demo,
    oidc: issuerUrl && clientId && clientSecret
      ? Object.freeze({ issuerUrl, clientId, clientSecret, publicUrl: publicUrl?.replace(/\/+$/, '') })
      : undefined,
  });
}

function url(value: string, name: string, read: EnvReaders): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    read.fail(`${name} must be an absolute URL, got "${value}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') read.fail(`${name} must be an http(s) URL, got "${value}"`);
}
