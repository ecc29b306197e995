import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openPage, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil, createMember, type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const SUPPORT = `mutation($input: SupportProblemInput!) { supportProblem(input: $input) { __typename } }`;
const ADD_SYSTEM = `mutation($input: AddCouncilSystemInput!) { addCouncilSystem(input: $input) { __typename } }`;
const SYSTEMS = `query($slug: String!) { council(slug: $slug) { systems { supplier product contractEndsOn } } }`;
const INSIGHTS = `{ insights { demandByServiceArea { serviceArea problems councils } } }`;

// The insights page, a council page with systems and the systems forms, in Chromium; the
// figures themselves are checked against the API on both engines in insights.test.ts.
describe('insights and systems pages (Chromium)', { timeout: 120_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let leeds: { slug: string; admin: TestMember };

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase));
    const council = await createCouncil(database.db, { name: 'Leeds City Council', region: 'Yorkshire and the Humber' });
    leeds = { slug: council.slug, admin: await createMember(database.db, council.id, 'admin') };
    const created = await hub.gql(CREATE, { input: { title: 'Bin collection calendars printed by hand', summary: 'Every year.', serviceArea: 'WASTE' } }, people.a.editor.token);
    const id = created.data.createProblem.problem.id;
    await hub.gql(PUBLISH, { id }, people.a.editor.token);
    await hub.gql(SUPPORT, { input: { problemId: id } }, people.b.editor.token);
    await hub.gql(CREATE, { input: { title: 'A draft that stays inside the council', summary: 'Not yet.', serviceArea: 'HOUSING' } }, people.a.editor.token);
    for (const [admin, ends] of [[people.a.admin, '2027-03-31'], [leeds.admin, null]] as const) {
      await hub.gql(ADD_SYSTEM, { input: { category: 'WASTE_MANAGEMENT', supplier: 'Bartec', product: 'Collective', contractEndsOn: ends } }, admin.token);
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  async function visit(path: string, options = {}): Promise<Page> {
    const page = await openPage(browser, options);
    const response = await page.goto(hub.url + path);
    expect(response?.status(), path).toBe(200);
    return page;
  }
  const nameOf = (memberId: string) => memberName(database.db, memberId);
  async function signedIn(memberId: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${hub.url}/sign-in`);
    await page.getByRole('button', { name: `Sign in as ${await nameOf(memberId)}` }).click();
    await page.waitForURL(`${hub.url}/account`);
    return { context, page };
  }

  for (const [width, height] of [[1280, 900], [320, 640]] as const) {
    it(`passes axe (WCAG 2.2 A and AA) on /insights and a council page with systems at ${width} px, without scrolling sideways`, async () => {
      for (const path of ['/insights', `/councils/${people.a.council.slug}`, '/councils?supplier=Bartec&product=Collective&months=12']) {
        const page = await visit(path, { viewport: { width, height } });
        expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
        expect({ path, sideways: await scrollsSideways(page) }).toEqual({ path, sideways: false });
        await page.context().close();
      }
    });
  }

  it('draws each chart as an SVG image with a title and description, with its table beside it, JavaScript off', async () => {
    const page = await visit('/insights', { javaScriptEnabled: false });
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(5);
    for (const chart of await charts.all()) {
      const [titleId, descId] = (await chart.getAttribute('aria-labelledby'))!.split(' ');
      expect(await chart.locator(`title#${titleId}`).textContent()).not.toBe('');
      expect(await chart.locator(`desc#${descId}`).textContent()).not.toBe('');
      // The chart's section holds a table with the same figures.
      expect(await chart.locator('xpath=ancestor::section[1]//table').count()).toBe(1);
    }
    const wasteRow = page.locator('table', { hasText: 'Problems and councils by service area' }).locator('tr', { hasText: 'Waste and recycling' });
    const api = (await hub.gql(INSIGHTS)).data.insights.demandByServiceArea.find((r: { serviceArea: string }) => r.serviceArea === 'WASTE');
    expect(await wasteRow.locator('td').allTextContents()).toEqual([String(api.problems), String(api.councils)]);
    expect(api).toEqual({ serviceArea: 'WASTE', problems: 1, councils: 2 });
    expect(await page.locator('main').textContent()).not.toContain('A draft that stays inside the council');
    await page.context().close();
  });

  it('shows a council\'s systems and the other councils on each', async () => {
    const page = await visit(`/councils/${people.a.council.slug}`, { javaScriptEnabled: false });
    const row = page.locator('#systems + * tr', { hasText: 'Bartec Collective' });
    expect(await row.locator('td').allTextContents()).toEqual(['31 March 2027', 'Leeds City Council']);
    await page.context().close();
  });

  it('filters the council directory by system, JavaScript off', async () => {
    const page = await visit('/councils', { javaScriptEnabled: false });
    await page.getByLabel('Supplier').fill('bartec');
    await page.getByLabel('Product').fill('COLLECTIVE');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    expect((await page.locator('.cc-council h3').allTextContents()).map((t) => t.trim()).sort()).toEqual([people.a.council.name, 'Leeds City Council'].sort());
    expect(new URL(page.url()).searchParams.get('supplier')).toBe('bartec');
    await page.context().close();
  });

  it('lets a council admin add, change and remove a system with plain forms; others are refused', async () => {
    const { context, page } = await signedIn(people.b.admin.id);
    await page.goto(`${hub.url}/council/systems`);
    await page.getByRole('button', { name: 'Add system' }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Choose a category', 'Enter the supplier', 'Enter the product']);
    await page.getByLabel('Category').selectOption({ label: 'Revenues benefits' });
    await page.getByLabel('Supplier').fill('Capita');
    await page.getByLabel('Product').fill('Open Revenues');
    await page.getByLabel('Day').fill('30');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2028');
    await page.getByRole('button', { name: 'Add system' }).click();
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual([expect.stringMatching(/^Contract end must be a date/)]);
    await page.getByLabel('Day').fill('29');
    await page.getByRole('button', { name: 'Add system' }).click();
    expect(page.url()).toBe(`${hub.url}/council/systems`);
    expect((await hub.gql(SYSTEMS, { slug: people.b.council.slug })).data.council.systems).toEqual([{ supplier: 'Capita', product: 'Open Revenues', contractEndsOn: '2028-02-29' }]);

    await page.getByRole('link', { name: 'Change Capita Open Revenues' }).click();
    await page.getByLabel('Product').fill('Open Revenues and Benefits');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(page.url()).toBe(`${hub.url}/council/systems`);
    expect((await hub.gql(SYSTEMS, { slug: people.b.council.slug })).data.council.systems[0].product).toBe('Open Revenues and Benefits');
    await page.getByRole('button', { name: 'Remove Capita Open Revenues and Benefits' }).click();
    expect((await hub.gql(SYSTEMS, { slug: people.b.council.slug })).data.council.systems).toEqual([]);

    // A form without the session's CSRF token is refused.
    const refused = await page.request.post(`${hub.url}/council/systems/add`, {
      form: { category: 'FINANCE', supplier: 'Unit4', product: 'ERP' }, headers: { origin: hub.url }, maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    await context.close();

    const editor = await signedIn(people.b.editor.id);
    const response = await editor.page.goto(`${hub.url}/council/systems`);
    expect(response?.status()).toBe(403);
    await editor.context.close();
    expect((await hub.gql(SYSTEMS, { slug: people.b.council.slug })).data.council.systems).toEqual([]);
  });
});
