import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A page whose every request to anywhere but this machine is refused, and counted. */
async function offlinePage(browser: Browser): Promise<{ page: Page; blocked: string[] }> {
  const page = await openPage(browser);
  const blocked: string[] = [];
  await page.context().route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && !['blob:', 'data:'].includes(url.protocol),
    (route) => { blocked.push(route.request().url()); return route.abort('internetdisconnected'); },
  );
  return { page, blocked };
}

describe('GraphiQL and the API link with no network beyond this machine', () => {
  let database: TestDatabaseHandle;
  let embedded: TestApp;
  let server: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await pgliteDatabase.create();
    embedded = await startTestApp(database, { GRAPHIQL: 'true', INTROSPECTION: 'true' });
    // Server mode's defaults: no GraphiQL, no introspection.
    server = await startTestApp(database, { GRAPHIQL: 'false', INTROSPECTION: 'false' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await embedded?.close();
    await server?.close();
    await database?.close();
  });

  it('renders its editor from the installed package and runs a query', async () => {
    const { page, blocked } = await offlinePage(browser);
    try {
      await page.goto(`${embedded.url}/graphql`);
      const editor = page.locator('.graphiql-query-editor');
      await editor.waitFor({ state: 'visible', timeout: 90_000 });
      await expect.poll(() => editor.textContent(), { timeout: 30_000 }).toContain('NewestProblems');
      await page.locator('.graphiql-execute-button').click();
      const response = page.locator('.graphiql-response');
      await expect.poll(() => response.textContent(), { timeout: 60_000 }).toContain('"problems"');
      expect(await response.textContent()).not.toContain('"errors"');
      expect(blocked).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 180_000);

  it('links the footer to a page that answers in both modes, GraphiQL only when it is on', async () => {
    for (const [hub, graphiql] of [[embedded, true], [server, false]] as const) {
      const { page, blocked } = await offlinePage(browser);
      try {
        await page.goto(`${hub.url}/`);
        const link = page.locator('.govuk-footer a', { hasText: 'GraphQL API' });
        const [response] = await Promise.all([page.waitForNavigation(), link.click()]);
        expect(response?.status()).toBe(200);
        await expect.poll(() => page.locator('h1').textContent()).toBe('GraphQL API');
        expect(await page.locator('a[href="/graphql"]').count()).toBe(graphiql ? 1 : 0);
        expect(await page.locator('main').textContent()).toContain(graphiql ? 'Open GraphiQL' : 'GRAPHIQL=true');
        expect(blocked).toEqual([]);
      } finally {
        await page.context().close();
      }
    }
  }, 120_000);
});
