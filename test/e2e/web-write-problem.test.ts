import { decodeGlobalId } from '../../server/kernel/global-id.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { type People, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const LAG = `{ indexerStatus { lag } }`;
const NODE = `query($id: ID!) { node(id: $id) { id } }`;

// Writing a problem from the pages, signed in through the embedded demo sign-in, in Chromium
// with JavaScript off (axe needs it on, so its checks run in a second context).
describe('writing a problem from the web pages (Chromium)', { timeout: 120_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let existingId: string;
  const problemCount = async () => Number((await database.db.selectFrom('problems').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const indexed = () => waitFor(async () => (await hub.gql(LAG)).data.indexerStatus.lag === 0, { timeoutMs: 60_000, what: 'the search index to catch up' });

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase, { IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '200' }));
    const created = await hub.gql(CREATE, { input: {
      title: 'Residents wait weeks for a blue badge because applications are re-keyed by hand',
      summary: 'Blue badge applications arrive by email and post and are typed into the case system by hand, so residents wait weeks.',
      serviceArea: 'ADULT_SOCIAL_CARE',
    } }, people.b.editor.token);
    existingId = created.data.createProblem.problem.id;
    expect((await hub.gql(PUBLISH, { id: existingId }, people.b.editor.token)).data.publishProblem.__typename).toBe('PublishProblemPayload');
    browser = await launchBrowser();
    await indexed();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  /** Signs in as a member through the demo sign-in page (the embedded default). */
  async function signedIn(memberName: string, javaScript = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(`${hub.url}/sign-in`);
    expect(await page.locator('.govuk-warning-text').textContent()).toContain('Demo sign-in');
    await page.getByRole('button', { name: `Sign in as ${memberName}` }).click();
    await page.waitForURL(`${hub.url}/account`);
    return { context, page };
  }
  const nameOf = (memberId: string) => memberName(database.db, memberId);

  async function describeProblem(page: Page, title: string, summary: string) {
    await page.goto(`${hub.url}/problems/new`);
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Summary').fill(summary);
    await page.getByLabel('Service area').selectOption({ label: 'Adult social care' });
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('shows what is wrong with an incomplete form, keeping what was typed', async () => {
    const { context, page } = await signedIn(await nameOf(people.a.editor.id));
    await page.goto(`${hub.url}/problems/new`);
    await page.getByLabel('Title').fill('Half a thought');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter a summary', 'Choose a service area']);
    expect(await page.locator('#summary-error').textContent()).toContain('Enter a summary');
    expect(await page.getByLabel('Title').inputValue()).toBe('Half a thought');
    await context.close();
  });

  it('shows a problem another council already shared before publishing, and "this is our problem too" adds a supporter and no item', async () => {
    const { context, page } = await signedIn(await nameOf(people.a.editor.id));
    const before = await problemCount();
    await describeProblem(page, 'Blue badge applications re-keyed by hand', 'Our blue badge applications are typed in by hand from email, so residents wait weeks.');
    expect(await page.locator('h1').textContent()).toBe('Check your problem before publishing');
    const duplicate = page.locator('.cc-duplicates > li', { hasText: 'Residents wait weeks for a blue badge' });
    await expect(duplicate.count()).resolves.toBe(1);
    await duplicate.getByLabel('How it shows up at your council (optional)').fill('About 300 applications a month here.');
    await duplicate.getByRole('button', { name: /This is our problem too/ }).click();
    await page.waitForURL(`${hub.url}/problems/${encodeURIComponent(existingId)}`);
    const supporters = await database.db.selectFrom('problem_supporters').select(['council_id', 'note']).execute();
    expect(supporters).toEqual([{ council_id: people.a.council.id, note: 'About 300 applications a month here.' }]);
    expect(await problemCount()).toBe(before);
    await context.close();
  });

  it('publishes a different problem ("ours is different"), which search then finds', async () => {
    const { context, page } = await signedIn(await nameOf(people.a.editor.id));
    const title = 'Blue badge renewals are posted second class and arrive after the old badge expires';
    await describeProblem(page, title, 'Renewal letters leave too late, so holders lose their badge for a fortnight.');
    await page.getByRole('button', { name: 'Ours is different: publish' }).click();
    await page.waitForURL(/\/problems\/new\/done\?id=/);
    expect(await page.locator('.govuk-panel__title').textContent()).toBe('Problem published');
    await indexed();
    await page.goto(`${hub.url}/?q=${encodeURIComponent('blue badge renewals posted second class')}`);
    expect(await page.locator('.cc-result h2').allTextContents()).toContain(title);
    await context.close();
  });

  it('saves a draft only its own council can see, in the pages and the API', async () => {
    const { context, page } = await signedIn(await nameOf(people.a.member.id));
    await describeProblem(page, 'Draft: hoarding cases bounce between housing and social care', 'Nobody owns hoarding cases, so they bounce between teams.');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await page.waitForURL(/\/problems\/[A-Za-z0-9_-]+/);
    const path = new URL(page.url()).pathname;
    expect(await page.locator('h1').textContent()).toContain('hoarding cases');
    const id = decodeURIComponent(path.split('/')[2]!);

    const other = await signedIn(await nameOf(people.b.admin.id));
    const response = await other.page.goto(hub.url + path);
    expect(response?.status()).toBe(404);
    expect((await hub.gql(NODE, { id }, people.b.admin.token)).data.node).toBeNull();
    expect((await hub.gql(NODE, { id })).data.node).toBeNull();
    // Nor can another council act on it through the support form with its own valid token.
    await other.page.goto(`${hub.url}/problems/new`);
    const csrf = (await other.page.locator('input[name="csrf"]').first().getAttribute('value'))!;
    const refused = await other.page.request.post(`${hub.url}/problems/support`, { form: { csrf, problem: id, noteField: '' } });
    expect(refused.status()).toBe(400);
    expect(await database.db.selectFrom('problem_supporters').select('council_id').where('council_id', '=', people.b.council.id).execute()).toEqual([]);
    await other.context.close();
    await context.close();
  });

  it('marks a saved draft as the same problem from its check page: the draft is archived and linked, and no other council can do it', async () => {
    const { context, page } = await signedIn(await nameOf(people.a.editor.id));
    await describeProblem(page, 'Blue badge forms typed in again by staff', 'Staff type blue badge applications into the case system by hand, so people wait weeks.');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await page.waitForURL(/\/problems\/[A-Za-z0-9_-]+$/);
    const draftPath = new URL(page.url()).pathname;
    const draftId = decodeURIComponent(draftPath.split('/')[2]!);

    // Another council cannot mark council a's draft through the form, even with its own session.
    const other = await signedIn(await nameOf(people.b.admin.id));
    await other.page.goto(`${hub.url}/problems/new`);
    const csrf = (await other.page.locator('input[name="csrf"]').first().getAttribute('value'))!;
    const refused = await other.page.request.post(`${hub.url}/problems/support`, { form: { csrf, problem: existingId, draft: draftId, noteField: '' } });
    expect(refused.status()).toBe(400);
    await other.context.close();

    await page.goto(`${hub.url}${draftPath}/publish`);
    const duplicate = page.locator('.cc-duplicates > li', { hasText: 'Residents wait weeks for a blue badge' });
    await duplicate.getByRole('button', { name: /This is our problem too/ }).click();
    await page.waitForURL(`${hub.url}/problems/${encodeURIComponent(existingId)}`);
    expect(await page.locator('.govuk-summary-list').first().textContent()).toContain('Blue badge forms typed in again by staff');
    const row = await database.db.selectFrom('problems').select(['status', 'same_as_id', 'visibility']).where('title', '=', 'Blue badge forms typed in again by staff').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'archived', same_as_id: decodeGlobalId(existingId).id, visibility: 'draft' });
    await page.goto(`${hub.url}${draftPath}`);
    expect(await page.locator('.govuk-summary-list').first().textContent()).toContain('Same problem as');
    // Council b's own view of its problem does not show council a's draft.
    const anonymous = await browser.newPage();
    await anonymous.goto(`${hub.url}/problems/${encodeURIComponent(existingId)}`);
    expect(await anonymous.content()).not.toContain('Blue badge forms typed in again by staff');
    await anonymous.close();
    await context.close();
  });

  it('has no WCAG 2.2 A or AA violations on the form, its error state and the check page, at desktop width and 320 px', { timeout: 240_000 }, async () => {
    const { context, page } = await signedIn(await nameOf(people.a.admin.id), true);
    const states: [string, () => Promise<void>][] = [
      ['form', async () => { await page.goto(`${hub.url}/problems/new`); }],
      ['errors', async () => { await page.goto(`${hub.url}/problems/new`); await page.getByRole('button', { name: 'Continue' }).click(); await page.waitForSelector('.govuk-error-summary'); }],
      ['check', async () => { await describeProblem(page, 'Blue badge applications re-keyed by hand', 'Typed in by hand from email.'); await page.waitForSelector('.cc-duplicates'); }],
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
