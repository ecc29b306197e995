import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransact } from '../../server/db/transact.js';
import { createProblemService, type ProblemService } from '../../server/domain/problems.js';
import { consumerStatus } from '../../server/events/consumer-cursors.js';
import { appendEvent } from '../../server/events/outbox.js';
import { headPosition } from '../../server/events/reader.js';
import { createLocalSignal } from '../../server/events/signal.js';
import { createLogger } from '../../server/logger.js';
import { SEARCH_INDEXER } from '../../server/search/engine.js';
import type { Embedder } from '../../server/search/embeddings/embedder.js';
import { createPostgresEngine } from '../../server/search/postgres-engine.js';
import { WEBHOOKS_CONSUMER } from '../../server/webhooks/model.js';
import { FAULT_POINTS, type FaultHook, type FaultPoint } from '../../workers/fault-points.js';
import { createConsumerWorker, type Consumer } from '../../workers/runtime.js';
import { createSearchIndexer } from '../../workers/search-indexer.js';
import { createWebhookFanout } from '../../workers/webhook-fanout.js';
import { createNotificationsConsumer, NOTIFICATIONS_CONSUMER } from '../../workers/notifications.js';
import { createFollowService } from '../../server/notifications/follows.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { testEmbedder } from '../support/embedder.js';
import { createTwoCouncils, type People } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';
import { exited, startWorkerProcess } from '../support/worker-process.js';

/** Endpoints × published events per wave: over the fan-out's 1,000-row insert, so a webhooks batch has a middle. */
const ENDPOINTS = 6;
const WEBHOOK_WAVE = 200;
/**
 * The points each consumer passes. The notifications consumer writes a batch's inbox rows and
 * emails in one transaction, so its effect has no middle to stop in.
 */
const POINTS = {
  [SEARCH_INDEXER]: FAULT_POINTS,
  [WEBHOOKS_CONSUMER]: FAULT_POINTS,
  [NOTIFICATIONS_CONSUMER]: ['after-effect', 'after-cursor'],
} as const satisfies Record<string, readonly FaultPoint[]>;
const CONSUMERS = [SEARCH_INDEXER, WEBHOOKS_CONSUMER, NOTIFICATIONS_CONSUMER] as const;

/**
 * Invariant 3, with the crash aimed rather than left to chance: each consumer is stopped at
 * each named point of its cycle (workers/fault-points.ts), the state at that moment is checked
 * to be the one the point names, and after a restart the effect must be exact. A consumer
 * that moved its cursor before its effect was durable loses the batch here, every time.
 */
