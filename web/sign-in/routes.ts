import type { Kysely } from 'kysely';
import { matchIdentity } from '../../server/auth/identities.js';
import type { SessionStore } from '../../server/auth/sessions.js';
import type { SignInConfig } from '../../server/auth/sign-in-config.js';
import type { Database } from '../../server/db/database.js';
import { checkCsrfToken, checkSameOrigin, FormError, readForm } from '../forms.js';
import type { Outcome, PageRequest, PageRoute } from '../page-request.js';
import { accountPage, refusedIdentityPage, signedOutPage, signInPage, type DemoMember } from '../pages/sign-in-pages.js';
import { createCookie, requestOrigin, type Cookie } from '../session-cookie.js';
import { createOidcSignIn, SignInFailed } from './oidc.js';

const MAX_DEMO_MEMBERS = 50;
const CALLBACK_PATH = '/sign-in/oidc/callback';

/** Sign-in (OpenID Connect and the embedded demo), the account page and sign-out. */
export function createSignInRoutes({ db, sessions, config, sessionCookie, clock }: {
  db: Kysely<Database>;
  sessions: SessionStore;
  config: SignInConfig;
  sessionCookie: Cookie;
  clock?: () => number;
}): PageRoute {
  const oidc = config.oidc ? createOidcSignIn({ config: config.oidc, db, ...(clock ? { clock } : {}) }) : undefined;
  const stateCookie = createCookie('cc_sign_in');

  async function signedIn(request: PageRequest, memberId: string): Promise<Outcome> {
    // A new id at every sign-in: an id planted in the browser beforehand never becomes a session.
    const started = await sessions.start(memberId);
    request.cookies.push(sessionCookie.set(request.req, started.id));
    return { redirect: '/account' };
  }

  const routes: Record<string, (request: PageRequest) => Promise<Outcome>> = {
    'GET /sign-in': async () => ({ view: signInPage({ oidc: oidc !== undefined, demo: config.demo ? await demoMembers(db) : undefined }) }),

    'POST /sign-in/demo': async (request) => {
      if (!config.demo) return { status: 404, view: refusedIdentityPage('failed') };
      checkSameOrigin(request.req);
      const form = await readForm(request.req);
      const member = await db.selectFrom('members').select('id').where('id', '=', uuidOrNil(form.get('member')))
        .where('removed_at', 'is', null).executeTakeFirst();
      if (!member) throw new FormError(400, 'that member does not exist');
      return signedIn(request, member.id);
    },

    'GET /sign-in/oidc': async (request) => {
      if (!oidc) return { status: 404, view: refusedIdentityPage('failed') };
      const { url, state } = await oidc.begin(callbackUrl(request).href);
      request.cookies.push(stateCookie.set(request.req, state, 600));
      return { redirect: url.href };
    },

    [`GET ${CALLBACK_PATH}`]: async (request) => {
      if (!oidc) return { status: 404, view: refusedIdentityPage('failed') };
      request.cookies.push(stateCookie.clear(request.req));
      let identity;
      try {
        const current = callbackUrl(request);
        current.search = request.url.search;
        identity = await oidc.finish(current, stateCookie.read(request.req));
      } catch (error) {
        if (error instanceof SignInFailed) return { status: 400, view: refusedIdentityPage('failed') };
        throw error;
      }
      const match = await matchIdentity(db, identity);
      if (match.kind === 'member') return signedIn(request, match.memberId);
      return { status: 403, view: refusedIdentityPage(match.kind, 'askAdmins' in match ? match.askAdmins : undefined) };
    },

    'GET /account': async (request) => (request.session ? { view: accountPage(request.session) } : { redirect: '/sign-in' }),

    'POST /sign-out': async (request) => signOut(request, false),
    'POST /sign-out/everywhere': async (request) => signOut(request, true),
    'GET /signed-out': async (request) => ({ view: signedOutPage(request.url.searchParams.get('everywhere') === 'true') }),
  };

  async function signOut(request: PageRequest, everywhere: boolean): Promise<Outcome> {
    checkSameOrigin(request.req);
    const form = await readForm(request.req);
    const id = sessionCookie.read(request.req);
    if (!request.session || !id) return { redirect: '/signed-out' };
    checkCsrfToken(form, request.session.csrfToken);
    if (everywhere) await sessions.endAllFor(request.session.viewer.memberId);
    else await sessions.end(id);
    request.cookies.push(sessionCookie.clear(request.req));
    return { redirect: everywhere ? '/signed-out?everywhere=true' : '/signed-out' };
  }

  function callbackUrl(request: PageRequest): URL {
    return new URL(CALLBACK_PATH, config.oidc?.publicUrl ?? requestOrigin(request.req));
  }

  return async (request) => {
    const route = routes[`${request.req.method === 'HEAD' ? 'GET' : request.req.method} ${request.url.pathname}`];
    return route ? route(request) : null;
  };
}

async function demoMembers(db: Kysely<Database>): Promise<DemoMember[]> {
  return db.selectFrom('members as m').innerJoin('councils as c', 'c.id', 'm.council_id')
    .select(['m.id', 'm.name', 'm.role', 'c.name as council', 'm.is_platform_admin as isPlatformAdmin'])
    // Platform admins first, so the one who can try moderation is not below the fold.
    .where('m.removed_at', 'is', null).orderBy('m.is_platform_admin', 'desc').orderBy('c.name').orderBy('m.name').limit(MAX_DEMO_MEMBERS).execute();
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const uuidOrNil = (value: string | null) => (value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : NIL_UUID);
