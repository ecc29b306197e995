import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const CREATE_PROBLEM = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id version } } } }`;
const PUBLISH_PROBLEM = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const COMMENT = `mutation($input: AddCommentInput!) { addComment(input: $input) { __typename } }`;
const FOLLOWS = `{ viewer { follows { kind } } }`;

// Follow buttons on problem, council and service-area pages, and the inbox with its unread
// count in the header, in Chromium with JavaScript off.
describe('follows and the inbox on the web pages (Chromium)', { timeout: 180_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let problem: string;

  const create = async (member: TestMember, title: string, publish: boolean) => {
    const res = await hub.gql(CREATE_PROBLEM, { input: { title, summary: `${title}, in more words.`, serviceArea: 'HOUSING' } }, member.token);
    const id = res.data.createProblem.problem.id as string;
    if (publish) expect((await hub.gql(PUBLISH_PROBLEM, { id }, member.token)).data.publishProblem.__typename).toBe('PublishProblemPayload');
    return id;
  };
  /** Waits until the notifications consumer has passed every event written so far. */
  const settled = async () => {
    const head = Number((await database.db.selectFrom('outbox_events').select((eb) => eb.fn.max('position').as('p')).executeTakeFirstOrThrow()).p);
    await waitFor(async () => Number((await database.db.selectFrom('consumer_cursors').select('position').where('consumer', '=', 'notifications').executeTakeFirst())?.position ?? 0) >= head,
      { timeoutMs: 60_000, what: `notifications past ${head}` });
  };
  const nameOf = (memberId: string) => memberName(database.db, memberId);
  async function signedIn(member: TestMember, javaScript = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(`${hub.url}/sign-in`);
    await page.getByRole('button', { name: `Sign in as ${await nameOf(member.id)}` }).click();
    await page.waitForURL(`${hub.url}/account`);
    return { context, page };
  }
  const unreadBadge = (page: Page) => page.locator('.govuk-service-navigation a[href="/inbox"] .cc-unread');

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase, { IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '100' }));
    problem = await create(people.b.editor, 'Damp and mould reports wait weeks for a surveyor', true);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  it('follows a problem from its page; its comments reach the inbox, counted in the header, and mark read works', async () => {
    const { context, page } = await signedIn(people.a.editor);
    const problemUrl = `${hub.url}/problems/${encodeURIComponent(problem)}`;
    await page.goto(problemUrl);
    expect(await unreadBadge(page).count()).toBe(0);
    await page.getByRole('button', { name: /^Follow/ }).click();
    await page.waitForURL(problemUrl);
    expect(await page.getByRole('button', { name: /^Stop following/ }).count()).toBe(1);
    expect((await hub.gql(FOLLOWS, {}, people.a.editor.token)).data.viewer.follows).toEqual([{ kind: 'ITEM' }]);

    for (const body of ['We tried a triage form for this.', 'And a second note.']) {
      expect((await hub.gql(COMMENT, { input: { subjectId: problem, body } }, people.b.admin.token)).data.addComment.__typename).toBe('AddCommentPayload');
    }
    await settled();
    await page.goto(`${hub.url}/inbox`);
    expect((await unreadBadge(page).textContent())?.replace(/\s+/g, ' ').trim()).toBe('2 unread');
    const items = page.locator('.cc-inbox > li');
    expect(await items.count()).toBe(2);
    expect(await items.first().textContent()).toContain('Damp and mould reports wait weeks for a surveyor');
    await items.first().getByRole('button', { name: /Mark as read/ }).click();
    await page.waitForURL(`${hub.url}/inbox`);
    expect((await unreadBadge(page).textContent())?.replace(/\s+/g, ' ').trim()).toBe('1 unread');
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.waitForURL(`${hub.url}/inbox`);
    expect(await unreadBadge(page).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('You have no unread notifications.');

    await page.goto(problemUrl);
    await page.getByRole('button', { name: /^Stop following/ }).click();
    await page.waitForURL(problemUrl);
    expect((await hub.gql(FOLLOWS, {}, people.a.editor.token)).data.viewer.follows).toEqual([]);
    await context.close();
  });

  it('follows a council and a service area from their pages; another council\'s draft never reaches the inbox, its published item does', async () => {
    const { context, page } = await signedIn(people.b.member);
    await page.goto(`${hub.url}/councils/${people.a.council.slug}`);
    await page.getByRole('button', { name: /^Follow/ }).click();
    await page.waitForURL(`${hub.url}/councils/${people.a.council.slug}`);
    await page.goto(`${hub.url}/service-areas/housing`);
    expect(await page.locator('h1').textContent()).toBe('Housing and homelessness');
    await page.getByRole('button', { name: /^Follow/ }).click();
    await page.waitForURL(`${hub.url}/service-areas/housing`);
    expect(await page.getByRole('button', { name: /^Stop following/ }).count()).toBe(1);
    expect(((await hub.gql(FOLLOWS, {}, people.b.member.token)).data.viewer.follows as { kind: string }[]).map((f) => f.kind).sort()).toEqual(['COUNCIL', 'SERVICE_AREA']);

    await create(people.a.editor, 'Draft: housing repairs booked twice by two contact centres', false);
    await create(people.a.editor, 'Housing repairs promised in a letter nobody can track', true);
    await settled();
    await page.goto(`${hub.url}/inbox`);
    const inbox = await page.locator('main').textContent();
    expect(inbox).toContain('Housing repairs promised in a letter nobody can track');
    expect(inbox).not.toContain('booked twice');
    // Nor by way of the notification rows themselves: none of B's mentions the draft.
    const rows = await database.db.selectFrom('notifications').innerJoin('outbox_events', 'outbox_events.position', 'notifications.event_position')
      .select('outbox_events.visibility').where('notifications.member_id', '=', people.b.member.id).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.visibility === 'published')).toBe(true);
    await context.close();
  });

  it('sends anonymous visitors to sign in, and refuses a mark-read or follow without the session\'s CSRF token', async () => {
    const anonymous = await browser.newContext({ javaScriptEnabled: false });
    const page = await anonymous.newPage();
    await page.goto(`${hub.url}/inbox`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.goto(`${hub.url}/service-areas/housing`);
    expect(await page.getByRole('button', { name: /^Follow/ }).count()).toBe(0);
    await anonymous.close();

    const { context, page: signed } = await signedIn(people.a.member);
    for (const path of ['/follow', '/inbox/read-all']) {
      const refused = await signed.request.post(`${hub.url}${path}`, { form: { csrf: 'not-the-token', council: people.b.council.id, returnTo: '/' }, maxRedirects: 0 });
      expect(refused.status(), path).toBe(403);
    }
    expect((await hub.gql(FOLLOWS, {}, people.a.member.token)).data.viewer.follows).toEqual([]);
    await context.close();
  });

  it('has no WCAG 2.2 A or AA violations on the inbox, the service-area page and signed-in council and problem pages, at desktop width and 320 px', { timeout: 300_000 }, async () => {
    const { context, page } = await signedIn(people.b.member, true);
    const pages = ['/inbox', '/inbox?unread=true', '/service-areas/housing', `/councils/${people.a.council.slug}`, `/problems/${encodeURIComponent(problem)}`];
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of pages) {
        await page.goto(hub.url + path);
        expect(await axeViolations(page), `${path} at ${width}px`).toEqual([]);
        expect(await scrollsSideways(page), `${path} at ${width}px`).toBe(false);
      }
    }
    await context.close();
  });
});
