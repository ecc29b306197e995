import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNudger } from '../../server/freshness/nudger.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { axeViolations, launchBrowser } from '../support/browser.js';
import { createMember, createTwoCouncils, type People } from '../support/factories.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const PUBLIC_URL = 'https://commons.example.gov.uk';
const DAY = 86_400_000;
const CONFIG = { unchangedMonths: 6, answerDays: 14 };
const UPDATE_PROBLEM = `mutation($input: UpdateProblemInput!) { updateProblem(input: $input) { __typename ... on UpdateProblemPayload { problem { phaseEndsOn } } ... on Error { message } } }`;
const SOLUTION = `query($id: ID!) { node(id: $id) { ... on Solution { mayBeOutOfDate version } } }`;
const OUT_OF_DATE = `{ solutions(filter: { mayBeOutOfDate: true }) { edges { node { id } } } problems(filter: { mayBeOutOfDate: true }) { edges { node { id } } }
  search(query: "", filter: { mayBeOutOfDate: true }) { edges { node { contentId } } } }`;
const CONFIRM = `mutation($input: ConfirmSolutionCurrentInput!) { confirmSolutionCurrent(input: $input) { __typename ... on ConfirmSolutionCurrentPayload { solution { mayBeOutOfDate } } ... on Error { message } } }`;

