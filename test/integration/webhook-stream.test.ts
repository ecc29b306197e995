import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headPosition } from '../../server/events/reader.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { IN_PROCESS_WEBHOOK_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { STREAM_TYPES, createProblemStream, distinctCount, expectedPositions, positionsReceived } from '../support/webhook-stream.js';

const EVENTS = 500;

describe.each(testDatabases())('a 500-event stream to a receiver that goes down and back ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let flaky: WebhookReceiver;
  let healthy: WebhookReceiver;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database, IN_PROCESS_WEBHOOK_ENV);
    flaky = await startWebhookReceiver();
    healthy = await startWebhookReceiver();
  });
  afterAll(async () => {
    await flaky?.stop();
    await healthy?.stop();
    await hub?.close();
    await database?.close();
  });

  it('ends with every event in order at both endpoints; the healthy one is served while the other is down', async () => {
    const people = await createTwoCouncils(database.db);
    const endpoints = hub.app.services.webhookEndpoints;
    const types = [...STREAM_TYPES];
    const a = await endpoints.create(people.a.admin.viewer, { url: flaky.url, eventTypes: types });
    const b = await endpoints.create(people.b.admin.viewer, { url: healthy.url, eventTypes: types });
    const from = await headPosition(database.db);
    const stream = createProblemStream(hub.app.services.problems, people.a.editor.viewer);

    await stream.produce(100);
    await flaky.stop();
    await stream.produce(200);
    // While the first receiver refuses connections, the second gets everything so far.
    await waitFor(() => distinctCount(healthy) === 300, { timeoutMs: 60_000, what: 'the healthy endpoint to keep up' });
    expect(distinctCount(flaky)).toBeLessThan(300);
    await flaky.start();
    await stream.produce(EVENTS - 300);
    await waitFor(() => distinctCount(flaky) === EVENTS && distinctCount(healthy) === EVENTS, { timeoutMs: 60_000, what: 'both endpoints to have every event' });

    const expected = await expectedPositions(database.db, from);
    expect(expected).toHaveLength(EVENTS);
    expect(positionsReceived(flaky)).toEqual(expected);
    expect(positionsReceived(healthy)).toEqual(expected);
    // Signed with each endpoint's own secret; no draft event among them.
    expect(flaky.verified(a.secret).every((d) => d.body.type !== 'problem.created')).toBe(true);
    expect(healthy.verified(b.secret)).toHaveLength(healthy.received.length);
  }, 180_000);
});
