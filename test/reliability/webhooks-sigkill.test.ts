import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { createProblemService } from '../../server/domain/problems.js';
import { createPostgresSignal } from '../../server/events/postgres-signal.js';
import { headPosition } from '../../server/events/reader.js';
import type { EventSignal } from '../../server/events/signal.js';
import { createLogger } from '../../server/logger.js';
import { DEFAULT_WEBHOOK_CONFIG } from '../../server/webhooks/config.js';
import { createWebhookEndpointService } from '../../server/domain/webhook-endpoints.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';
import { WEBHOOK_TEST_ENV, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { exited, startWorkerProcess } from '../support/worker-process.js';
import { STREAM_TYPES, createProblemStream, distinctCount, expectedPositions, positionsReceived } from '../support/webhook-stream.js';

const EVENTS = 500;
const ROUNDS = 5; // 100 events and one SIGKILL each; the first receiver is down in rounds 2 and 3

// Server mode only: the worker runs as its own process against PostgreSQL (PGlite's data
// directory cannot be shared between processes, so there is nothing to kill there).
describe('webhook deliveries survive SIGKILL of the worker (worker process, PostgreSQL)', () => {
  let database: TestDatabaseHandle;
  let signal: EventSignal | undefined;
  let child: ChildProcess | undefined;
  let flaky: WebhookReceiver;
  let healthy: WebhookReceiver;
  const output: string[] = [];

  beforeAll(async () => {
    database = await postgresDatabase.create();
    signal = createPostgresSignal({ clientConfig: database.pgConfig!, db: database.db, logger: createLogger('silent') });
    flaky = await startWebhookReceiver();
    healthy = await startWebhookReceiver();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await flaky?.stop();
    await healthy?.stop();
    await signal?.close();
    await database?.close();
  });

  const startWorker = () => startWorkerProcess(database.url!, output, WEBHOOK_TEST_ENV);

  it(`delivers all ${EVENTS} events in order to both endpoints through ${ROUNDS} SIGKILLs and a receiver outage`, async () => {
    const transact = createTransact(database.db, () => signal!.notify());
    const people = await createTwoCouncils(database.db);
    const endpoints = createWebhookEndpointService({ db: database.db, transact, config: { ...DEFAULT_WEBHOOK_CONFIG, allowPrivate: true } });
    const types = [...STREAM_TYPES];
    const a = await endpoints.create(people.a.admin.viewer, { url: flaky.url, eventTypes: types });
    const b = await endpoints.create(people.b.admin.viewer, { url: healthy.url, eventTypes: types });
    const from = await headPosition(database.db);
    const stream = createProblemStream(createProblemService({ db: database.db, transact }), people.a.editor.viewer);

    child = startWorker();
    const kills: { healthyHad: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round === 1) await flaky.stop();
      if (round === 3) {
        // The outage so far held up nobody else: the healthy endpoint has every event yet.
        await waitFor(() => distinctCount(healthy) === stream.produced, { timeoutMs: 60_000, what: 'the healthy endpoint to keep up' });
        expect(distinctCount(flaky)).toBeLessThan(stream.produced);
        await flaky.start();
      }
      const producing = stream.produce(EVENTS / ROUNDS);
      const before = distinctCount(healthy);
      // Kill only once this worker has delivered something, at a random moment after that.
      await waitFor(() => distinctCount(healthy) > before, { timeoutMs: 60_000, what: `worker ${round} to deliver` });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      child.kill('SIGKILL');
      await exited(child);
      kills.push({ healthyHad: distinctCount(healthy) });
      child = startWorker();
      await producing;
    }
    await waitFor(() => distinctCount(flaky) === EVENTS && distinctCount(healthy) === EVENTS,
      { timeoutMs: 120_000, what: 'both endpoints to have every event' });
    child.kill('SIGTERM');
    await exited(child);

    const expected = await expectedPositions(database.db, from);
    const duplicates = flaky.received.length + healthy.received.length - 2 * EVENTS;
    console.log(`webhook SIGKILL test: ${kills.length} kills, ${EVENTS} events to 2 endpoints, ${duplicates} repeated deliveries `
      + `(same webhook-id), ${flaky.received.length} requests reached the receiver that was down for 200 events`);
    expect(kills).toHaveLength(ROUNDS);
    expect(expected).toHaveLength(EVENTS);
    const log = output.join('').slice(-2_000);
    expect(positionsReceived(flaky), log).toEqual(expected);
    expect(positionsReceived(healthy), log).toEqual(expected);
    expect(flaky.verified(a.secret)).toHaveLength(flaky.received.length);
    expect(healthy.verified(b.secret)).toHaveLength(healthy.received.length);
  }, 300_000);
});
