import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, scrollsSideways, signInAsDemoMember } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, WEBHOOK_TEST_ENV, type WebhookReceiver } from '../support/webhook-receiver.js';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { ... on CreateWebhookEndpointPayload { endpoint { id } } } }`;

// A council admin's webhook endpoints page, in Chromium with JavaScript off: add one through
// the API's address checks (the secret shown once), send a test event and see it in the log,
// pause, turn back on and delete; nobody else's endpoints reachable.
describe("a council admin's webhooks page (Chromium)", { timeout: 180_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase, WEBHOOK_TEST_ENV));
    receiver = await startWebhookReceiver();
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await receiver?.stop();
    await closeHub(hub, database);
  });

  const nameOf = (memberId: string) => memberName(database.db, memberId);
  const signedIn = async (member: TestMember, javaScript = false) => signInAsDemoMember(browser, hub.url, await nameOf(member.id), javaScript);
  const endpoints = (councilId: string) => database.db.selectFrom('webhook_endpoints').select(['id', 'url', 'active', 'event_types', 'description'])
    .where('council_id', '=', councilId).execute();

  it('adds an endpoint, shows its secret once, sends a test event, pauses, turns it back on and deletes it', async () => {
    const { context, page } = await signedIn(people.a.admin);
    await page.getByRole('link', { name: "Your council's webhooks" }).click();
    expect(await page.locator('h1').textContent()).toBe('Webhooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter the address of your system', 'Select at least one event to send']);
    // The API's own address check answers in the form.
    await page.getByLabel('Address').fill('ftp://files.example.gov.uk/hooks');
    await page.getByLabel('Problem published').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.locator('#url-error').textContent()).toMatch(/Address .+/);
    expect(await page.getByLabel('Problem published').isChecked()).toBe(true);
    expect(await endpoints(people.a.council.id)).toEqual([]);

    await page.getByLabel('Address').fill(receiver.url);
    await page.getByLabel('What it is (optional)').fill('Case management');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.locator('.govuk-panel__title').textContent()).toBe('Endpoint added');
    const secret = (await page.locator('#secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    expect(page.url()).not.toContain('whsec_');
    expect(await endpoints(people.a.council.id)).toMatchObject([{ url: receiver.url, active: true, event_types: ['problem.published'], description: 'Case management' }]);

    await page.goto(`${hub.url}/council/webhooks`);
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('button', { name: 'Send a test event for Case management' }).click();
    await page.waitForURL(`${hub.url}/council/webhooks`);
    expect(receiver.verified(secret).map((d) => d.body.type)).toEqual(['webhook.test']);
    expect(await page.locator('.cc-deliveries').textContent()).toMatch(/Delivered[\s\S]*1 attempt, last answer HTTP 204/);

    await page.getByRole('button', { name: 'Pause for Case management' }).click();
    await page.waitForURL(`${hub.url}/council/webhooks`);
    expect((await endpoints(people.a.council.id))[0]?.active).toBe(false);
    expect(await page.locator('main').textContent()).toContain('Paused');
    await page.getByRole('button', { name: 'Turn back on for Case management' }).click();
    await page.waitForURL(`${hub.url}/council/webhooks`);
    expect((await endpoints(people.a.council.id))[0]?.active).toBe(true);

    await page.getByRole('link', { name: 'Delete Case management' }).click();
    expect(await page.locator('h1').textContent()).toBe('Are you sure you want to delete Case management?');
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.waitForURL(`${hub.url}/council/webhooks`);
    expect(await endpoints(people.a.council.id)).toEqual([]);
    await context.close();
  });

  it("is refused to editors and members, and never reaches another council's endpoints", async () => {
    const created = await hub.gql(CREATE, { input: { url: receiver.url, eventTypes: ['PROBLEM_PUBLISHED'], description: 'Council A CRM' } }, people.a.admin.token);
    const id = created.data.createWebhookEndpoint.endpoint.id;
    const before = await endpoints(people.a.council.id);
    for (const member of [people.a.editor, people.a.member]) {
      const { context, page } = await signedIn(member);
      expect((await page.goto(`${hub.url}/council/webhooks`))?.status(), member.role).toBe(403);
      await page.goto(`${hub.url}/account`);
      const csrf = (await page.locator('input[name="csrf"]').first().getAttribute('value'))!;
      const refused = await page.request.post(`${hub.url}/council/webhooks/delete`, { form: { csrf, endpoint: id }, maxRedirects: 0 });
      expect(refused.status(), member.role).toBe(403);
      await context.close();
    }
    const other = await signedIn(people.b.admin);
    await other.page.goto(`${hub.url}/council/webhooks`);
    expect(await other.page.locator('main').textContent()).not.toContain('Council A CRM');
    expect((await other.page.goto(`${hub.url}/council/webhooks/delete?endpoint=${encodeURIComponent(id)}`))?.status()).toBe(404);
    await other.page.goto(`${hub.url}/council/webhooks`);
    const csrf = (await other.page.locator('input[name="csrf"]').first().getAttribute('value'))!;
    for (const action of ['pause', 'resume', 'test', 'delete']) {
      const refused = await other.page.request.post(`${hub.url}/council/webhooks/${action}`, { form: { csrf, endpoint: id }, maxRedirects: 0 });
      expect(refused.status(), action).toBeGreaterThanOrEqual(400);
    }
    expect(await endpoints(people.a.council.id)).toEqual(before);
    expect(receiver.received.filter((r) => r.body.includes('Council A CRM'))).toEqual([]);
    await other.context.close();
  });

  it('has no WCAG 2.2 A or AA violations, with and without errors, at desktop width and 320 px', { timeout: 240_000 }, async () => {
    await hub.gql(CREATE, { input: { url: receiver.url, eventTypes: ['SOLUTION_ADOPTED'], description: 'Adoption tracker' } }, people.b.admin.token);
    const { context, page } = await signedIn(people.b.admin, true);
    await page.goto(`${hub.url}/council/webhooks`);
    await page.getByRole('button', { name: 'Send a test event for Adoption tracker' }).click();
    const states: [string, () => Promise<unknown>][] = [
      ['list with deliveries', () => page.goto(`${hub.url}/council/webhooks`)],
      ['add errors', async () => { await page.goto(`${hub.url}/council/webhooks`); await page.getByRole('button', { name: 'Add endpoint' }).click(); await page.waitForSelector('.govuk-error-summary'); }],
      ['delete check', async () => { await page.goto(`${hub.url}/council/webhooks`); await page.getByRole('link', { name: 'Delete Adoption tracker' }).click(); await page.waitForSelector('.govuk-button--warning'); }],
      ['secret shown', async () => {
        await page.goto(`${hub.url}/council/webhooks`);
        await page.getByLabel('Address').fill(`${receiver.url}/second/with/a/rather/long/path/for/small/screens`);
        await page.getByLabel('Comment added').check();
        await page.getByRole('button', { name: 'Add endpoint' }).click();
        await page.waitForSelector('#secret');
      }],
      ['refused', async () => { const editor = await signedIn(people.b.editor, true); await editor.page.goto(`${hub.url}/council/webhooks`); expect(await axeViolations(editor.page)).toEqual([]); await editor.context.close(); }],
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
