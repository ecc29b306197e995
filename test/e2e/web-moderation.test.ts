import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, scrollsSideways, signInAsDemoMember } from '../support/browser.js';
import { globalId, insertContent, rawId } from '../support/content-rows.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createMember, type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) { ... on AddCommentPayload { comment { id } } } }`;

// Reporting from an item's page and hiding from /moderation, in Chromium with JavaScript off
// (the default of signInAsDemoMember), then every new page and its error states with axe.
describe('reporting and moderating from the web pages (Chromium)', { timeout: 180_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let moderator: TestMember;

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase));
    moderator = await createMember(database.db, people.b.council.id, 'member', true);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  const nameOf = (memberId: string) => memberName(database.db, memberId);
  const signedIn = async (member: TestMember, javaScript = false) => signInAsDemoMember(browser, hub.url, await nameOf(member.id), javaScript);
  const problemUrl = (id: string) => `${hub.url}/problems/${encodeURIComponent(id)}`;
  const visibilityOf = async (id: string) => (await database.db.selectFrom('problems').select('visibility').where('id', '=', rawId(id)).executeTakeFirstOrThrow()).visibility;
  const published = async (title: string) => globalId('Problem', await insertContent(database.db, 'problems', people.a.admin, 'published', title));
  const csrfOf = async (page: Page) => (await page.locator('input[name="csrf"]').first().getAttribute('value'))!;

  it('lets a member report a problem and a platform admin hide it with a reason, then restore it', async () => {
    const problem = await published('Parking permits sold on by residents');
    const reporter = await signedIn(people.b.member);
    await reporter.page.goto(problemUrl(problem));
    await reporter.page.getByRole('link', { name: 'Report this problem to the moderators' }).click();
    expect(await reporter.page.locator('h1').textContent()).toBe('Report this to the moderators');
    await reporter.page.getByRole('button', { name: 'Send report' }).click();
    expect(await reporter.page.title()).toMatch(/^Error: /);
    expect(await reporter.page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter why you are reporting it']);
    await reporter.page.getByLabel('Why are you reporting it?').fill('It names a resident and their car registration');
    await reporter.page.getByRole('button', { name: 'Send report' }).click();
    expect(await reporter.page.locator('h1').textContent()).toBe('Your report was sent');
    // Not a moderator: /moderation refuses, and so does a forged decision.
    expect((await reporter.page.goto(`${hub.url}/moderation`))?.status()).toBe(403);
    await reporter.page.goto(problemUrl(problem));
    const refused = await reporter.page.request.post(`${hub.url}/moderation`, { form: { csrf: await csrfOf(reporter.page), subject: problem, decision: 'hide', field: 'reason-0', 'reason-0': 'Mine' }, maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    expect(await visibilityOf(problem)).toBe('published');

    const admin = await signedIn(moderator);
    await admin.page.goto(`${hub.url}/account`);
    await admin.page.getByRole('link', { name: 'Moderation: reports to review' }).click();
    const card = admin.page.locator('.govuk-summary-card', { hasText: 'Parking permits sold on by residents' }).first();
    expect(await card.textContent()).toContain('It names a resident and their car registration');
    await card.getByRole('button', { name: 'Hide it' }).click();
    expect(await admin.page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter the reason for your decision']);
    const retry = admin.page.locator('.govuk-summary-card', { hasText: 'Parking permits sold on by residents' }).first();
    await retry.getByLabel('Reason for your decision').fill('Personal data about a resident');
    await retry.getByRole('button', { name: 'Hide it' }).click();
    await admin.page.waitForURL(`${hub.url}/moderation?done=hidden`);
    expect(await visibilityOf(problem)).toBe('hidden');
    expect(await admin.page.locator('table').textContent()).toMatch(/Hidden[\s\S]*Parking permits sold on by residents[\s\S]*Personal data about a resident/);

    // Gone for anonymous visitors and other councils; its own council sees it marked.
    const anonymous = await browser.newContext({ javaScriptEnabled: false });
    expect((await (await anonymous.newPage()).goto(problemUrl(problem)))?.status()).toBe(404);
    await anonymous.close();
    expect((await reporter.page.goto(problemUrl(problem)))?.status()).toBe(404);
    const owner = await signedIn(people.a.member);
    expect((await owner.page.goto(problemUrl(problem)))?.status()).toBe(200);
    expect(await owner.page.locator('.govuk-warning-text').textContent()).toContain('Hidden by moderators');

    await admin.page.goto(`${hub.url}/moderation`);
    const hidden = admin.page.locator('.govuk-summary-card', { hasText: 'Parking permits sold on by residents' }).first();
    await hidden.getByLabel('Reason for restoring it').fill('The council removed the registration');
    await hidden.getByRole('button', { name: 'Restore it' }).click();
    await admin.page.waitForURL(`${hub.url}/moderation?done=restored`);
    expect(await visibilityOf(problem)).toBe('published');
    expect((await reporter.page.goto(problemUrl(problem)))?.status()).toBe(200);
    for (const { context } of [reporter, admin, owner]) await context.close();
  });

  it('reports a comment, and the hidden comment leaves the item page', async () => {
    const problem = await published('Allotment waiting lists');
    const comment = (await hub.gql(ADD, { input: { subjectId: problem, body: 'Buy your plot from me, cash only' } }, people.b.member.token)).data.addComment.comment.id;
    const { context, page } = await signedIn(people.a.member);
    await page.goto(problemUrl(problem));
    await page.getByRole('link', { name: /^Report .* comment of/ }).click();
    await page.getByLabel('Why are you reporting it?').fill('Advertising');
    await page.getByRole('button', { name: 'Send report' }).click();
    expect(await page.locator('h1').textContent()).toBe('Your report was sent');
    // The same member again, with another reason: a clear answer, not a second report.
    await page.goto(`${hub.url}/report?subject=${encodeURIComponent(comment)}`);
    await page.getByLabel('Why are you reporting it?').fill('Still advertising');
    await page.getByRole('button', { name: 'Send report' }).click();
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['You have already reported this comment; a platform admin will review your report']);

    const admin = await signedIn(moderator);
    await admin.page.goto(`${hub.url}/moderation`);
    const card = admin.page.locator('.govuk-summary-card', { hasText: 'Buy your plot from me' }).first();
    await card.getByLabel('Reason for your decision').fill('Advertising');
    await card.getByRole('button', { name: 'Hide it' }).click();
    await admin.page.waitForURL(`${hub.url}/moderation?done=hidden`);
    await page.goto(problemUrl(problem));
    expect(await page.locator('main').textContent()).not.toContain('Buy your plot');
    await context.close();
    await admin.context.close();
  });

  it('has no WCAG 2.2 A or AA violations on the new pages and their error states, at desktop width and 320 px', { timeout: 240_000 }, async () => {
    const problem = await published('Street trading licences');
    const other = await published('Market pitch fees');
    await hub.gql(`mutation($input: ReportContentInput!) { reportContent(input: $input) { __typename } }`, { input: { subjectId: other, reason: 'Wrong council' } }, people.a.member.token);
    const reporter = await signedIn(people.b.member, true);
    const admin = await signedIn(moderator, true);
    const report = `${hub.url}/report?subject=${encodeURIComponent(problem)}`;
    const states: [Page, string, () => Promise<unknown>][] = [
      [reporter.page, 'item page with report link', () => reporter.page.goto(problemUrl(problem))],
      [reporter.page, 'report', () => reporter.page.goto(report)],
      [reporter.page, 'report error', async () => { await reporter.page.goto(report); await reporter.page.getByRole('button', { name: 'Send report' }).click(); await reporter.page.waitForSelector('.govuk-error-summary'); }],
      [reporter.page, 'not a moderator', () => reporter.page.goto(`${hub.url}/moderation`)],
      [admin.page, 'moderation queue', () => admin.page.goto(`${hub.url}/moderation`)],
      [admin.page, 'moderation error', async () => { await admin.page.goto(`${hub.url}/moderation`); await admin.page.getByRole('button', { name: 'Hide it' }).first().click(); await admin.page.waitForSelector('.govuk-error-summary'); }],
      [admin.page, 'moderation done', () => admin.page.goto(`${hub.url}/moderation?done=dismissed`)],
    ];
    for (const width of [1280, 320]) {
      for (const [page, name, open] of states) {
        await page.setViewportSize({ width, height: 900 });
        await open();
        expect(await axeViolations(page), `${name} at ${width}px`).toEqual([]);
        expect(await scrollsSideways(page), `${name} at ${width}px`).toBe(false);
      }
    }
    // The report sent page last: it sends a report.
    await reporter.page.goto(report);
    await reporter.page.getByLabel('Why are you reporting it?').fill('Out of date');
    await reporter.page.getByRole('button', { name: 'Send report' }).click();
    for (const width of [1280, 320]) {
      await reporter.page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(reporter.page), `report sent at ${width}px`).toEqual([]);
      expect(await scrollsSideways(reporter.page), `report sent at ${width}px`).toBe(false);
    }
    await reporter.context.close();
    await admin.context.close();
  });
});