// The nudger runs here with a clock the test sets (the hub's own nudger rests for a day); the
// hub's email sender sends what it queues, to an SMTP server in the test.
describe.each(testDatabases())('freshness nudges ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let smtp: SmtpInbox;
  let browser: Browser | undefined;

  beforeAll(async () => {
    database = await engine.create();
    smtp = await startSmtpInbox();
    hub = await startTestApp(database, {
      IN_PROCESS_WORKERS: 'true', SMTP_URL: smtp.url, PUBLIC_URL, EMAIL_POLL_INTERVAL_MS: '50', NUDGE_POLL_INTERVAL_MS: '86400000',
    });
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await smtp?.close();
    await database?.close();
  });

  const nudger = () => createNudger({ db: database.db, config: CONFIG, queueEmail: true });
  const emailOf = async (id: string) => (await database.db.selectFrom('members').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
  const mailTo = (address: string) => smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]!.address === address);
  const inboxOf = async (id: string) => (await database.db.selectFrom('notifications as n').innerJoin('outbox_events as e', 'e.position', 'n.event_position')
    .select(['e.type', 'e.subject_id']).where('n.member_id', '=', id).execute());

  it('the phase end date passing nudges the owning council\'s admins once; "still current" through the email link clears it and counts as a change', async () => {
    const services = hub.app.services;
    const draft = await services.problems.create(people.a.editor.viewer, { title: 'Garden waste permits checked by hand', summary: 'Crews check stickers on every bin.', serviceArea: 'waste' });
    const problem = await services.problems.publish(people.a.editor.viewer, draft.id);
    const res = await hub.gql(UPDATE_PROBLEM, { input: { id: encodeGlobalId('Problem', problem.id), version: problem.version, phaseEndsOn: '2027-03-31' } }, people.a.editor.token);
    expect(res.data.updateProblem).toEqual({ __typename: 'UpdateProblemPayload', problem: { phaseEndsOn: '2027-03-31' } });
    const bad = await hub.gql(UPDATE_PROBLEM, { input: { id: encodeGlobalId('Problem', problem.id), version: problem.version + 1, phaseEndsOn: '2027-02-30' } }, people.a.editor.token);
    expect(bad.errors?.[0]?.message ?? bad.data.updateProblem.message).toMatch(/Date|date/);

    expect(await nudger().run(new Date('2027-03-31T12:00:00Z'))).toEqual({ nudged: 0, marked: 0 });
    const after = new Date('2027-04-01T08:00:00Z');
    expect(await nudger().run(after)).toEqual({ nudged: 1, marked: 0 });
    // Once per item and reason, however often the nudger runs.
    expect(await nudger().run(after)).toEqual({ nudged: 0, marked: 0 });
    expect(await nudger().run(new Date(after.getTime() + DAY))).toEqual({ nudged: 0, marked: 0 });

    // Its council's admins alone: not its editor, not the other council's admin.
    expect(await inboxOf(people.a.admin.id)).toEqual([{ type: 'problem.nudged', subject_id: problem.id }]);
    for (const other of [people.a.editor, people.a.member, people.b.admin]) expect(await inboxOf(other.id)).toEqual([]);
    const address = await emailOf(people.a.admin.id);
    await waitFor(() => mailTo(address).length === 1, { what: 'the nudge email' });
    const mail = mailTo(address)[0]!;
    expect(mail.subject).toBe('Is “Garden waste permits checked by hand” still current?');
    expect(mail.text).toContain('expected to end on 2027-03-31');
    expect(mail.text).toContain(`${PUBLIC_URL}/problems/${encodeGlobalId('Problem', problem.id)}/edit`);
    for (const other of [people.a.editor, people.b.admin]) expect(mailTo(await emailOf(other.id))).toEqual([]);

    const path = new URL(/(https:\/\/\S+\/nudges\/\S+)/.exec(mail.text!)![1]!).pathname;
    // A GET (a link scanner) changes nothing.
    const page = await fetch(`${hub.url}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('still current');
    const before = await database.db.selectFrom('problems').select(['nudged_at', 'version']).where('id', '=', problem.id).executeTakeFirstOrThrow();
    expect(before.nudged_at).not.toBeNull();
    // A forged token does nothing.
    expect((await fetch(`${hub.url}${path.slice(0, -3)}abc`, { method: 'POST', body: 'action=current', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(404);
    const answered = await fetch(`${hub.url}${path}`, { method: 'POST', body: 'action=current', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(answered.status).toBe(200);
    const now = await database.db.selectFrom('problems').select(['nudged_at', 'out_of_date', 'version']).where('id', '=', problem.id).executeTakeFirstOrThrow();
    expect(now).toEqual({ nudged_at: null, out_of_date: false, version: before.version + 1 });
    const events = await database.db.selectFrom('outbox_events').select(['type']).where('subject_id', '=', problem.id).where('type', '=', 'problem.confirmed_current').execute();
    expect(events).toHaveLength(1);
    // Answered: no mark when the answer time has passed, and no new nudge for the same date.
    expect(await nudger().run(new Date(after.getTime() + 20 * DAY))).toEqual({ nudged: 0, marked: 0 });
  });

  it('an item unchanged for months is nudged; no answer marks it "may be out of date" on its page, in listings and in search; "still current" clears it', async () => {
    const services = hub.app.services;
    const draft = await services.solutions.create(people.a.editor.viewer, { title: 'Shared bin sensor platform', summary: 'Fill-level sensors on communal bins.', serviceArea: 'waste', kind: 'software', phase: 'beta' });
    const solution = await services.solutions.publish(people.a.editor.viewer, draft.id);
    const other = await services.solutions.publish(people.b.editor.viewer, (await services.solutions.create(people.b.editor.viewer,
      { title: 'Route planning for bin lorries', summary: 'Rounds planned from sensor data.', serviceArea: 'waste', kind: 'software', phase: 'live' })).id);
    // Keep everything else fresh (the other council's solution, the first test's problem), so only one item is due.
    await sql`update solutions set updated_at = now() + interval '2 years' where id = ${other.id}`.execute(database.db);
    await sql`update problems set updated_at = now() + interval '2 years'`.execute(database.db);
    const id = encodeGlobalId('Solution', solution.id);
    const later = new Date(Date.now() + 7 * 31 * DAY);
    expect(await nudger().run(later)).toEqual({ nudged: 1, marked: 0 });
    expect((await database.db.selectFrom('nudges').select('key').where('subject_id', '=', solution.id).execute()).map((n) => n.key)).toEqual([`solution:${solution.id}:unchanged:${solution.version}`]);
    expect(await database.db.selectFrom('nudges').select('key').where('subject_id', '=', other.id).execute()).toEqual([]);
    expect((await hub.gql(SOLUTION, { id })).data.node.mayBeOutOfDate).toBe(false);

    // Nobody answers.
    expect(await nudger().run(new Date(later.getTime() + 13 * DAY))).toEqual({ nudged: 0, marked: 0 });
    expect(await nudger().run(new Date(later.getTime() + 15 * DAY))).toEqual({ nudged: 0, marked: 1 });
    expect((await hub.gql(SOLUTION, { id })).data.node.mayBeOutOfDate).toBe(true);
    const found = async () => {
      const res = await hub.gql(OUT_OF_DATE);
      expect(res.errors).toBeUndefined();
      const data = res.data;
      return { listed: data.solutions.edges.map((e: any) => e.node.id), searched: data.search.edges.map((e: any) => e.node.contentId), problems: data.problems.edges.length };
    };
    await waitFor(async () => (await found()).searched.includes(id), { what: 'the search index to learn the mark' });
    expect(await found()).toEqual({ listed: [id], searched: [id], problems: 0 });
    const page = await (await fetch(`${hub.url}/solutions/${id}`)).text();
    expect(page).toContain('May be out of date');
    // The search page's "May be out of date" filter finds it, and only it.
    const searchPage = await (await fetch(`${hub.url}/?freshness=MAY_BE_OUT_OF_DATE`)).text();
    expect(searchPage).toContain(`/solutions/${encodeURIComponent(id)}`);
    expect(searchPage.match(/class="cc-result"/g)).toHaveLength(1);

    // Another council cannot answer for it.
    const refused = await hub.gql(CONFIRM, { input: { id } }, people.b.admin.token);
    expect(refused.data.confirmSolutionCurrent.__typename).not.toBe('ConfirmSolutionCurrentPayload');
    const confirmed = await hub.gql(CONFIRM, { input: { id } }, people.a.editor.token);
    expect(confirmed.data.confirmSolutionCurrent).toEqual({ __typename: 'ConfirmSolutionCurrentPayload', solution: { mayBeOutOfDate: false } });
    await waitFor(async () => (await found()).searched.length === 0, { what: 'the search index to learn the answer' });
    expect(await found()).toEqual({ listed: [], searched: [], problems: 0 });
    expect(await (await fetch(`${hub.url}/solutions/${id}`)).text()).not.toContain('May be out of date');
  });
  it('goes to the item\'s named contact while they are still a member, else to the admins; the answer page works with JavaScript off, is axe-clean, and "archive" archives the item with its event', { timeout: 120_000 }, async () => {
    const services = hub.app.services;
    // A plain member (not an editor) who agreed to be a contact, named on two problems.
    const contact = await createMember(database.db, people.a.council.id, 'member');
    await services.contacts.updateSettings(contact.viewer, { showAsContact: true, serviceAreas: ['waste'] });
    const publish = async (title: string) => services.problems.publish(people.a.editor.viewer,
      (await services.problems.create(people.a.editor.viewer, { title, summary: 'Residents phone the contact centre to book.', serviceArea: 'waste' })).id);
    const first = await publish('Bulky waste collections booked by phone only');
    const second = await publish('Clinical waste collections missed after house moves');
    for (const item of [first, second]) await services.contacts.setForItem(people.a.editor.viewer, 'problem', item.id, contact.id);
    // Everything else stays fresh; the second problem falls due a year after the first.
    await sql`update solutions set updated_at = now() + interval '3 years'`.execute(database.db);
    await sql`update problems set updated_at = now() + interval '3 years' where id <> ${first.id}`.execute(database.db);
    await sql`update problems set updated_at = now() + interval '1 year' where id = ${second.id}`.execute(database.db);
    const mine = async (memberId: string, subjectId: string) => (await inboxOf(memberId)).filter((n) => n.subject_id === subjectId);
    const later = new Date(Date.now() + 7 * 31 * DAY);

    expect(await nudger().run(later)).toEqual({ nudged: 1, marked: 0 });
    expect(await mine(contact.id, first.id)).toEqual([{ type: 'problem.nudged', subject_id: first.id }]);
    for (const other of [people.a.admin, people.a.editor, people.b.admin]) expect(await mine(other.id, first.id)).toEqual([]);
    const contactAddress = await emailOf(contact.id);
    await waitFor(() => mailTo(contactAddress).length === 1, { what: 'the nudge email to the contact' });
    const mail = mailTo(contactAddress)[0]!;
    expect(mail.subject).toBe('Is “Bulky waste collections booked by phone only” still current?');
    expect(mail.text).toContain('You are named as its contact.');
    const adminAddress = await emailOf(people.a.admin.id);
    expect(mailTo(adminAddress).filter((m) => m.subject?.includes('Bulky waste'))).toEqual([]);

    // The answer page, in Chromium with JavaScript off (axe-core needs it on: a second context).
    const path = new URL(/(https:\/\/\S+\/nudges\/\S+)/.exec(mail.text!)![1]!).pathname;
    browser = await launchBrowser();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const checker = await (await browser.newContext()).newPage();
    const axeClean = async (state: string) => {
      for (const width of [1280, 320]) {
        await checker.setViewportSize({ width, height: 900 });
        await checker.goto(`${hub.url}${path}`);
        expect(await axeViolations(checker), `${state} at ${width}px`).toEqual([]);
      }
    };
    expect((await page.goto(`${hub.url}${path}`))?.status()).toBe(200);
    expect(await page.title()).toBe('Is “Bulky waste collections booked by phone only” still current? – Council Commons');
    expect(await page.locator('h1').textContent()).toBe('Is “Bulky waste collections booked by phone only” still current?');
    expect(await page.locator('main').textContent()).toContain('You are named as its contact');
    const firstId = encodeGlobalId('Problem', first.id);
    expect(await page.getByRole('link', { name: 'No, update it' }).getAttribute('href')).toBe(`/problems/${encodeURIComponent(firstId)}/edit`);
    expect(await page.getByRole('button', { name: 'Yes, it is still current' }).count()).toBe(1);
    expect(await page.locator('.govuk-header').count()).toBe(1);
    await axeClean('the question');
    await page.getByRole('button', { name: 'Archive it' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe('Archived');
    const archived = await database.db.selectFrom('outbox_events').select(['payload']).where('subject_id', '=', first.id).where('type', '=', 'problem.archived').execute();
    expect(archived.map((e) => (e.payload as { actorMemberId?: string }).actorMemberId)).toEqual([contact.id]);
    expect((await database.db.selectFrom('problems').select('status').where('id', '=', first.id).executeTakeFirstOrThrow()).status).toBe('archived');
    await axeClean('already archived');
    expect(await checker.locator('h1').textContent()).toBe('Already archived');

    // Once the contact has left the council, their link stops working and the admins are asked.
    await services.memberAdmin.remove(people.a.admin.viewer, contact.id);
    expect((await page.goto(`${hub.url}${path}`))?.status()).toBe(404);
    await axeClean('not valid');
    await context.close();
    expect(await nudger().run(new Date(later.getTime() + 365 * DAY))).toEqual({ nudged: 1, marked: 0 });
    expect(await mine(people.a.admin.id, second.id)).toEqual([{ type: 'problem.nudged', subject_id: second.id }]);
    for (const other of [contact, people.a.editor, people.b.admin]) expect(await mine(other.id, second.id)).toEqual([]);
    await waitFor(() => mailTo(adminAddress).some((m) => m.subject?.includes('Clinical waste')), { what: 'the nudge email to the admin' });
    expect(mailTo(adminAddress).find((m) => m.subject?.includes('Clinical waste'))!.text).toContain('It has no current named contact');
    expect(mailTo(contactAddress)).toHaveLength(1);
  });
});
