import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { axeViolations, launchBrowser, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

// A council admin's members page, in Chromium with JavaScript off: add, change a role,
// remove; the API's refusals shown on the page; no other council's members reachable.
describe("a council admin's members page (Chromium)", { timeout: 180_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase));
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  const nameOf = (memberId: string) => memberName(database.db, memberId);
  const memberRow = (email: string) => database.db.selectFrom('members').select(['id', 'role', 'removed_at', 'council_id']).where('email', '=', email).executeTakeFirst();
  async function signedIn(member: TestMember, javaScript = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(`${hub.url}/sign-in`);
    await page.getByRole('button', { name: `Sign in as ${await nameOf(member.id)}` }).click();
    await page.waitForURL(`${hub.url}/account`);
    return { context, page };
  }

  it('adds a member, changes their role and removes them; the last admin cannot be demoted', async () => {
    const { context, page } = await signedIn(people.a.admin);
    await page.getByRole('link', { name: "Your council's members" }).click();
    expect(await page.locator('h1').textContent()).toBe('Members');
    await page.getByRole('button', { name: 'Add member' }).click();
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter their full name', 'Enter a work email address, like name@council.gov.uk', 'Choose a role']);
    await page.getByLabel('Full name').fill('Priya Shah');
    await page.getByLabel('Work email').fill('priya.shah@example.gov.uk');
    await page.getByLabel('Role', { exact: true }).selectOption('MEMBER');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.waitForURL(`${hub.url}/council/members`);
    expect(await memberRow('priya.shah@example.gov.uk')).toMatchObject({ role: 'member', removed_at: null, council_id: people.a.council.id });

    await page.getByLabel('Role of Priya Shah').selectOption('EDITOR');
    await page.getByRole('button', { name: 'Change role of Priya Shah' }).click();
    await page.waitForURL(`${hub.url}/council/members`);
    expect((await memberRow('priya.shah@example.gov.uk'))?.role).toBe('editor');

    await page.getByRole('button', { name: 'Remove Priya Shah' }).click();
    await page.waitForURL(`${hub.url}/council/members`);
    expect((await memberRow('priya.shah@example.gov.uk'))?.removed_at).not.toBeNull();
    expect(await page.locator('main').textContent()).not.toContain('Priya Shah');

    const me = await nameOf(people.a.admin.id);
    await page.getByLabel(`Role of ${me}`).selectOption('MEMBER');
    await page.getByRole('button', { name: `Change role of ${me}` }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').textContent()).toMatch(/admin/i);
    expect((await database.db.selectFrom('members').select('role').where('id', '=', people.a.admin.id).executeTakeFirstOrThrow()).role).toBe('admin');
    await context.close();
  });

  it('is refused to editors and never reaches another council\'s members', async () => {
    const editor = await signedIn(people.a.editor);
    expect((await editor.page.goto(`${hub.url}/council/members`))?.status()).toBe(403);
    await editor.page.goto(`${hub.url}/account`);
    const csrf = (await editor.page.locator('input[name="csrf"]').first().getAttribute('value'))!;
    const added = await editor.page.request.post(`${hub.url}/council/members/add`, { form: { csrf, name: 'Sneaky', email: 'sneaky@example.gov.uk', role: 'ADMIN' }, maxRedirects: 0 });
    expect(added.status()).toBe(403);
    expect(await memberRow('sneaky@example.gov.uk')).toBeUndefined();
    await editor.context.close();

    const other = await signedIn(people.b.admin);
    await other.page.goto(`${hub.url}/council/members`);
    const text = await other.page.locator('main').textContent();
    expect(text).toContain(await nameOf(people.b.editor.id));
    expect(text).not.toContain(await nameOf(people.a.editor.id));
    const otherCsrf = (await other.page.locator('input[name="csrf"]').first().getAttribute('value'))!;
    for (const [path, form] of [['remove', {}], ['role', { role: 'MEMBER' }]] as const) {
      const refused = await other.page.request.post(`${hub.url}/council/members/${path}`, { form: { csrf: otherCsrf, member: encodeGlobalId('Member', people.a.editor.id), ...form }, maxRedirects: 0 });
      expect(refused.status(), path).toBe(400);
    }
    expect(await database.db.selectFrom('members').select(['role', 'removed_at']).where('id', '=', people.a.editor.id).executeTakeFirstOrThrow()).toEqual({ role: 'editor', removed_at: null });
    await other.context.close();
  });

  it('has no WCAG 2.2 A or AA violations, with and without errors, at desktop width and 320 px', { timeout: 240_000 }, async () => {
    const { context, page } = await signedIn(people.b.admin, true);
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${hub.url}/council/members`);
      expect(await axeViolations(page), `members at ${width}px`).toEqual([]);
      expect(await scrollsSideways(page), `members at ${width}px`).toBe(false);
      await page.getByRole('button', { name: 'Add member' }).click();
      await page.waitForSelector('.govuk-error-summary');
      expect(await axeViolations(page), `errors at ${width}px`).toEqual([]);
      expect(await scrollsSideways(page), `errors at ${width}px`).toBe(false);
    }
    await context.close();
  });
});
