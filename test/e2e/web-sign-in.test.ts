import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { axeViolations, launchBrowser, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import type { People } from '../support/factories.js';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider.js';
import { rawRequest } from '../support/raw-http.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const REMOVE = `mutation($id: ID!) { removeMember(input: { id: $id }) { __typename } }`;
const CHANGE_ROLE = `mutation($id: ID!) { updateMemberRole(input: { id: $id, role: ADMIN }) { __typename } }`;

// Sign-in through a real OpenID Connect provider in this process, in Chromium with
// JavaScript off (every page here must work without it). One engine: the pages only talk
// GraphQL and SQL the session suites cover on both.
describe('signing in to the web pages (Chromium, local OIDC provider)', { timeout: 90_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let idp: TestIdentityProvider;
  let browser: Browser;
  let otherSite: Server;
  const emailOf = async (memberId: string) => (await database.db.selectFrom('members').select('email').where('id', '=', memberId).executeTakeFirstOrThrow()).email;
  const sessionCount = async () => Number((await database.db.selectFrom('web_sessions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    idp = await startIdentityProvider({ unverified: ['unverified@example.gov.uk'] });
    ({ database, hub, people } = await openHub(pgliteDatabase, idp.env));
    idp.registerClient(`${hub.url}/sign-in/oidc/callback`);
    browser = await launchBrowser();
    // Another origin whose page posts a form to the hub, as a cross-site attacker would.
    otherSite = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!DOCTYPE html><title>Elsewhere</title><form method="post" action="${hub.url}/sign-out/everywhere"><input name="csrf" value="guess"><button>Win a prize</button></form>`);
    });
    await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => otherSite?.close(resolve));
    await closeHub(hub, database);
    await idp?.close();
  });

  async function newContext({ javaScript = false } = {}): Promise<BrowserContext> {
    return browser.newContext({ javaScriptEnabled: javaScript });
  }

  /** Signs in through the provider's own login form; resolves on the page the hub lands on. */
  async function signIn(context: BrowserContext, login: string): Promise<Page> {
    // Forget who signed in at the provider last, so its login form shows again.
    await context.clearCookies({ domain: 'localhost' });
    const page = await context.newPage();
    await page.goto(`${hub.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with your council account' }).click();
    await page.waitForURL(`${idp.issuer}/**`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any password');
    await page.click('button[type="submit"]');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === hub.url);
    return page;
  }

  it('signs a member in by verified email, whatever its case, with a session cookie that is HttpOnly and SameSite=Lax, then signs out', async () => {
    const context = await newContext();
    const email = await emailOf(people.a.editor.id);
    const page = await signIn(context, email.toUpperCase());
    expect(new URL(page.url()).pathname).toBe('/account');
    await expect(page.locator('h1').textContent()).resolves.toBe('Your account');
    expect(await page.locator('.govuk-summary-list').textContent()).toContain(email);
    const [cookie] = (await context.cookies(hub.url)).filter((c) => c.name === 'cc_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    // The sign-in attempt is used up: state, nonce and verifier are gone.
    expect(await database.db.selectFrom('sign_in_attempts').selectAll().execute()).toEqual([]);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${hub.url}/signed-out`);
    expect(await page.locator('h1').textContent()).toBe('You have signed out');
    expect((await context.cookies(hub.url)).filter((c) => c.name === 'cc_session')).toEqual([]);
    await page.goto(`${hub.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await context.close();
  });

  it('gives a new session id at every sign-in, even over one the browser already has', async () => {
    const context = await newContext();
    await context.addCookies([{ name: 'cc_session', value: 'a'.repeat(43), url: hub.url }]);
    const email = await emailOf(people.a.member.id);
    await (await signIn(context, email)).close();
    const first = (await context.cookies(hub.url)).find((c) => c.name === 'cc_session')!.value;
    expect(first).not.toBe('a'.repeat(43));
    await (await signIn(context, email)).close();
    const second = (await context.cookies(hub.url)).find((c) => c.name === 'cc_session')!.value;
    expect(second).not.toBe(first);
    await context.close();
  });

  it('refuses an identity with no member, naming the admins of the council that claims its domain, and makes no session', async () => {
    const domain = `${people.a.council.slug}.example.gov.uk`;
    await database.db.insertInto('council_sign_in_domains').values({ council_id: people.a.council.id, domain }).execute();
    const before = await sessionCount();
    const context = await newContext();
    const page = await signIn(context, `newstarter@${domain}`);
    expect(await page.locator('h1').textContent()).toBe('You cannot sign in yet');
    const main = await page.locator('main').textContent();
    expect(main).toContain(`Admins at ${people.a.council.name}`);
    expect(main).toContain(await emailOf(people.a.admin.id));
    expect(main).not.toContain(await emailOf(people.a.editor.id));
    expect((await context.cookies(hub.url)).filter((c) => c.name === 'cc_session')).toEqual([]);
    expect(await sessionCount()).toBe(before);
    await context.close();
    await database.db.deleteFrom('council_sign_in_domains').execute();
  });

  it('refuses an unverified email, and a member whose council only allows other email domains', async () => {
    const context = await newContext();
    const page = await signIn(context, 'unverified@example.gov.uk');
    expect(await page.locator('h1').textContent()).toBe('Your email address is not verified');

    await database.db.insertInto('council_sign_in_domains').values({ council_id: people.b.council.id, domain: 'only-this.gov.uk' }).execute();
    try {
      const refused = await signIn(context, await emailOf(people.b.member.id));
      expect(await refused.locator('h1').textContent()).toBe('You cannot sign in with this email address');
      expect((await context.cookies(hub.url)).filter((c) => c.name === 'cc_session')).toEqual([]);
    } finally {
      await database.db.deleteFrom('council_sign_in_domains').execute();
    }
    await context.close();
  });

  it('ends a removed member\'s session on their next request, and shows a role change at once', async () => {
    const context = await newContext();
    const page = await signIn(context, await emailOf(people.b.member.id));
    expect(await page.locator('.govuk-summary-list').textContent()).toContain('member');
    const changed = await hub.gql(CHANGE_ROLE, { id: encodeGlobalId('Member', people.b.member.id) }, people.b.admin.token);
    expect(changed.data.updateMemberRole.__typename).toBe('UpdateMemberRolePayload');
    await page.reload();
    expect(await page.locator('.govuk-summary-list').textContent()).toContain('admin');

    const removed = await hub.gql(REMOVE, { id: encodeGlobalId('Member', people.b.member.id) }, people.b.admin.token);
    expect(removed.data.removeMember.__typename).toBe('RemoveMemberPayload');
    await page.goto(`${hub.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect((await context.cookies(hub.url)).filter((c) => c.name === 'cc_session')).toEqual([]);
    expect(await page.locator('.govuk-service-navigation').textContent()).toContain('Sign in');
    await context.close();
  });

  it('refuses a form posted from another site, and a form without the session\'s CSRF token', async () => {
    const context = await newContext();
    const page = await signIn(context, await emailOf(people.a.admin.id));
    const before = await sessionCount();
    const attacker = await context.newPage();
    await attacker.goto(`http://127.0.0.1:${(otherSite.address() as AddressInfo).port}/`);
    const [response] = await Promise.all([attacker.waitForNavigation(), attacker.click('button')]);
    expect(response?.status()).toBe(403);
    expect(await attacker.locator('h1').textContent()).toBe('The form could not be sent');
    expect(await sessionCount()).toBe(before);
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Your account');

    // Same origin, the right cookie, but no token: refused too.
    const cookie = (await context.cookies(hub.url)).find((c) => c.name === 'cc_session')!;
    const forged = await rawRequest(hub.url, {
      path: '/sign-out/everywhere',
      headers: { cookie: `cc_session=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded', origin: hub.url },
      body: 'csrf=',
    });
    expect(forged.status).toBe(403);
    expect(await sessionCount()).toBe(before);

    // "Sign out everywhere" from the page ends every session the member has.
    const elsewhere = await newContext();
    await (await signIn(elsewhere, await emailOf(people.a.admin.id))).close();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${hub.url}/signed-out?everywhere=true`);
    const other = await elsewhere.newPage();
    await other.goto(`${hub.url}/account`);
    expect(new URL(other.url()).pathname).toBe('/sign-in');
    await elsewhere.close();
    await context.close();
  });

  it('sends the cookie Secure with the __Host- prefix anywhere but plain-HTTP localhost, and sets no cookie on anonymous pages', async () => {
    const anonymous = await rawRequest(hub.url, { method: 'GET', path: '/' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers['set-cookie']).toBeUndefined();
    expect(anonymous.headers['cache-control']).toBe('no-cache');

    const signIn = await rawRequest(hub.url, {
      path: '/sign-in/demo',
      headers: { host: 'commons.example.gov.uk', 'content-type': 'application/x-www-form-urlencoded' },
      body: `member=${people.a.member.id}`,
    });
    expect(signIn.status).toBe(303);
    const [cookie] = signIn.headers['set-cookie'] as string[];
    expect(cookie).toMatch(/^__Host-cc_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    const account = await rawRequest(hub.url, { method: 'GET', path: '/account', headers: { host: 'commons.example.gov.uk', cookie: cookie!.split(';')[0]! } });
    expect(account.status).toBe(200);
    expect(account.headers['cache-control']).toBe('private, no-store');
  });

  it('has no WCAG 2.2 A or AA violations on the sign-in pages, at desktop width and 320 px', { timeout: 240_000 }, async () => {
    // axe runs as script in the page, so these contexts have JavaScript on.
    const context = await newContext({ javaScript: true });
    const page = await signIn(context, await emailOf(people.a.editor.id));
    const refusedContext = await newContext({ javaScript: true });
    const refused = await signIn(refusedContext, 'stranger@nowhere.example');
    const pages: [Page, string][] = [[page, '/account'], [page, '/sign-in'], [refused, refused.url()], [page, '/signed-out']];
    for (const width of [1280, 320]) {
      for (const [tab, path] of pages) {
        await tab.setViewportSize({ width, height: 900 });
        if (!path.startsWith('http')) await tab.goto(hub.url + path);
        expect(await axeViolations(tab), `${path} at ${width}px`).toEqual([]);
        expect(await scrollsSideways(tab), `${path} at ${width}px`).toBe(false);
      }
    }
    await context.close();
    await refusedContext.close();
  });
});
