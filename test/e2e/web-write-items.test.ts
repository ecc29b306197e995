import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId } from '../../server/kernel/global-id.js';
import { axeViolations, launchBrowser, scrollsSideways } from '../support/browser.js';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { type People, type TestMember, memberName } from '../support/factories.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const CREATE_PROBLEM = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id version } } } }`;
const CREATE_SOLUTION = `mutation($input: CreateSolutionInput!) { createSolution(input: $input) { ... on CreateSolutionPayload { solution { id version } } } }`;
const PUBLISH_PROBLEM = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;
const PUBLISH_SOLUTION = `mutation($id: ID!) { publishSolution(input: { id: $id }) { __typename } }`;
const UPDATE_PROBLEM = `mutation($input: UpdateProblemInput!) { updateProblem(input: $input) { __typename } }`;
const PROBLEM = `query($id: ID!) { node(id: $id) { ... on Problem { title summary status version visibility } } }`;
const LAG = `{ indexerStatus { lag } }`;
const DRAFTS = `{ problems(first: 50, filter: { draftsOnly: true }) { edges { node { id } } } }`;

// Editing, publishing and archiving problems, and writing solutions and case studies, from
// the pages, signed in through the embedded demo sign-in, in Chromium with JavaScript off
// (axe needs it on, so its checks run in a context of their own).
describe('writing and changing items from the web pages (Chromium)', { timeout: 180_000 }, () => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let browser: Browser;
  let publishedProblem: string;
  let bSolution: string;
  const indexed = () => waitFor(async () => (await hub.gql(LAG)).data.indexerStatus.lag === 0, { timeoutMs: 60_000, what: 'the search index to catch up' });
  const ok = async (document: string, variables: Record<string, unknown>, member: TestMember) => {
    const res = await hub.gql(document, variables, member.token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data;
  };
  const problemNow = async (id: string) => (await hub.gql(PROBLEM, { id }, people.a.editor.token)).data.node;

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(pgliteDatabase, { IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '200' }));
    publishedProblem = (await ok(CREATE_PROBLEM, { input: {
      title: 'Fly-tipping reports arrive without a location crews can find',
      summary: 'Residents report fly-tipping by phone and the location is a street name, so crews search for it.',
      serviceArea: 'WASTE',
    } }, people.a.editor)).createProblem.problem.id;
    await ok(PUBLISH_PROBLEM, { id: publishedProblem }, people.a.editor);
    bSolution = (await ok(CREATE_SOLUTION, { input: {
      title: 'Fly-tipping reports pinned on a map by residents',
      summary: 'Residents drop a pin on a map when they report fly-tipping, and crews get the exact spot on their tablets.',
      serviceArea: 'WASTE', kind: 'SOFTWARE', phase: 'LIVE',
    } }, people.b.editor)).createSolution.solution.id;
    await ok(PUBLISH_SOLUTION, { id: bSolution }, people.b.editor);
    browser = await launchBrowser();
    await indexed();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await closeHub(hub, database);
  });

  const nameOf = (memberId: string) => memberName(database.db, memberId);
  async function signedIn(member: TestMember, javaScript = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto(`${hub.url}/sign-in`);
    await page.getByRole('button', { name: `Sign in as ${await nameOf(member.id)}` }).click();
    await page.waitForURL(`${hub.url}/account`);
    return { context, page };
  }
  const itemUrl = (kind: string, id: string) => `${hub.url}/${kind}/${encodeURIComponent(id)}`;
  const csrfOf = async (page: Page) => (await page.locator('input[name="csrf"]').first().getAttribute('value'))!;

  it('edits a problem from its page, and a version conflict shows the saved version beside yours with nothing lost', async () => {
    const { context, page } = await signedIn(people.a.editor);
    await page.goto(itemUrl('problems', publishedProblem));
    await page.getByRole('link', { name: 'Change this problem' }).click();
    expect(await page.getByLabel('Title').inputValue()).toBe('Fly-tipping reports arrive without a location crews can find');
    await page.getByLabel('Status').selectOption({ label: 'Exploring' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(itemUrl('problems', publishedProblem));
    expect((await problemNow(publishedProblem)).status).toBe('EXPLORING');

    // A second edit opens the form; a colleague's edit lands before it is saved.
    await page.goto(`${itemUrl('problems', publishedProblem)}/edit`);
    const seen = (await problemNow(publishedProblem)).version;
    await ok(UPDATE_PROBLEM, { input: { id: publishedProblem, version: seen, summary: 'Colleague: the phone team now asks for a what3words address.' } }, people.a.admin);
    await page.getByLabel('Title').fill('Fly-tipping reports give street names, not places');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Someone else changed this problem while you were editing it');
    expect(await page.locator('#conflict').textContent()).toContain('Colleague: the phone team now asks for a what3words address.');
    expect(await page.getByLabel('Title').inputValue()).toBe('Fly-tipping reports give street names, not places');
    expect((await problemNow(publishedProblem)).title).toBe('Fly-tipping reports arrive without a location crews can find');
    // Saving now is the member's deliberate choice, made with both versions in view.
    await page.getByRole('button', { name: 'Save your version' }).click();
    await page.waitForURL(itemUrl('problems', publishedProblem));
    expect((await problemNow(publishedProblem)).title).toBe('Fly-tipping reports give street names, not places');
    await context.close();
  });

  it('saves a draft, lists it on its council\'s drafts page only, publishes it after the duplicate check, and archives it', async () => {
    const { context, page } = await signedIn(people.a.editor);
    await page.goto(`${hub.url}/problems/new`);
    await page.getByLabel('Title').fill('Draft: abandoned cars reported twice to two teams');
    await page.getByLabel('Summary').fill('Abandoned car reports go to both parking and waste, and both send someone.');
    await page.getByLabel('Service area').selectOption({ label: 'Waste and recycling' });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await page.waitForURL(/\/problems\/[A-Za-z0-9_-]+$/);
    const draftUrl = page.url();
    const draft = decodeURIComponent(new URL(draftUrl).pathname.split('/')[2]!);
    expect(await page.locator('main').textContent()).toContain('Only your council can see it until it is published.');

    await page.goto(`${hub.url}/drafts`);
    expect(await page.locator('main a', { hasText: 'abandoned cars reported twice' }).count()).toBe(1);

    // Council B: not on its drafts page, and every write route refuses it with B's own token.
    const other = await signedIn(people.b.admin);
    await other.page.goto(`${hub.url}/drafts`);
    expect(await other.page.locator('main').textContent()).not.toContain('abandoned cars');
    for (const step of ['', '/edit', '/publish', '/archive']) {
      expect((await other.page.goto(`${draftUrl}${step}`))?.status(), `GET ${step}`).toBe(404);
    }
    await other.page.goto(`${hub.url}/account`);
    const csrf = await csrfOf(other.page);
    const version = String((await problemNow(draft)).version);
    for (const [step, form] of [['/edit', { title: 'Hijacked', summary: 'x', serviceArea: 'WASTE', status: 'OPEN', version }], ['/publish', { version }], ['/archive', { version }]] as const) {
      const refused = await other.page.request.post(`${draftUrl}${step}`, { form: { csrf, ...form }, maxRedirects: 0 });
      expect(refused.status(), `POST ${step}`).toBe(403);
    }
    expect(await problemNow(draft)).toMatchObject({ title: 'Draft: abandoned cars reported twice to two teams', visibility: 'DRAFT', status: 'OPEN' });
    await other.context.close();
    // The API's draftsOnly, which the drafts page reads: the owning council's drafts, no one else's.
    const draftIds = async (token?: string) => (await hub.gql(DRAFTS, {}, token)).data.problems.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await draftIds(people.a.member.token)).toEqual([draft]);
    expect(await draftIds(people.b.admin.token)).toEqual([]);
    expect(await draftIds()).toEqual([]);

    await page.goto(draftUrl);
    await page.getByRole('link', { name: 'Check and publish this problem' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your problem before publishing');
    await page.getByRole('button', { name: /publish/i }).click();
    await page.waitForURL(/\/problems\/new\/done\?id=/);
    expect(await page.locator('.govuk-panel__title').textContent()).toBe('Problem published');
    expect((await problemNow(draft)).visibility).toBe('PUBLISHED');

    await page.goto(draftUrl);
    await page.getByRole('link', { name: 'Archive this problem' }).click();
    await page.getByRole('button', { name: 'Archive problem' }).click();
    await page.waitForURL(draftUrl);
    expect((await problemNow(draft)).status).toBe('ARCHIVED');
    await context.close();
  });

  it('drafts a solution with the duplicate warning, then publishes it; writes a case study', async () => {
    const { context, page } = await signedIn(people.a.editor);
    await page.goto(`${hub.url}/solutions/new`);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter a title', 'Enter a summary', 'Choose a service area', 'Choose a kind of solution', 'Choose a phase']);
    await page.getByLabel('Title').fill('Residents pin fly-tipping on a map');
    await page.getByLabel('Summary').fill('Residents report fly-tipping by dropping a pin on a map, so crews get the exact spot on their tablets.');
    await page.getByLabel('Service area').selectOption({ label: 'Waste and recycling' });
    await page.getByLabel('Kind of solution').selectOption({ label: 'Software' });
    await page.getByLabel('Phase', { exact: true }).selectOption({ label: 'Beta' });
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your solution before publishing');
    expect(await page.locator('.cc-duplicates').textContent()).toContain('Fly-tipping reports pinned on a map by residents');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await page.waitForURL(/\/solutions\/[A-Za-z0-9_-]+$/);
    const solutionUrl = page.url();
    await page.getByRole('link', { name: 'Check and publish this solution' }).click();
    await page.getByRole('button', { name: 'Ours is different: publish' }).click();
    await page.waitForURL(/\/solutions\/new\/done\?id=/);
    expect(await page.locator('.govuk-panel__title').textContent()).toBe('Solution published');
    await page.goto(solutionUrl);
    expect(await page.locator('main').textContent()).not.toContain('Only your council can see it');

    await page.goto(`${hub.url}/case-studies/new`);
    await page.getByLabel('Title').fill('Moving fly-tipping reports onto a map in our borough');
    await page.getByLabel('Summary').fill('We put a map on the report form; crews stopped searching for locations.');
    await page.getByLabel('Service area').selectOption({ label: 'Waste and recycling' });
    await page.getByLabel('Outcome').selectOption({ label: 'Worked' });
    await page.getByLabel('What it cost, in pounds (optional)').fill('twelve');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['What it cost, in pounds must be a whole number of pounds, like 12000']);
    await page.getByLabel('What it cost, in pounds (optional)').fill('12000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: /publish/i }).click();
    await page.waitForURL(/\/case-studies\/new\/done\?id=/);
    const id = decodeURIComponent(new URL(page.url()).searchParams.get('id')!);
    const row = await database.db.selectFrom('case_studies').select(['cost_pounds', 'visibility', 'council_id']).where('title', '=', 'Moving fly-tipping reports onto a map in our borough').executeTakeFirstOrThrow();
    expect(row).toEqual({ cost_pounds: 12000, visibility: 'published', council_id: people.a.council.id });
    expect(id).toBeTruthy();
    await context.close();
  });

  it('records an adoption on a solution, withdraws "we have this too" and links a solution to a problem (never another council’s draft)', async () => {
    const { context, page } = await signedIn(people.a.editor);
    await page.goto(itemUrl('solutions', bSolution));
    await page.getByLabel('Piloting').check();
    await page.getByLabel('What your council found (optional)').fill('Piloting in two wards since March.');
    await page.getByRole('button', { name: 'Record your council’s stage' }).click();
    await page.waitForURL(`${itemUrl('solutions', bSolution)}#councils`);
    const adoption = () => database.db.selectFrom('adoptions').select(['stage', 'note']).where('council_id', '=', people.a.council.id).where('solution_id', '=', decodedUuid(bSolution)).executeTakeFirst();
    expect(await adoption()).toEqual({ stage: 'piloting', note: 'Piloting in two wards since March.' });
    expect(await page.getByLabel('Piloting').isChecked()).toBe(true);
    await page.getByLabel('Adopted').check();
    await page.getByRole('button', { name: 'Update your council’s stage' }).click();
    await page.waitForURL(/#councils$/);
    expect((await adoption())?.stage).toBe('adopted');

    const other = await signedIn(people.b.editor);
    await other.page.goto(itemUrl('problems', publishedProblem));
    await other.page.getByLabel('How it shows up at your council (optional)').fill('Same here, about 40 a week.');
    await other.page.getByRole('button', { name: 'We have this problem too' }).click();
    const supporters = () => database.db.selectFrom('problem_supporters').select('council_id').where('problem_id', '=', decodedUuid(publishedProblem)).execute();
    expect(await supporters()).toEqual([{ council_id: people.b.council.id }]);
    await other.page.getByRole('button', { name: 'We no longer have this problem' }).click();
    await other.page.waitForURL(itemUrl('problems', publishedProblem));
    expect(await supporters()).toEqual([]);

    // B links its own solution to A's problem from the problem's page; A's draft solution it cannot.
    await other.page.getByLabel("Link one of your council's solutions to this problem").selectOption({ label: 'Fly-tipping reports pinned on a map by residents' });
    await other.page.getByRole('button', { name: 'Link it to this problem' }).click();
    await other.page.waitForURL(/#linked-items$/);
    expect(await other.page.locator('#linked-items ~ ul a', { hasText: 'Fly-tipping reports pinned on a map by residents' }).count()).toBe(1);
    const aDraft = (await ok(CREATE_SOLUTION, { input: { title: 'Draft: our map pilot', summary: 'Not ready.', serviceArea: 'WASTE', kind: 'SOFTWARE', phase: 'ALPHA' } }, people.a.editor)).createSolution.solution.id;
    const csrf = await csrfOf(other.page);
    const refused = await other.page.request.post(`${itemUrl('problems', publishedProblem)}/link`, { form: { csrf, solution: aDraft }, maxRedirects: 0 });
    expect(refused.status()).toBe(400);
    const links = await database.db.selectFrom('solution_problems').select('solution_id').where('problem_id', '=', decodedUuid(publishedProblem)).execute();
    expect(links).toEqual([{ solution_id: decodedUuid(bSolution) }]);
    await other.context.close();
    await context.close();
  });

  it('adds a comment from an item\'s page, shows an empty one\'s error, and refuses a comment on another council\'s draft', async () => {
    const { context, page } = await signedIn(people.b.member);
    await page.goto(itemUrl('problems', publishedProblem));
    await page.getByRole('button', { name: 'Add comment' }).click();
    expect(await page.locator('#comment-error').textContent()).toContain('Enter a comment');
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter a comment']);
    await page.getByLabel('Add a comment').fill('We fixed this with **what3words** on the form.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.waitForURL(/#comments$/);
    expect(await page.locator('.cc-comments').textContent()).toContain('We fixed this with what3words on the form.');

    const draft = (await ok(CREATE_PROBLEM, { input: { title: 'Draft: graffiti reports', summary: 'Not ready.', serviceArea: 'WASTE' } }, people.a.editor)).createProblem.problem.id;
    const refused = await page.request.post(`${itemUrl('problems', draft)}/comment`, { form: { csrf: await csrfOf(page), comment: 'Peeking' }, maxRedirects: 0 });
    expect(refused.status()).toBe(400);
    expect(await database.db.selectFrom('comments').select('id').where('subject_id', '=', decodedUuid(draft)).execute()).toEqual([]);
    await context.close();
  });

  it('has no WCAG 2.2 A or AA violations on the new pages and their error states, at desktop width and 320 px', { timeout: 300_000 }, async () => {
    const { context, page } = await signedIn(people.a.admin, true);
    const draft = (await ok(CREATE_PROBLEM, { input: { title: 'Draft: street lights reported out twice', summary: 'Two teams get the same report.', serviceArea: 'HIGHWAYS_TRANSPORT' } }, people.a.editor)).createProblem.problem.id;
    const states: [string, () => Promise<unknown>][] = [
      ['problem page', () => page.goto(itemUrl('problems', publishedProblem))],
      ['comment error', () => page.goto(`${itemUrl('problems', publishedProblem)}?comment=empty`)],
      ['solution page', () => page.goto(itemUrl('solutions', bSolution))],
      ['edit', () => page.goto(`${itemUrl('problems', publishedProblem)}/edit`)],
      ['edit errors', async () => { await page.goto(`${itemUrl('problems', publishedProblem)}/edit`); await page.getByLabel('Title').fill(''); await page.getByRole('button', { name: 'Save changes' }).click(); await page.waitForSelector('.govuk-error-summary'); }],
      ['conflict', async () => {
        await page.goto(`${itemUrl('problems', publishedProblem)}/edit`);
        await ok(UPDATE_PROBLEM, { input: { id: publishedProblem, version: (await problemNow(publishedProblem)).version, tags: ['axe'] } }, people.a.editor);
        await page.getByRole('button', { name: 'Save changes' }).click(); await page.waitForSelector('#conflict');
      }],
      ['publish check', () => page.goto(`${itemUrl('problems', draft)}/publish`)],
      ['archive', () => page.goto(`${itemUrl('problems', draft)}/archive`)],
      ['drafts', () => page.goto(`${hub.url}/drafts`)],
      ['solution form errors', async () => { await page.goto(`${hub.url}/solutions/new`); await page.getByRole('button', { name: 'Continue' }).click(); await page.waitForSelector('.govuk-error-summary'); }],
      ['case study form', () => page.goto(`${hub.url}/case-studies/new`)],
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

function decodedUuid(globalId: string): string {
  return decodeGlobalId(globalId).id;
}