describe.each(testDatabases())('consumers stopped at each crash point on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  let problems: ProblemService;
  const published: { id: string; version: number }[] = [];

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
    problems = createProblemService({ db: database.db, transact: createTransact(database.db) });
    const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => ({
      council_id: i % 2 === 0 ? people.a.council.id : people.b.council.id, url: `https://receiver-${i}.example.gov.uk/hook`,
      event_types: ['problem.published'], active: false, from_position: 0,
    }));
    await database.db.insertInto('webhook_endpoints').values(endpoints).execute();
    // Council b's member hears of every problem published in waste: council a's waves.
    await createFollowService({ db: database.db }).follow(people.b.member.viewer, { serviceArea: 'waste' });
  });
  afterAll(async () => { await database?.close(); });

  /** Search: a wave of new problems published and earlier ones archived (upserts and deletes in one batch). */
  async function searchWave(): Promise<void> {
    const editor = people.a.editor.viewer;
    for (const old of published.splice(0, 5)) await problems.archive(editor, old.id);
    for (let i = 0; i < 20; i++) {
      const draft = await problems.create(editor, { title: `Crash point wave ${randomUUID().slice(0, 8)}`, summary: 'Bins missed.', serviceArea: 'waste' });
      const done = await problems.publish(editor, draft.id);
      published.push({ id: done.id, version: done.version });
    }
  }
  /** Webhooks: WEBHOOK_WAVE published events (the fan-out reads only the outbox). */
  async function webhookWave(): Promise<number[]> {
    return database.db.transaction().execute(async (trx) => {
      const positions: number[] = [];
      for (let i = 0; i < WEBHOOK_WAVE; i++) {
        positions.push(await appendEvent(trx, { type: 'problem.published', subjectType: 'problem', subjectId: randomUUID(), councilId: people.a.council.id, visibility: 'published', payload: {} }));
      }
      return positions;
    });
  }

  const indexedIds = async () => (await database.db.selectFrom('search_documents').select('id').orderBy('id').execute()).map((r) => r.id);
  const expectedIds = async () => (await database.db.selectFrom('problems').select('id')
    .where('visibility', '=', 'published').where('status', '<>', 'archived').orderBy('id').execute()).map((r) => r.id);
  /** The wave's published problems, read from the outbox, which the inbox must name exactly. */
  async function notificationWave(): Promise<number[]> {
    const before = await headPosition(database.db);
    await searchWave();
    return (await database.db.selectFrom('outbox_events').select('position').where('position', '>', before)
      .where('type', '=', 'problem.published').orderBy('position').execute()).map((r) => r.position);
  }
  const notifiedOf = async (positions: number[]) => (await database.db.selectFrom('notifications').select('event_position')
    .where('member_id', '=', people.b.member.id).where('event_position', 'in', positions).orderBy('event_position').execute()).map((r) => r.event_position);
  const deliveriesFor = async (positions: number[]) => Number((await database.db.selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n')).where('event_position', 'in', positions).executeTakeFirstOrThrow()).n);

  /** What the state must be when the consumer is stopped at `point`, and once it has caught up. */
  const cases = {
    [SEARCH_INDEXER]: {
      wave: async () => { await searchWave(); return [] as number[]; },
      async atStop(point: FaultPoint, head: number, cursor: number) {
        const [indexed, expected] = [await indexedIds(), await expectedIds()];
        if (point === 'mid-batch') {
          // Deletes written, upserts not: nothing archived is left, the wave's new items are missing.
          expect(indexed.every((id) => expected.includes(id))).toBe(true);
          expect(indexed.length).toBeLessThan(expected.length);
        } else {
          expect(indexed).toEqual(expected);
        }
        expect(cursor)[point === 'after-cursor' ? 'toBe' : 'toBeLessThan'](head);
      },
      async caughtUp() { expect(await indexedIds()).toEqual(await expectedIds()); },
    },
    [WEBHOOKS_CONSUMER]: {
      wave: webhookWave,
      async atStop(point: FaultPoint, head: number, cursor: number, positions: number[]) {
        expect(await deliveriesFor(positions)).toBe(point === 'mid-batch' ? 1_000 : WEBHOOK_WAVE * ENDPOINTS);
        expect(cursor)[point === 'after-cursor' ? 'toBe' : 'toBeLessThan'](head);
      },
      async caughtUp(positions: number[]) { expect(await deliveriesFor(positions)).toBe(WEBHOOK_WAVE * ENDPOINTS); },
    },
    [NOTIFICATIONS_CONSUMER]: {
      wave: notificationWave,
      async atStop(point: FaultPoint, head: number, cursor: number, positions: number[]) {
        expect(positions.length).toBe(20);
        expect(await notifiedOf(positions)).toEqual(positions);
        expect(cursor)[point === 'after-cursor' ? 'toBe' : 'toBeLessThan'](head);
      },
      async caughtUp(positions: number[]) { expect(await notifiedOf(positions)).toEqual(positions); },
    },
  } as const;

  describe.skipIf(engine.engine !== 'postgres')('a worker process SIGKILLed there (PostgreSQL: PGlite cannot be shared between processes)', () => {
    let child: ChildProcess | undefined;
    const output: string[] = [];
    afterAll(() => { if (child && child.exitCode === null) child.kill('SIGKILL'); });

    for (const consumer of CONSUMERS) {
      it.each(POINTS[consumer])(`${consumer}, killed at %s, ends exact`, async (point) => {
        // Notifications read only up to the indexer's cursor, which moves a batch at a time:
        // with both caught up first, the wave is one batch of each, never cut at a boundary.
        if (consumer === NOTIFICATIONS_CONSUMER) {
          const caughtUpTo = await headPosition(database.db);
          child = startWorkerProcess(database.url!, output);
          await waitFor(async () => (await consumerStatus(database.db, consumer)).position >= caughtUpTo, { timeoutMs: 60_000, what: 'notifications to catch up before the wave' });
          child.kill('SIGTERM');
          await exited(child);
        }
        const positions = await cases[consumer].wave();
        const head = await headPosition(database.db);
        output.length = 0;
        child = startWorkerProcess(database.url!, output, { CC_TEST_FAULT: `${consumer}:${point}`, NODE_ENV: 'test' });
        await waitFor(() => output.join('').includes('fault point reached'), { timeoutMs: 60_000, what: `the worker to reach ${point}` });
        child.kill('SIGKILL');
        await exited(child);
        await cases[consumer].atStop(point, head, (await consumerStatus(database.db, consumer)).position, positions);

        child = startWorkerProcess(database.url!, output);
        await waitFor(async () => (await consumerStatus(database.db, consumer)).position >= head, { timeoutMs: 60_000, what: 'the restarted worker to catch up' });
        child.kill('SIGTERM');
        await exited(child);
        await cases[consumer].caughtUp(positions);
      }, 120_000);
    }
  });

  describe('an in-process worker that crashes there and retries the batch', () => {
    let embedder: Embedder;
    beforeAll(async () => { embedder = await testEmbedder(); });
    const implementationOf = (consumer: keyof typeof cases): Consumer => {
      const engine = createPostgresEngine(database.db, { embedder });
      if (consumer === SEARCH_INDEXER) return createSearchIndexer({ db: database.db, engine });
      if (consumer === WEBHOOKS_CONSUMER) return createWebhookFanout({ db: database.db, onQueued: () => {} });
      return createNotificationsConsumer({ db: database.db, engine, onAdded: () => {}, queueEmail: false });
    };
    const run = async (consumer: keyof typeof cases, faults: FaultHook, until: () => Promise<boolean>) => {
      const worker = createConsumerWorker(implementationOf(consumer), {
        database, signal: createLocalSignal(), logger: createLogger('silent'), faults, initialBackoffMs: 10, pollIntervalMs: 50,
      });
      worker.start();
      try {
        await waitFor(until, { timeoutMs: 60_000, what: `${consumer} to catch up` });
      } finally {
        await worker.stop();
      }
    };
    const positionOf = async (consumer: string) => (await consumerStatus(database.db, consumer)).position;

    for (const consumer of CONSUMERS) {
      it.each(POINTS[consumer])(`${consumer}, crashed at %s, ends exact`, async (point) => {
        // Only this consumer runs here: let it take the other cases' events first, so its
        // next batch is exactly the wave.
        const before = await headPosition(database.db);
        if (consumer === NOTIFICATIONS_CONSUMER) await run(SEARCH_INDEXER, async () => {}, async () => (await positionOf(SEARCH_INDEXER)) >= before);
        await run(consumer, async () => {}, async () => (await positionOf(consumer)) >= before);
        const positions = await cases[consumer].wave();
        const head = await headPosition(database.db);
        // Notifications never run ahead of the index (their horizon): let the indexer take the wave.
        if (consumer === NOTIFICATIONS_CONSUMER) await run(SEARCH_INDEXER, async () => {}, async () => (await positionOf(SEARCH_INDEXER)) >= head);
        let crashed = false;
        let wrongAtStop: unknown;
        // A crash, as far as one process can make one: the batch in hand stops there and the
        // runtime starts the cycle again, as a new worker would, from the cursor it reads.
        // (The runtime takes any error here for that crash, so a failed check is kept to rethrow.)
        const faults: FaultHook = async (at, reached) => {
          if (crashed || at !== consumer || reached !== point) return;
          crashed = true;
          await cases[consumer].atStop(point, head, (await consumerStatus(database.db, consumer)).position, positions)
            .catch((error: unknown) => { wrongAtStop = error; });
          throw new Error(`simulated crash at ${point}`);
        };
        await run(consumer, faults, async () => crashed && (await positionOf(consumer)) >= head);
        if (wrongAtStop) throw wrongAtStop;
        await cases[consumer].caughtUp(positions);
      }, 120_000);
    }
  });
});
