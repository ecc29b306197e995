import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_DATASETS } from '../../server/domain/open-data/catalogue.js';
import { fileStem } from '../../server/domain/open-data/dataset.js';
import { axeViolations, launchBrowser, openPage, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil, createMember } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;

// Pages only talk GraphQL and the download route, whose engines open-data.test.ts covers.
describe('open data and council directory pages in headless Chromium', () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await pgliteDatabase.create();
    hub = await startTestApp(database);
    const leeds = await createCouncil(database.db, { name: 'Leeds City Council', kind: 'metropolitan_district', region: 'Yorkshire and the Humber' });
    await createCouncil(database.db, { name: 'Wakefield Council', kind: 'metropolitan_district', region: 'Yorkshire and the Humber' });
    await createCouncil(database.db, { name: 'North Yorkshire Council', kind: 'unitary', region: 'Yorkshire and the Humber' });
    await createCouncil(database.db, { name: 'Cornwall Council', kind: 'unitary', region: 'South West' });
    const editor = await createMember(database.db, leeds.id, 'editor');
    for (const title of ['Bin collection calendars printed by hand', 'A draft that stays inside Leeds']) {
      const created = await hub.gql(CREATE, { input: { title, summary: 'We type them up each year.', serviceArea: 'WASTE' } }, editor.token);
      if (!title.startsWith('A draft')) await hub.gql(PUBLISH, { id: created.data.createProblem.problem.id }, editor.token);
    }
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await database?.close();
  });

  async function visit(path: string, options = {}): Promise<Page> {
    const page = await openPage(browser, options);
    const response = await page.goto(hub.url + path);
    expect(response?.status(), path).toBe(200);
    return page;
  }

  for (const [width, height] of [[1280, 900], [320, 640]] as const) {
    it(`passes axe (WCAG 2.2 A and AA) on /data, the dictionary and /councils at ${width} px, without scrolling sideways`, async () => {
      for (const path of ['/data', '/data/dictionary', '/councils', '/councils?region=South+West']) {
        const page = await visit(path, { viewport: { width, height } });
        expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
        expect({ path, sideways: await scrollsSideways(page) }).toEqual({ path, sideways: false });
        await page.context().close();
      }
    });
  }

  it('links every file in CSV, JSON Lines and JSON Schema, names the licence, and the links download', async () => {
    const page = await visit('/data');
    expect(await page.locator('h1').textContent()).toBe('Open data');
    expect(await page.getByRole('link', { name: 'Open Government Licence v3.0' }).getAttribute('href')).toBe('https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/');
    const hrefs = await page.locator('main a[href^="/data/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const dataset of OPEN_DATASETS) {
      const stem = fileStem(dataset);
      expect(hrefs).toEqual(expect.arrayContaining([`/data/${stem}.csv`, `/data/${stem}.jsonl`, `/data/${stem}.schema.json`, `/data/dictionary#${stem}`]));
    }
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Problems as CSV/ }).click()]);
    expect(download.suggestedFilename()).toBe('problems-v1.csv');
    await page.context().close();

    const dictionary = await visit('/data/dictionary');
    for (const dataset of OPEN_DATASETS) {
      const section = dictionary.locator(`#${fileStem(dataset)} + p + dl`);
      expect(await section.locator('dt').allTextContents()).toEqual(dataset.columns.map((c) => c.name));
    }
    await dictionary.context().close();
  });

  it('filters councils by region and type with JavaScript off, showing what each published', async () => {
    const page = await visit('/councils', { javaScriptEnabled: false });
    const names = () => page.locator('.cc-council h3').allTextContents();
    expect(await names()).toEqual(['Cornwall Council', 'Leeds City Council', 'North Yorkshire Council', 'Wakefield Council']);
    expect(await page.locator('.cc-council', { hasText: 'Leeds City Council' }).textContent()).toContain('Published 1 problem, 0 solutions, 0 case studies');

    await page.getByLabel('Yorkshire and the Humber').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/region=Yorkshire/);
    expect(await names()).toEqual(['Leeds City Council', 'North Yorkshire Council', 'Wakefield Council']);

    await page.getByLabel('Metropolitan district').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/kind=METROPOLITAN_DISTRICT/);
    expect(await names()).toEqual(['Leeds City Council', 'Wakefield Council']);
    expect(await page.getByLabel('Yorkshire and the Humber').isChecked()).toBe(true);

    await page.getByRole('link', { name: 'Leeds City Council' }).click();
    await page.waitForURL(/\/councils\/council-/);
    expect(await page.locator('h1').textContent()).toBe('Leeds City Council');
    await page.context().close();

    const none = await visit('/councils?region=Wales&kind=NOT_A_KIND');
    expect(await none.locator('#councils-found').textContent()).toBe('No councils match');
    await none.context().close();
  });
});
