import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createMember, createTwoCouncils, type People, type TestMember } from '../support/factories.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const FOLLOW = `mutation($input: FollowInput!) { follow(input: $input) { __typename ... on FollowPayload { follow { id } } ... on Error { code message } } }`;
const SETTINGS = `mutation($email: EmailFrequency!) { updateEmailSettings(input: { email: $email }) { __typename } }`;
const DAY = 86_400_000;
const PUBLIC_URL = 'https://commons.example.gov.uk';

describe.each(testDatabases())('email: immediate, digests and one-click unsubscribe ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  let smtp: SmtpInbox;
  let offset = 0;

  beforeAll(async () => {
    database = await engine.create();
    smtp = await startSmtpInbox();
    hub = await startTestApp(database, {
      IN_PROCESS_WORKERS: 'true', SMTP_URL: smtp.url, PUBLIC_URL, EMAIL_FROM: 'Council Commons <hub@commons.example.gov.uk>',
      EMAIL_RETRY_INITIAL_MS: '50', EMAIL_RETRY_MAX_MS: '200', EMAIL_POLL_INTERVAL_MS: '50',
    }, { emailClock: () => new Date(Date.now() + offset) });
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    await hub?.close();
    await smtp?.close();
    await database?.close();
  });

  const services = () => hub.app.services;
  const publish = async (title: string, serviceArea: string) => {
    const p = await services().problems.create(people.a.editor.viewer, { title, summary: `${title}: the details`, serviceArea });
    return services().problems.publish(people.a.editor.viewer, p.id);
  };
  const follow = async (member: TestMember, input: Record<string, unknown>) => {
    const res = await hub.gql(FOLLOW, { input }, member.token);
    expect(res.data.follow.__typename).toBe('FollowPayload');
    return res.data.follow.follow.id as string;
  };
  const mailTo = (member: TestMember, email: string) => smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]!.address === email);
  const emailOf = async (member: TestMember) => (await database.db.selectFrom('members').select('email').where('id', '=', member.id).executeTakeFirstOrThrow()).email;
  /** Every queued email for the member has been sent or found empty. */
  const drained = async (member: TestMember) => {
    await waitFor(async () => (await database.db.selectFrom('email_sends').select('key').where('member_id', '=', member.id).where('status', '=', 'pending').execute()).length === 0, { what: 'no pending email' });
  };
  /** A header as sent (mailparser turns List-* headers into objects). */
  const header = (mail: ParsedMail, name: string) => mail.headerLines.find((h) => h.key === name)?.line.slice(name.length + 1).trim();
  const unsubscribe = async (header: unknown) => {
    const url = new URL(/<([^>]+)>/.exec(String(header))![1]!);
    expect(url.origin).toBe(PUBLIC_URL);
    // RFC 8058: a POST with this body, no cookies, no token.
    return fetch(`${hub.url}${url.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  };

  it('sends an immediate email with the item link and one-click unsubscribe headers; the POST stops that follow\'s email without sign-in', async () => {
    const member = await createMember(database.db, people.b.council.id);
    const address = await emailOf(member);
    expect((await hub.gql(SETTINGS, { email: 'IMMEDIATE' }, member.token)).data.updateEmailSettings.__typename).toBe('UpdateEmailSettingsPayload');
    await follow(member, { serviceArea: 'WASTE' });
    const problem = await publish('Bulky waste collections booked by phone', 'waste');
    await waitFor(() => mailTo(member, address).length === 1, { what: 'the immediate email' });
    const mail = mailTo(member, address)[0]!;
    expect(mail.subject).toBe('Published: problem “Bulky waste collections booked by phone”');
    expect(mail.text).toContain(`${PUBLIC_URL}/problems/${encodeGlobalId('Problem', problem.id)}`);
    expect(mail.html).toContain(`href="${PUBLIC_URL}/problems/${encodeGlobalId('Problem', problem.id)}"`);
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    // A link scanner's GET changes nothing.
    const list = header(mail, 'list-unsubscribe');
    const path = new URL(/<([^>]+)>/.exec(String(list))![1]!).pathname;
    expect((await fetch(`${hub.url}${path}`)).status).toBe(200);
    expect((await database.db.selectFrom('follows').select('email').where('member_id', '=', member.id).executeTakeFirstOrThrow()).email).toBe('default');
    const response = await unsubscribe(list);
    expect(response.status).toBe(200);
    expect((await database.db.selectFrom('follows').select('email').where('member_id', '=', member.id).executeTakeFirstOrThrow()).email).toBe('off');
    // A forged token is refused.
    expect((await fetch(`${hub.url}${path.slice(0, -4)}AAAA`, { method: 'POST' })).status).toBe(404);
    await publish('Garden waste subscriptions renewed on paper', 'waste');
    await waitFor(async () => (await database.db.selectFrom('notifications').select('id').where('member_id', '=', member.id).execute()).length === 2);
    await drained(member);
    expect(mailTo(member, address)).toHaveLength(1);
  });

  it('a daily digest groups by follow, links each item, goes once per period, and its one-click POST turns all email off', async () => {
    const member = await createMember(database.db, people.b.council.id);
    const address = await emailOf(member);
    await follow(member, { serviceArea: 'HOUSING' });
    await follow(member, { serviceArea: 'HIGHWAYS_TRANSPORT' });
    const repairs = await publish('Housing repairs booked by phone only', 'housing');
    const lighting = await publish('Street lighting faults reported by email', 'highways_transport');
    await waitFor(async () => (await database.db.selectFrom('notifications').select('id').where('member_id', '=', member.id).execute()).length === 2);
    expect(mailTo(member, address)).toHaveLength(0);
    offset += DAY;
    await waitFor(() => mailTo(member, address).length === 1, { what: 'the daily digest' });
    const digest = mailTo(member, address)[0]!;
    expect(digest.subject).toBe('Your daily Council Commons digest: 2 updates');
    expect(digest.text).toMatch(/New in Housing and homelessness\n- Published: problem “Housing repairs booked by phone only”\n {2}https:\/\/commons\.example\.gov\.uk\/problems\//);
    expect(digest.text).toContain(`New in Highways, streets and transport\n- Published: problem “Street lighting faults reported by email”\n  ${PUBLIC_URL}/problems/${encodeGlobalId('Problem', lighting.id)}`);
    expect(digest.text).toContain(`${PUBLIC_URL}/problems/${encodeGlobalId('Problem', repairs.id)}`);
    expect(header(digest, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    await drained(member);
    // The same period again sends nothing more.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailTo(member, address)).toHaveLength(1);
    expect((await unsubscribe(header(digest, 'list-unsubscribe'))).status).toBe(200);
    expect((await hub.gql('{ viewer { emailSettings { email } } }', {}, member.token)).data.viewer.emailSettings.email).toBe('OFF');
    await publish('Housing allocations letters by post', 'housing');
    await waitFor(async () => (await database.db.selectFrom('notifications').select('id').where('member_id', '=', member.id).execute()).length === 3);
    offset += DAY;
    await waitFor(async () => (await database.db.selectFrom('email_digest_runs').select('period').where('kind', '=', 'daily').execute()).length >= 3);
    await drained(member);
    expect(mailTo(member, address)).toHaveLength(1);
  });

  it('a weekly follow waits for the weekly digest; a failing mail server is retried and nothing is lost or sent twice', async () => {
    const member = await createMember(database.db, people.b.council.id);
    const address = await emailOf(member);
    await hub.gql(SETTINGS, { email: 'WEEKLY' }, member.token);
    await follow(member, { serviceArea: 'PLANNING' });
    await publish('Planning applications validated by hand', 'planning');
    await waitFor(async () => (await database.db.selectFrom('notifications').select('id').where('member_id', '=', member.id).execute()).length === 1);
    smtp.failing = true;
    const refusedBefore = smtp.refused;
    offset += 7 * DAY;
    await waitFor(() => smtp.refused >= refusedBefore + 3, { what: 'three refused attempts' });
    const attempts = async () => (await database.db.selectFrom('email_sends').select('attempts').where('member_id', '=', member.id).executeTakeFirstOrThrow()).attempts;
    await waitFor(async () => (await attempts()) >= 3, { what: 'three recorded attempts' });
    const row = await database.db.selectFrom('email_sends').selectAll().where('member_id', '=', member.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'weekly', status: 'pending' });
    expect(row.attempts).toBeGreaterThanOrEqual(3);
    expect(row.last_error).toMatch(/451/);
    smtp.failing = false;
    await waitFor(() => mailTo(member, address).length === 1, { what: 'the weekly digest after the server recovered' });
    await drained(member);
    expect(mailTo(member, address)[0]!.subject).toBe('Your weekly Council Commons digest: 1 update');
    expect(mailTo(member, address)).toHaveLength(1);
  });

  it('leaves out of a digest an item hidden by moderators before it went', async () => {
    const member = await createMember(database.db, people.b.council.id);
    const address = await emailOf(member);
    await follow(member, { serviceArea: 'PLANNING' });
    const hidden = await publish('Planning notices naming 4 Elm Row residents', 'planning');
    await publish('Planning validation checklists differ by council', 'planning');
    await waitFor(async () => (await database.db.selectFrom('notifications').select('id').where('member_id', '=', member.id).execute()).length === 2);
    const moderator = await createMember(database.db, people.b.council.id, 'member', true);
    await services().moderation.hide(moderator.viewer, 'problem', hidden.id, 'Names residents');
    offset += DAY;
    await waitFor(() => mailTo(member, address).length === 1, { what: 'the daily digest' });
    await drained(member);
    const digest = mailTo(member, address)[0]!;
    expect(digest.subject).toBe('Your daily Council Commons digest: 1 update');
    expect(digest.text).toContain('Planning validation checklists differ by council');
    expect(`${digest.subject}\n${digest.text}\n${digest.html}`).not.toMatch(/Elm Row/);
  });
});
