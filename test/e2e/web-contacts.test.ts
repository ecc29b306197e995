import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, scrollsSideways, signInAsDemoMember } from '../support/browser.js';
import { globalId, insertContent } from '../support/content-rows.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

// Who to call, in Chromium with JavaScript off: a member opts in, an editor names them on an
// item, signed-in staff of another council see them on the item and the council page, and
// anonymous visitors see the council only.
describe('who to call on the web pages (Chromium)', { timeout: 180_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let problem: string;
  let slug: string;
  const contact = { name: 'Adaeze Whitfield', email: 'adaeze.whitfield@contacts.example.gov.uk' };

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase));
    await database.db.updateTable('members').set(contact).where('id', '=', people.a.member.id).execute();
    problem = globalId('Problem', await insertContent(database.db, 'problems', people.a.editor, 'published', 'Garden waste subscriptions renew twice'));
    slug = (await database.db.selectFrom('councils').select('slug').where('id', '=', people.a.council.id).executeTakeFirstOrThrow()).slug;
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  const nameOf = (memberId: string) => memberName(database.db, memberId);
  const signedIn = async (member: TestMember, javaScript = false) => signInAsDemoMember(browser, hub.url, await nameOf(member.id), javaScript);
  const problemUrl = () => `${hub.url}/problems/${encodeURIComponent(problem)}`;
  const contactRows = () => database.db.selectFrom('item_contacts').select(['item_id', 'member_id']).execute();

  it('a member opts in, an editor names them, and signed-in staff of another council see them', async () => {
    const member = await signedIn(people.a.member);
    await member.page.getByRole('link', { name: 'Be a contact for your council' }).click();
    await member.page.getByRole('button', { name: 'Save contact setting' }).click();
    expect(await member.page.title()).toMatch(/^Error: /);
    expect(await member.page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Select yes if other councils can contact you']);
    await member.page.getByLabel('Yes, show me as a contact').check();
    await member.page.getByLabel('Waste and recycling').check();
    await member.page.getByRole('button', { name: 'Save contact setting' }).click();
    await member.page.waitForURL(`${hub.url}/account/contact?saved=1`);
    expect(await member.page.locator('.govuk-notification-banner').textContent()).toContain('Your contact setting has been saved.');
    expect(await member.page.getByLabel('Waste and recycling').isChecked()).toBe(true);
    expect(await database.db.selectFrom('member_contact_settings').select('service_areas').where('member_id', '=', people.a.member.id).executeTakeFirst())
      .toEqual({ service_areas: ['waste'] });
    await member.context.close();

    const editor = await signedIn(people.a.editor);
    await editor.page.goto(problemUrl());
    await editor.page.getByLabel('Contact for other councils').selectOption({ label: contact.name });
    await editor.page.getByRole('button', { name: 'Save contact' }).click();
    await editor.page.waitForURL(`${problemUrl()}#who-to-call`);
    expect(await contactRows()).toEqual([{ item_id: globalIdToUuid(problem), member_id: people.a.member.id }]);
    await editor.context.close();

    const other = await signedIn(people.b.member);
    await other.page.goto(problemUrl());
    expect(await other.page.locator('.govuk-summary-list').textContent()).toContain(`${contact.name}, ${contact.email}`);
    expect(await other.page.locator('#who-to-call').count()).toBe(0);
    await other.page.goto(`${hub.url}/councils/${slug}`);
    const section = await other.page.locator('main').textContent();
    expect(section).toMatch(new RegExp(`Who to call[\\s\\S]*Waste and recycling[\\s\\S]*${contact.name}, ${contact.email}`));
    await other.context.close();
  });

  it('shows anonymous visitors the council only, on the item and the council page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const url of [problemUrl(), `${hub.url}/councils/${slug}`]) {
      const response = await page.goto(url);
      expect(response?.headers()['set-cookie']).toBeUndefined();
      const text = await page.content();
      expect(text, url).not.toContain(contact.name);
      expect(text, url).not.toContain(contact.email);
    }
    await page.goto(problemUrl());
    expect(await page.locator('.govuk-summary-list').textContent()).toMatch(/Who to call\s*Test Borough Council \w+\. Sign in to see who to call\./);
    await context.close();
  });

  it("refuses another council's editors and plain members on the contact route", async () => {
    const before = await contactRows();
    for (const member of [people.b.editor, people.b.admin, people.a.member]) {
      const { context, page } = await signedIn(member);
      await page.goto(problemUrl());
      expect(await page.locator('#who-to-call').count(), member.role).toBe(0);
      const csrf = (await page.locator('input[name="csrf"]').first().getAttribute('value'))!;
      const refused = await page.request.post(`${problemUrl()}/contact`, { form: { csrf, contact: '' }, maxRedirects: 0 });
      expect(refused.status(), `${member.role} of ${member.councilId}`).toBe(400);
      await context.close();
    }
    expect(await contactRows()).toEqual(before);
  });

  it('has no WCAG 2.2 A or AA violations on the contact pages, with errors, at desktop width and 320 px', { timeout: 240_000 }, async () => {
    const { context, page } = await signedIn(people.a.editor, true);
    const states: [string, () => Promise<unknown>][] = [
      ['contact setting', () => page.goto(`${hub.url}/account/contact`)],
      ['contact setting error', async () => { await page.goto(`${hub.url}/account/contact`); await page.getByRole('button', { name: 'Save contact setting' }).click(); await page.waitForSelector('.govuk-error-summary'); }],
      ['contact setting saved', () => page.goto(`${hub.url}/account/contact?saved=1`)],
      ['item with contact form', () => page.goto(problemUrl())],
      ['council with contacts', () => page.goto(`${hub.url}/councils/${slug}`)],
    ];
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, open] of states) {
        await open();
        expect(await axeViolations(page), `${name} at ${width}px`).toEqual([]);
        expect(await scrollsSideways(page), `${name} at ${width}px`).toBe(false);
      }
    }
    await context.close();
  });
});

function globalIdToUuid(id: string): string {
  return Buffer.from(id, 'base64url').toString().split(':')[1]!;
}
