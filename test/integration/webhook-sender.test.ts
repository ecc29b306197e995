import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { encodeGlobalId } from '../../server/kernel/global-id.js';
import type { Logger } from '../../server/logger.js';
import { createServices, type Services } from '../../server/services.js';
import { DEFAULT_WEBHOOK_CONFIG, type WebhookConfig } from '../../server/webhooks/config.js';
import { createSecretBox } from '../../server/webhooks/secret-box.js';
import { createWebhookSender, type SenderDeps } from '../../server/webhooks/sender.js';
import { generateSecret, generateWebhookId } from '../../server/webhooks/signing.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// The sender on its own, over a real database and a real receiver, without a hub or a
// dispatcher: each case puts deliveries in the state it needs and calls the sender once.
const CONFIG: WebhookConfig = {
  ...DEFAULT_WEBHOOK_CONFIG, allowPrivate: true, publicUrl: 'https://commons.example.gov.uk', retryInitialMs: 60_000, maxAttempts: 3,
};
const HOUR = 3_600_000;
type Status = 'pending' | 'succeeded' | 'failed';

describe.each(testDatabases())('the webhook sender ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  let services: Services;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
    services = createServices({ db: database.db, transact: createTransact(database.db), webhooks: { config: CONFIG, notify: () => {} } });
    receiver = await startWebhookReceiver();
  });
  afterEach(() => {
    receiver.received.length = 0;
    receiver.answer(204);
  });
  afterAll(async () => {
    await receiver?.stop();
    await database?.close();
  });

  const db = () => database.db;
  function sender(config: Partial<WebhookConfig> = {}, deps: Partial<SenderDeps> = {}) {
    const rung: number[] = [];
    const warnings: [string, Record<string, unknown>][] = [];
    const logger = { warn: (msg: string, fields: Record<string, unknown>) => warnings.push([msg, fields]) } as Partial<Logger> as Logger;
    const built = createWebhookSender({ db: db(), config: { ...CONFIG, ...config }, onEvent: () => rung.push(1), logger, ...deps });
    return Object.assign(built, { rung, warnings });
  }
  const endpoint = (url = receiver.url) => services.webhookEndpoints.create(people.a.admin.viewer, { url, eventTypes: ['problem.published'] });
  async function publishedProblem(title: string) {
    const editor = people.a.editor.viewer;
    const draft = await services.problems.create(editor, { title, summary: 'Written for the sender test.', serviceArea: 'housing' });
    await services.problems.publish(editor, draft.id);
    const event = await db().selectFrom('outbox_events').select('position').where('subject_id', '=', draft.id)
      .where('type', '=', 'problem.published').executeTakeFirstOrThrow();
    return { id: draft.id, position: Number(event.position) };
  }
  /** Positions of `count` new events (an endpoint has one delivery per event). */
  async function eventPositions(count: number, title: string): Promise<number[]> {
    const positions: number[] = [];
    for (let i = 1; i <= count; i++) positions.push((await publishedProblem(`${title} (${i})`)).position);
    return positions;
  }
  const queue = (endpointId: string, position: number | null, columns: { status?: Status; attempts?: number; next_attempt_at?: Date | null } = {}) =>
    db().insertInto('webhook_deliveries').values({ endpoint_id: endpointId, event_position: position, webhook_id: generateWebhookId(), ...columns })
      .returning('id').executeTakeFirstOrThrow().then((row) => row.id);
  const delivery = (id: string) => db().selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const attempts = (id: string) => db().selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('id').execute();
  const endpointRow = (id: string) => db().selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const positions = () => receiver.received.map((r) => JSON.parse(r.body).data.position as number);

  it('sends the endpoint\'s oldest pending delivery once it is due, signed, with the event, and records its success', async () => {
    const { endpoint: target, secret } = await endpoint();
    const { endpoint: other } = await endpoint();
    const first = await publishedProblem('Missed bin collections on new estates');
    const second = await publishedProblem('Street lights out for weeks');
    // Stored newest first, after another endpoint's: the head is found by endpoint and position.
    await queue(other.id, first.position);
    const later = await queue(target.id, second.position, { next_attempt_at: new Date(Date.now() + HOUR) });
    const head = await queue(target.id, first.position);
    const send = sender();

    const before = Date.now();
    expect(await send.sendHead(target.id)).toMatchObject({ statusCode: 204, error: null });
    const [got] = receiver.verified(secret);
    expect(got!.id).toBe((await delivery(head)).webhook_id);
    expect(got!.body).toEqual({
      type: 'problem.published',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        position: first.position, subjectType: 'Problem', subjectId: encodeGlobalId('Problem', first.id),
        councilId: encodeGlobalId('Council', people.a.council.id), councilName: people.a.council.name,
        url: `https://commons.example.gov.uk/problems/${encodeGlobalId('Problem', first.id)}`,
        payload: expect.objectContaining({ v: expect.any(Number) }),
      },
    });
    const sent = await delivery(head);
    expect(sent).toMatchObject({ status: 'succeeded', attempts: 1, next_attempt_at: null });
    expect(sent.last_attempt_at!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect((await attempts(head)).map((a) => [a.status_code, a.error, a.duration_ms >= 0])).toEqual([[204, null, true]]);

    // A success in the queue leaves the next delivery's schedule alone; it is not due yet.
    expect((await delivery(later)).next_attempt_at!.getTime()).toBeGreaterThan(Date.now() + HOUR / 2);
    expect(await send.sendHead(target.id)).toBeUndefined();
    await db().updateTable('webhook_deliveries').set({ next_attempt_at: new Date(Date.now() - 1_000) }).where('id', '=', later).execute();
    expect(await send.sendHead(target.id)).toMatchObject({ statusCode: 204 });
    expect(positions()).toEqual([first.position, second.position]);
    expect(await send.sendHead(target.id)).toBeUndefined();
    expect(receiver.received).toHaveLength(2);
    expect(send.rung).toEqual([]);
    expect(send.warnings).toEqual([]);
  });

  it('sends nothing for an endpoint that is disabled, and nothing for a delivery deleted meanwhile', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Pothole reports by post');
    const id = await queue(target.id, position);
    await db().updateTable('webhook_endpoints').set({ active: false }).where('id', '=', target.id).execute();
    expect(await sender().sendHead(target.id)).toBeUndefined();
    await db().deleteFrom('webhook_deliveries').where('id', '=', id).execute();
    expect(await sender().attempt(id, 'manual')).toBeUndefined();
    expect(receiver.received).toHaveLength(0);
  });

  it('schedules a failed attempt for retry after the first back-off, and records what the receiver said', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Housing register backlog');
    const id = await queue(target.id, position);
    receiver.answer(500);
    const before = Date.now();
    expect(await sender().sendHead(target.id)).toMatchObject({ statusCode: 500, error: 'HTTP 500' });
    const row = await delivery(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    // 60 s ± 20% jitter.
    expect(row.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(before + 48_000);
    expect(row.next_attempt_at!.getTime()).toBeLessThanOrEqual(Date.now() + 72_000);
    expect((await attempts(id)).map((a) => [a.status_code, a.error])).toEqual([[500, 'HTTP 500']]);
    // Not due: the queue does not send it again.
    expect(await sender().sendHead(target.id)).toBeUndefined();
    expect(receiver.received).toHaveLength(1);
  });

  it('does not reopen a delivery that finished while its queued attempt was failing', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Blue badge renewals');
    const id = await queue(target.id, position, { status: 'failed', attempts: 1 });
    receiver.answer(503);
    expect(await sender().attempt(id, 'queue')).toMatchObject({ error: 'HTTP 503' });
    expect(await delivery(id)).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect(await attempts(id)).toHaveLength(1);
  });

  it.each([
    // Whole schedule (retryWindowMs): 1 s, 1 min, 1 h and 1.5 h, at each unit's boundary.
    { retryInitialMs: 1_000, maxAttempts: 2, window: '1.0 seconds' },
    { retryInitialMs: 59_000, maxAttempts: 2, window: '59.0 seconds' },
    { retryInitialMs: 60_000, maxAttempts: 2, window: '1 minutes' },
    { retryInitialMs: 150_000, maxAttempts: 2, window: '3 minutes' },
    { retryInitialMs: HOUR - 60_000, maxAttempts: 2, window: '59 minutes' },
    { retryInitialMs: HOUR, maxAttempts: 2, window: '1.0 hours' },
    { retryInitialMs: HOUR / 2, maxAttempts: 3, window: '2.5 hours' },
  ])('fails the delivery whose last attempt fails and disables its endpoint, saying why ($window)', async ({ window, ...schedule }) => {
    const { endpoint: target } = await endpoint();
    const [position, after] = await eventPositions(2, `Fly-tipping hot spots ${window}`);
    const id = await queue(target.id, position!, { attempts: schedule.maxAttempts - 1 });
    const next = await queue(target.id, after!);
    receiver.answer(502);
    const send = sender({ ...schedule, retryMaxMs: 10 * HOUR });
    const before = Date.now();
    expect(await send.sendHead(target.id)).toMatchObject({ error: 'HTTP 502' });
    expect(await delivery(id)).toMatchObject({ status: 'failed', attempts: schedule.maxAttempts, next_attempt_at: null });
    expect((await attempts(id)).map((a) => a.error)).toEqual(['HTTP 502']);
    expect(await delivery(next)).toMatchObject({ status: 'pending', attempts: 0 });
    const disabled = await endpointRow(target.id);
    expect(disabled).toMatchObject({ active: false, disabled_reason: `${schedule.maxAttempts} attempts over ${window} failed; the last one: HTTP 502` });
    expect(disabled.disabled_at!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(disabled.updated_at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const events = await db().selectFrom('outbox_events').select(['type', 'payload']).where('subject_id', '=', target.id).orderBy('position').execute();
    expect(events.map((e) => e.type)).toEqual(['webhook_endpoint.created', 'webhook_endpoint.disabled']);
    expect(events[1]!.payload).toMatchObject({ active: false, disabledReason: disabled.disabled_reason });
    expect(send.rung).toEqual([1]);
    expect(await send.sendHead(target.id)).toBeUndefined();
  });

  it('keeps the council\'s log and the disable reason to 1,000 characters, however long the error', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Allotment waiting lists');
    // A name of 1,100 characters that resolves to nothing: its refusal names it in full.
    const host = Array.from({ length: 20 }, (_, i) => `label${i}`.padEnd(54, 'x')).join('.');
    await db().updateTable('webhook_endpoints').set({ url: `http://${host}/hooks` }).where('id', '=', target.id).execute();
    const id = await queue(target.id, position, { attempts: 2 });
    const send = sender({}, { resolveHost: async () => [] });
    const result = await send.sendHead(target.id);
    expect(result!.error).toBe(`refused: ${host} has no address`);
    expect(result!.error!.length).toBeGreaterThan(1_000);
    const [attempt] = await attempts(id);
    expect(attempt!.error).toBe(result!.error!.slice(0, 1_000));
    expect((await endpointRow(target.id)).disabled_reason).toHaveLength(1_000);
  });

  it('tells the operator, not the council, where a refused name pointed', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Parking permits for carers');
    await db().updateTable('webhook_endpoints').set({ url: 'https://intranet.example.gov.uk/hooks' }).where('id', '=', target.id).execute();
    const id = await queue(target.id, position);
    const send = sender({ allowPrivate: false }, { resolveHost: async () => [{ address: '10.0.0.7', family: 4 }] });
    expect(await send.sendHead(target.id)).toMatchObject({ statusCode: null, error: 'refused: intranet.example.gov.uk does not resolve to a public address' });
    expect(send.warnings).toEqual([['webhook target refused', {
      endpointId: target.id, deliveryId: id, detail: expect.stringMatching(/^refused: intranet\.example\.gov\.uk resolves to 10\.0\.0\.7, which /),
    }]]);
    expect((await attempts(id)).map((a) => a.error)).toEqual(['refused: intranet.example.gov.uk does not resolve to a public address']);
  });

  it('needs neither a logger nor a doorbell, as the API\'s sender is built (server/services.ts)', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Disabled facilities grants');
    await db().updateTable('webhook_endpoints').set({ url: 'https://intranet.example.gov.uk/hooks' }).where('id', '=', target.id).execute();
    const id = await queue(target.id, position, { attempts: CONFIG.maxAttempts - 1 });
    const bare = createWebhookSender({ db: db(), config: { ...CONFIG, allowPrivate: false }, resolveHost: async () => [{ address: '10.0.0.7', family: 4 }] });
    expect(await bare.sendHead(target.id)).toMatchObject({ error: 'refused: intranet.example.gov.uk does not resolve to a public address' });
    expect(await delivery(id)).toMatchObject({ status: 'failed' });
    expect(await endpointRow(target.id)).toMatchObject({ active: false });
  });

  it('records a manual attempt that fails without touching the schedule, the status or the endpoint', async () => {
    const { endpoint: target } = await endpoint();
    const [first, second] = await eventPositions(2, 'School admissions appeals');
    const due = new Date(Date.now() + HOUR);
    const failed = await queue(target.id, first!, { status: 'failed', attempts: 2 });
    const pending = await queue(target.id, second!, { attempts: 2, next_attempt_at: due });
    receiver.answer(500);
    const send = sender();
    expect(await send.attempt(pending, 'manual')).toMatchObject({ error: 'HTTP 500' });
    expect(await send.attempt(failed, 'manual')).toMatchObject({ error: 'HTTP 500' });
    expect(await delivery(pending)).toMatchObject({ status: 'pending', attempts: 3, next_attempt_at: due });
    expect(await delivery(failed)).toMatchObject({ status: 'failed', attempts: 3, next_attempt_at: null });
    expect((await delivery(failed)).last_attempt_at).toBeInstanceOf(Date);
    expect((await attempts(failed)).map((a) => a.status_code)).toEqual([500]);
    expect(await endpointRow(target.id)).toMatchObject({ active: true, disabled_reason: null });
    expect(send.rung).toEqual([]);
  });

  it('sends a test event by hand, and its success lets the endpoint\'s waiting backlog go now', async () => {
    const { endpoint: target, secret } = await endpoint();
    const { endpoint: other } = await endpoint();
    const [done, head, next] = await eventPositions(3, 'Council house mutual exchanges');
    const later = new Date(Date.now() + HOUR);
    const finished = await queue(target.id, done!, { status: 'failed', next_attempt_at: later });
    const waiting = await queue(target.id, head!, { attempts: 1, next_attempt_at: later });
    const unscheduled = await queue(target.id, next!);
    const elsewhere = await queue(other.id, head!, { attempts: 1, next_attempt_at: later });
    const test = await queue(target.id, null, { status: 'failed' });

    const send = sender();
    expect(await send.attempt(test, 'manual')).toMatchObject({ statusCode: 204, error: null });
    const [got] = receiver.verified(secret);
    expect(got!.body).toEqual({
      type: 'webhook.test', timestamp: (await delivery(test)).created_at.toISOString(),
      data: { endpointId: encodeGlobalId('WebhookEndpoint', target.id), message: 'A test event from Council Commons' },
    });
    expect(await delivery(test)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect((await delivery(waiting)).next_attempt_at!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await delivery(unscheduled)).next_attempt_at).toBeNull();
    expect((await delivery(finished)).next_attempt_at).toEqual(later);
    expect((await delivery(elsewhere)).next_attempt_at).toEqual(later);
  });

  it('signs with every secret still in its grace period, newest first, and with no expired one', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Library opening hours');
    const [current, grace, expired] = [generateSecret(), generateSecret(), generateSecret()];
    await db().deleteFrom('webhook_secrets').where('endpoint_id', '=', target.id).execute();
    const now = Date.now();
    await db().insertInto('webhook_secrets').values([
      { endpoint_id: target.id, secret: expired, created_at: new Date(now - 3 * HOUR), expires_at: new Date(now - HOUR) },
      { endpoint_id: target.id, secret: grace, created_at: new Date(now - 2 * HOUR), expires_at: new Date(now + HOUR) },
      { endpoint_id: target.id, secret: current, created_at: new Date(now - HOUR), expires_at: null },
    ]).execute();
    await queue(target.id, position);
    await sender().sendHead(target.id);
    const signatures = String(receiver.received[0]!.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    expect(receiver.verified(current)).toHaveLength(1);
    expect(receiver.verified(grace)).toHaveLength(1);
    expect(() => receiver.verified(expired)).toThrow();
    // Newest first: the header's first signature is the current secret's alone.
    receiver.received[0]!.headers['webhook-signature'] = signatures[0]!;
    expect(receiver.verified(current)).toHaveLength(1);
    expect(() => receiver.verified(grace)).toThrow();
  });

  it('records a secret this process cannot open as an attempt that was not sent, and sends nothing unsigned', async () => {
    const { endpoint: target } = await endpoint();
    const { position } = await publishedProblem('Garden waste subscriptions');
    const sealed = createSecretBox(Buffer.alloc(32, 7)).seal(target.id, generateSecret());
    await db().updateTable('webhook_secrets').set({ secret: sealed }).where('endpoint_id', '=', target.id).execute();
    const id = await queue(target.id, position);
    const connections = receiver.connections;
    const expected = { statusCode: null, error: 'not sent: the signing secret is sealed and WEBHOOKS_SECRETS_KEY is not set', durationMs: 0 };
    expect(await sender().sendHead(target.id)).toEqual(expected);
    expect(receiver.connections).toBe(connections);
    expect((await attempts(id)).map((a) => [a.status_code, a.error, a.duration_ms])).toEqual([[null, expected.error, 0]]);
    // With the key, the same secret opens and signs.
    expect(await sender({ secretsKey: Buffer.alloc(32, 7) }).attempt(id, 'manual')).toMatchObject({ statusCode: 204 });
  });
});
