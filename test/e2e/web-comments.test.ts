import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, scrollsSideways, signInAsDemoMember } from '../support/browser.js';
import { globalId, insertContent } from '../support/content-rows.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) { ... on AddCommentPayload { comment { id } } } }`;

// Editing and deleting comments from an item's page, in Chromium with JavaScript off; no
// member reaches another's comment (or another council's) through any of the routes.
describe('editing and deleting comments from the web pages (Chromium)', { timeout: 180_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let problem: string;

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase));
    problem = globalId('Problem', await insertContent(database.db, 'problems', people.a.admin, 'published', 'Blue badge renewals arrive late'));
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  const nameOf = (memberId: string) => memberName(database.db, memberId);
  const signedIn = async (member: TestMember, javaScript = false) => signInAsDemoMember(browser, hub.url, await nameOf(member.id), javaScript);
  const problemUrl = () => `${hub.url}/problems/${encodeURIComponent(problem)}`;
  const csrfOf = async (page: Page) => (await page.locator('input[name="csrf"]').first().getAttribute('value'))!;
  async function comment(body: string, member: TestMember): Promise<string> {
    const res = await hub.gql(ADD, { input: { subjectId: problem, body } }, member.token);
    return res.data.addComment.comment.id;
  }
  const bodyOf = async (id: string) => (await database.db.selectFrom('comments').select('body').where('id', '=', Buffer.from(id, 'base64url').toString().split(':')[1]!).executeTakeFirst())?.body;

  it('edits your own comment (with its error state) and deletes it after a check', async () => {
    const id = await comment('We post reminders six weeks ahead.', people.b.member);
    const { context, page } = await signedIn(people.b.member);
    await page.goto(problemUrl());
    await page.getByRole('link', { name: /^Edit your comment/ }).click();
    expect(await page.locator('h1').textContent()).toBe('Edit your comment');
    expect(await page.getByLabel('Your comment').inputValue()).toBe('We post reminders six weeks ahead.');
    await page.getByLabel('Your comment').fill('');
    await page.getByRole('button', { name: 'Save comment' }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter your comment']);
    await page.getByLabel('Your comment').fill('We post reminders **eight** weeks ahead.');
    await page.getByRole('button', { name: 'Save comment' }).click();
    await page.waitForURL(`${problemUrl()}#comment-${id}`);
    expect(await page.locator(`[id="comment-${id}"]`).textContent()).toMatch(/\(edited\)[\s\S]*We post reminders eight weeks ahead\./);
    expect(await bodyOf(id)).toBe('We post reminders **eight** weeks ahead.');

    await page.getByRole('link', { name: /^Delete your comment/ }).click();
    expect(await page.locator('h1').textContent()).toBe('Are you sure you want to delete your comment?');
    await page.getByRole('button', { name: 'Delete comment' }).click();
    await page.waitForURL(`${problemUrl()}#comments`);
    expect(await bodyOf(id)).toBeUndefined();
    expect(await page.locator('main').textContent()).not.toContain('eight weeks ahead');
    await context.close();
  });

  it("lets a council's admin delete its members' comments, but not edit them", async () => {
    const id = await comment('Ours is a paper form.', people.b.editor);
    const { context, page } = await signedIn(people.b.admin);
    await page.goto(problemUrl());
    const name = await nameOf(people.b.editor.id);
    expect(await page.getByRole('link', { name: new RegExp(`^Edit ${name}`) }).count()).toBe(0);
    await page.getByRole('link', { name: new RegExp(`^Delete ${name}’s comment`) }).click();
    expect(await page.locator('h1').textContent()).toBe('Are you sure you want to delete this comment?');
    await page.getByRole('button', { name: 'Delete comment' }).click();
    await page.waitForURL(`${problemUrl()}#comments`);
    expect(await bodyOf(id)).toBeUndefined();
    expect((await page.goto(`${hub.url}/comments/${id}/edit`))?.status()).toBe(404);
    await context.close();
  });

  it("refuses another council's members (admins too) on every comment route, and anonymous visitors", async () => {
    const id = await comment('Council A tried texting.', people.a.member);
    for (const member of [people.b.member, people.b.admin, people.a.editor]) {
      const { context, page } = await signedIn(member);
      await page.goto(problemUrl());
      // Only "Report" (moderation) is offered on someone else's comment.
      expect(await page.locator('.cc-comment-actions a').allTextContents(), `links for ${member.role}`).toEqual([expect.stringMatching(/^Report /)]);
      for (const action of ['edit', 'delete']) {
        expect((await page.goto(`${hub.url}/comments/${id}/${action}`))?.status(), `GET ${action} by ${member.role}`).toBe(403);
      }
      await page.goto(problemUrl());
      const csrf = await csrfOf(page);
      const edited = await page.request.post(`${hub.url}/comments/${id}/edit`, { form: { csrf, comment: 'Rewritten' }, maxRedirects: 0 });
      const deleted = await page.request.post(`${hub.url}/comments/${id}/delete`, { form: { csrf }, maxRedirects: 0 });
      expect([edited.status(), deleted.status()], member.role).toEqual([403, 403]);
      await context.close();
    }
    // Council A's own member is refused too, without a CSRF token or from another site.
    const { context, page } = await signedIn(people.a.member);
    expect((await page.request.post(`${hub.url}/comments/${id}/delete`, { form: { csrf: 'forged' }, maxRedirects: 0 })).status()).toBe(403);
    expect((await page.request.post(`${hub.url}/comments/${id}/delete`, { form: { csrf: await (async () => { await page.goto(problemUrl()); return csrfOf(page); })() }, headers: { origin: 'https://evil.example' }, maxRedirects: 0 })).status()).toBe(403);
    await context.close();
    const anonymous = await browser.newContext({ javaScriptEnabled: false });
    const visitor = await anonymous.newPage();
    await visitor.goto(`${hub.url}/comments/${id}/edit`);
    expect(visitor.url()).toBe(`${hub.url}/sign-in`);
    expect((await visitor.request.post(`${hub.url}/comments/${id}/delete`, { form: { csrf: 'x' }, maxRedirects: 0 })).status()).toBe(403);
    await anonymous.close();
    expect(await bodyOf(id)).toBe('Council A tried texting.');
  });

  it('has no WCAG 2.2 A or AA violations on the edit and delete pages and the edit error, at desktop width and 320 px', { timeout: 240_000 }, async () => {
    const id = await comment('We ring residents before the renewal date.', people.a.member);
    const { context, page } = await signedIn(people.a.member, true);
    const states: [string, () => Promise<unknown>][] = [
      ['item page with comment actions', () => page.goto(problemUrl())],
      ['edit', () => page.goto(`${hub.url}/comments/${id}/edit`)],
      ['edit error', async () => { await page.goto(`${hub.url}/comments/${id}/edit`); await page.getByLabel('Your comment').fill(''); await page.getByRole('button', { name: 'Save comment' }).click(); await page.waitForSelector('.govuk-error-summary'); }],
      ['delete', () => page.goto(`${hub.url}/comments/${id}/delete`)],
      ['refused', () => page.goto(`${hub.url}/comments/${encodeURIComponent(globalId('Comment', '00000000-0000-4000-8000-000000000000'))}/edit`)],
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
