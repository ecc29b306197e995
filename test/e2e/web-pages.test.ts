import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedIfEmpty } from '../../seeds/seed.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { councilPath, itemPath } from '../../web/vocabulary.js';
import { axeViolations, launchBrowser, openPage, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { freezeTime } from '../support/frozen-time.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } ... on Error { code message } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { ... on PublishProblemPayload { problem { id } } ... on Error { code message } } }`;
const LAG = `{ indexerStatus { lag } }`;

// The browser suite runs on one engine: the pages only talk GraphQL, whose engines the
// API suites already cover; a second seeded database would double the wall time.
describe('web pages in headless Chromium (seeded embedded database)', () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let browser: Browser;
  let token: string;
  // The seeds keep their demo token in a data directory.
  const seedDir = join(tmpdir(), `cc-web-${randomBytes(4).toString('hex')}`);
  // The pages the tests visit, read from the seeded database up front, so that each test can
  // run alone or in any order (the search and navigation tests check they lead to them).
  const PROBLEM = 'Missed bin reports reach crews a day late because the contact centre re-keys them';
  const SOLUTION = 'Two-way integration between in-cab devices and the CRM for missed bins';
  const paths: Record<'problem' | 'solution' | 'caseStudy' | 'council', string> = { problem: '', solution: '', caseStudy: '', council: '' };
  async function findPaths() {
    const db = database.db;
    const problem = await db.selectFrom('problems').innerJoin('councils', 'councils.id', 'problems.council_id')
      .select(['problems.id', 'councils.slug']).where('title', '=', PROBLEM).executeTakeFirstOrThrow();
    const solution = await db.selectFrom('solutions').select('id').where('title', '=', SOLUTION).executeTakeFirstOrThrow();
    const caseStudy = await db.selectFrom('case_studies').select('id').where('visibility', '=', 'published')
      .where('title', 'ilike', '%in-cab%').orderBy('id').executeTakeFirstOrThrow();
    paths.problem = itemPath('PROBLEM', encodeGlobalId('Problem', problem.id));
    paths.solution = itemPath('SOLUTION', encodeGlobalId('Solution', solution.id));
    paths.caseStudy = itemPath('CASE_STUDY', encodeGlobalId('CaseStudy', caseStudy.id));
    paths.council = councilPath(problem.slug);
  }

  async function publishProblem(title: string, summary: string, { body = '', tags = ['fly-tipping'] } = {}) {
    const created = await hub.gql(CREATE, { input: { title, summary, body, serviceArea: 'WASTE', tags } }, token);
    const id = created.data.createProblem.problem.id as string;
    const published = await hub.gql(PUBLISH, { id }, token);
    expect(published.data.publishProblem.problem.id).toBe(id);
    return id;
  }
  const indexed = () => waitFor(async () => (await hub.gql(LAG)).data.indexerStatus.lag === 0, { timeoutMs: 60_000, what: 'the search index to catch up' });

  beforeAll(async () => {
    database = await pgliteDatabase.create();
    hub = await startTestApp(database, { IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '200' });
    const seeded = await seedIfEmpty({ db: database.db, transact: hub.app.transact, dataDir: seedDir });
    token = seeded.demoToken!.token;
    browser = await launchBrowser();
    await findPaths();
    await indexed();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await database?.close();
    rmSync(seedDir, { recursive: true, force: true });
  });

  async function visit(path: string, options = {}): Promise<Page> {
    const page = await openPage(browser, options);
    const response = await page.goto(hub.url + path);
    expect(response?.status(), path).toBeLessThan(500);
    return page;
  }
  const resultTitles = (page: Page) => page.locator('.cc-result h2').allTextContents();

  it('finds the right item for a search with typos, from the search box, with matches highlighted', async () => {
    const page = await visit('/');
    await page.fill('#q', 'mised bin reprts');
    await page.press('#q', 'Enter');
    await page.waitForURL(/q=mised\+bin\+reprts/);
    const titles = await resultTitles(page);
    expect(titles.slice(0, 3)).toContain('Missed bin reports reach crews a day late because the contact centre re-keys them');
    expect(await page.locator('.cc-result mark').count()).toBeGreaterThan(0);

    const link = page.getByRole('link', { name: 'Missed bin reports reach crews a day late because the contact centre re-keys them' });
    expect(await link.getAttribute('href')).toBe(paths.problem);
    // The council that shared that problem, wherever it ranks among the top three.
    const result = page.locator('.cc-result', { has: link });
    expect(await result.locator('.cc-result__meta a').first().getAttribute('href')).toBe(paths.council);
    await page.context().close();
  });

  it('narrows the results with a facet, keeps the whole search in the URL, and removes the filter again', async () => {
    const page = await visit('/?q=bins');
    const all = Number((await page.locator('label[for^="kind-"]').allTextContents()).reduce((n, t) => n + Number(/\((\d+)\)/.exec(t)![1]), 0));
    const problemLabel = page.locator('label[for^="kind-"]', { hasText: 'Problem' });
    const expected = Number(/\((\d+)\)/.exec((await problemLabel.textContent())!)![1]);
    expect(expected).toBeLessThan(all);
    await problemLabel.click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/kind=PROBLEM/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('bins');
    expect(await page.locator('#result-count').textContent()).toMatch(new RegExp(`^${expected} results?`));
    const kinds = await page.locator('.cc-result .govuk-tag').allTextContents();
    expect(kinds.length).toBe(Math.min(expected, 20));
    expect(new Set(kinds)).toEqual(new Set(['Problem']));

    await page.getByRole('link', { name: /Remove filter.*Problem/ }).click();
    await page.waitForURL((url) => !url.searchParams.has('kind'));
    expect(await page.locator('.cc-result').count()).toBe(Math.min(all, 20));
    await page.context().close();
  });

  it('filters by region, council type, solution phase and case study outcome with plain checkboxes, JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${hub.url}/?q=`);
    for (const legend of ['Region', 'Council type', 'Solution phase', 'Case study outcome']) {
      expect(await page.locator('legend', { hasText: legend }).count(), legend).toBe(1);
    }
    const live = page.locator('label[for^="phase-"]', { hasText: 'Live' });
    const expected = Number(/\((\d+)\)/.exec((await live.textContent())!)![1]);
    expect(expected).toBeGreaterThan(0);
    await live.click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/phase=LIVE/);
    expect(await page.locator('#result-count').textContent()).toMatch(new RegExp(`^${expected} results?`));
    expect(new Set(await page.locator('.cc-result .govuk-tag').allTextContents())).toEqual(new Set(['Solution']));
    // Each region's count is the number of results from councils there. Many regions fold
    // into a details element, which opens without JavaScript.
    const folded = page.locator('summary', { hasText: /^Region/ });
    if (await folded.count()) await folded.click();
    const region = page.locator('label[for^="region-"]').first();
    const inRegion = Number(/\((\d+)\)/.exec((await region.textContent())!)![1]);
    await region.click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/region=/);
    expect(await page.locator('#result-count').textContent()).toMatch(new RegExp(`^${inRegion} results?`));
    await context.close();
  });

  it('shows a clear no-results page that suggests removing filters and checking spelling', async () => {
    const page = await visit('/?q=bins&kind=PROBLEM&area=LEISURE_CULTURE');
    await expect.poll(() => page.locator('#no-results').textContent()).toBe('There are no matching results');
    const remove = page.getByRole('link', { name: 'removing filters' });
    expect(await page.locator('main').textContent()).toMatch(/results? without them/);
    expect(await page.locator('main').textContent()).toContain('double-checking your spelling');
    await remove.click();
    await page.waitForURL((url) => url.search === '?q=bins');
    expect(await page.locator('.cc-result').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('shows a problem with its council, the councils sharing it, linked solutions and comments, and follows the links', async () => {
    const page = await visit(paths.problem);
    expect(await page.locator('h1').textContent()).toBe('Missed bin reports reach crews a day late because the contact centre re-keys them');
    const shared = await page.locator('#councils + ul a').allTextContents();
    expect(shared.length).toBeGreaterThan(0);
    const linked = page.locator('#linked-items ~ ul a');
    expect(await linked.allTextContents()).toContain('Two-way integration between in-cab devices and the CRM for missed bins');
    expect(await page.locator('.cc-comment').count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Two-way integration between in-cab devices and the CRM for missed bins' }).click();
    await page.waitForURL(/\/solutions\//);
    expect(new URL(page.url()).pathname).toBe(paths.solution);
    expect(await page.locator('#linked-items ~ ul a').allTextContents()).toContain('Missed bin reports reach crews a day late because the contact centre re-keys them');
    expect(await page.locator('#councils ~ ul .govuk-tag').count()).toBeGreaterThan(0);

    const caseStudies = await visit('/?kind=CASE_STUDY&q=in-cab');
    await caseStudies.locator('.cc-result h2 a').first().click();
    await caseStudies.waitForURL(/\/case-studies\//);
    expect(new URL(caseStudies.url()).pathname).toMatch(/^\/case-studies\//);
    expect(await caseStudies.locator('#linked-items ~ ul a').count()).toBeGreaterThan(0);
    // And back: what it links to lists it among its case studies.
    const caseStudyTitle = (await caseStudies.locator('h1').textContent())!;
    await caseStudies.locator('#linked-items ~ ul a').first().click();
    await caseStudies.waitForURL(/\/(problems|solutions)\//);
    expect(await caseStudies.locator('#linked-items ~ ul a').allTextContents()).toContain(caseStudyTitle);
    await caseStudies.context().close();
    await page.context().close();
  });

  it("shows a council's published work, the problems it shares and what it adopted", async () => {
    const page = await visit(paths.council);
    expect(await page.locator('h1').textContent()).toBe('Wigan Council');
    for (const id of ['#published', '#shares', '#adopted']) expect(await page.locator(id).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Missed bin reports reach crews a day late because the contact centre re-keys them' }).count()).toBe(1);
    await page.context().close();
  });

  it('raises the live notice when an item matching the search is published, and the refresh link shows it', async () => {
    const page = await visit('/?q=fly-tipping');
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const before = await resultTitles(page);
    expect(await page.locator('#live-notice').isHidden()).toBe(true);
    // Something that does not match the search must not count.
    await publishProblem('Pothole reports by photo', 'Residents send potholes with a photo and a map pin.', { tags: ['potholes'] });
    const title = `Fly-tipping hotspots mapped from crew reports ${randomBytes(2).toString('hex')}`;
    await publishProblem(title, 'Crews log fly-tipping on their round so enforcement can see the hotspots.');
    await page.locator('#live-notice').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#live-notice').textContent()).toContain('1 new item matches your search');
    expect(await resultTitles(page)).toEqual(before);
    await page.getByRole('link', { name: 'Refresh the results' }).click();
    await page.waitForLoadState();
    expect(await resultTitles(page)).toContain(title);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('renders Markdown with script, javascript: links and event handlers inert in the browser', async () => {
    const id = await publishProblem('Hostile markdown check', 'A problem whose body tries to run script.',
      { body: '<script>window.pwned = 1</script>\n\n<img src=x onerror="window.pwned = 2">\n\n[click](javascript:window.pwned=3)' });
    const page = await visit(`/problems/${id}`);
    expect(await page.locator('.cc-markdown script, .cc-markdown img').count()).toBe(0);
    expect(await page.locator('.cc-markdown a').count()).toBe(0);
    expect(await page.locator('.cc-markdown').first().textContent()).toContain('<script>window.pwned = 1</script>');
    expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
    await page.context().close();
  });

  describe('every page type', () => {
    const pageTypes = () => [
      ['search results', '/?q=missed+bins'],
      ['search with filters', '/?q=bins&kind=SOLUTION&area=WASTE'],
      ['no results', '/?q=zzqx+qqzv&kind=PROBLEM'],
      ['problem', paths.problem],
      ['solution', paths.solution],
      ['case study', paths.caseStudy],
      ['council', paths.council],
      ['not found', '/problems/nothing-here'],
    ] as const;

    it('says on every page that the hub holds sample data, and says nothing of the kind in server mode', async () => {
      const page = await openPage(browser);
      const banner = () => page.getByRole('region', { name: 'Sample data' });
      for (const [name, path] of pageTypes()) {
        await page.goto(hub.url + path);
        expect({ name, banners: await banner().count() }).toEqual({ name, banners: 1 });
        expect(await banner().textContent(), name).toContain('This hub holds sample data for trying Council Commons.');
      }
      // The same database served as server mode would (DATABASE_URL set): seeds are never announced there.
      const server = await startTestApp(database, { DATABASE_URL: 'postgres://server-mode.invalid/hub', RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_TOKEN: '0' });
      try {
        for (const [name, path] of pageTypes()) {
          const response = await page.goto(server.url + path);
          expect(response?.status(), name).toBeLessThan(500);
          expect({ name, banners: await banner().count(), heading: await page.locator('h1').count() }).toEqual({ name, banners: 0, heading: 1 });
        }
      } finally {
        await server.close();
      }
      await page.context().close();
    }, 180_000);

    it('has no WCAG 2.2 A or AA violations (axe-core)', async () => {
      const page = await openPage(browser);
      for (const [name, path] of pageTypes()) {
        await page.goto(hub.url + path);
        expect({ name, violations: await axeViolations(page) }).toEqual({ name, violations: [] });
      }
      await page.context().close();
    });

    it('fits a 320 px wide screen without scrolling sideways, and passes axe there too', async () => {
      const page = await openPage(browser, { viewport: { width: 320, height: 640 } });
      for (const [name, path] of pageTypes()) {
        await page.goto(hub.url + path);
        expect({ name, sideways: await scrollsSideways(page) }).toEqual({ name, sideways: false });
        expect({ name, violations: await axeViolations(page) }).toEqual({ name, violations: [] });
      }
      await page.context().close();
    });

    it('works with JavaScript off: search, filter, paginate and read', async () => {
      const page = await openPage(browser, { javaScriptEnabled: false });
      await page.goto(`${hub.url}/`);
      await page.fill('#q', 'council');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/q=council/);
      const total = Number(/^([\d,]+) results/.exec((await page.locator('#result-count').textContent())!)![1]!.replace(',', ''));
      expect(total).toBeGreaterThan(20);
      await page.getByRole('link', { name: 'Next page' }).click();
      await page.waitForURL(/page=2/);
      expect(await page.locator('#result-count').textContent()).toContain('showing 21 to');
      await page.locator('label[for^="area-"]').first().click();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/area=/);
      expect(new URL(page.url()).searchParams.get('page')).toBeNull();
      await page.locator('.cc-result h2 a').first().click();
      await page.waitForLoadState();
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.locator('.govuk-summary-list').count()).toBe(1);
      await page.context().close();
    });

    it('loads every page with no Content-Security-Policy violation or script error', async () => {
      const page = await openPage(browser);
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' && !/404/.test(m.text())) problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      for (const [, path] of pageTypes()) {
        await page.goto(hub.url + path);
        // The enhancement script marks the body once it has run (a CSP refusal would stop it).
        await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'));
      }
      expect(problems).toEqual([]);
      await page.context().close();
    });
  });

  it("charges each page's GraphQL request to the client's rate limit and shows a GOV.UK page when it runs out", async () => {
    // Time stands still, so the limiter's window never ends during the test.
    freezeTime();
    const limited = await startTestApp(database, { RATE_LIMIT_PER_ADDRESS: '1', RATE_LIMIT_PER_ADDRESS_BURST: '2' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.url}/?q=bins`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await fetch(`${limited.url}/?q=bins`);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.text()).toContain('<h1 class="govuk-heading-l">Too many requests</h1>');
      // Files need no GraphQL and are not charged.
      expect((await fetch(`${limited.url}/stylesheets/govuk-frontend.min.css`)).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await limited.close();
    }
  });

  it('sends security headers on pages and serves GOV.UK Frontend files with types, caching and ETags', async () => {
    const pageResponse = await fetch(`${hub.url}/`);
    expect(pageResponse.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(pageResponse.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(pageResponse.headers.get('x-content-type-options')).toBe('nosniff');
    expect(pageResponse.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(pageResponse.headers.get('server-timing')).toMatch(/^graphql;dur=[\d.]+, render;dur=[\d.]+, total;dur=[\d.]+$/);
    for (const [path, type] of [
      ['/stylesheets/govuk-frontend.min.css', 'text/css; charset=utf-8'],
      ['/javascripts/govuk-frontend.min.js', 'text/javascript; charset=utf-8'],
      ['/javascripts/council-commons.js', 'text/javascript; charset=utf-8'],
      ['/assets/rebrand/images/favicon.svg', 'image/svg+xml'],
    ]) {
      const response = await fetch(hub.url + path!);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
      expect(response.headers.get('cache-control'), path).toMatch(/^public, max-age=\d+/);
      const again = await fetch(hub.url + path!, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status, path).toBe(304);
    }
    // Not a GOV.UK service, so not the GOV.UK typeface (licensed for GOV.UK only): Arial.
    const css = await (await fetch(`${hub.url}/stylesheets/govuk-frontend.min.css`)).text();
    expect(css).not.toContain('GDS Transport');
    expect(css).toContain('.govuk-body-m{color:#0b0c0c;font-family:arial,sans-serif');
    for (const path of ['/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/stylesheets/all.scss', '/javascripts/../../../package.json']) {
      expect((await fetch(hub.url + path)).status, path).toBe(404);
    }
    // The API keeps its own routes.
    expect((await hub.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
  });
});
