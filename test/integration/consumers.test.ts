import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/database.js';
import { createTransact } from '../../server/db/transact.js';
import { createProblemService, type ProblemService } from '../../server/domain/problems.js';
import type { NewEvent, StoredEvent } from '../../server/events/catalogue.js';
import { advanceCursor, readCursor } from '../../server/events/consumer-cursors.js';
import { appendEvent } from '../../server/events/outbox.js';
import { headPosition, readEventsAfter } from '../../server/events/reader.js';
import { createFollowService } from '../../server/notifications/follows.js';
import { SEARCH_INDEXER, type SearchEngine } from '../../server/search/engine.js';
import { createPostgresEngine } from '../../server/search/postgres-engine.js';
import { createNotificationsConsumer } from '../../workers/notifications.js';
import { createSearchIndexer } from '../../workers/search-indexer.js';
import { createWebhookFanout } from '../../workers/webhook-fanout.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { testEmbedder } from '../support/embedder.js';
import { createTwoCouncils, type People } from '../support/factories.js';

// Each consumer's `handle` on its own, over a real database and the Postgres search engine:
// the batch is read from the outbox as the runtime reads it, and the effect checked in the
// tables it writes. (The runtime around them has its own tests; crash points are in
// test/reliability/crash-points.test.ts.)

/** The real engine, with each write it is asked for written down first. */
function recordingEngine(engine: SearchEngine, calls: string[]): SearchEngine {
  return {
    ...engine,
    ensureSettings: async () => { calls.push('ensureSettings'); await engine.ensureSettings(); },
    upsert: async (documents) => { calls.push(`upsert ${documents.map((d) => d.id).sort().join(',')}`); await engine.upsert(documents); },
    delete: async (ids) => { calls.push(`delete ${[...ids].sort().join(',')}`); await engine.delete(ids); },
  };
}

describe.each(testDatabases())('consumers ($engine)', (engine) => {
  let database: TestDatabaseHandle;
  let db: Kysely<Database>;
  let people: People;
  let problems: ProblemService;
  let search: SearchEngine;

  beforeAll(async () => {
    database = await engine.create();
    db = database.db;
    people = await createTwoCouncils(db);
    problems = createProblemService({ db, transact: createTransact(db) });
    search = createPostgresEngine(db, { embedder: await testEmbedder() });
  });
  afterAll(async () => { await database?.close(); });

  async function publish(by: 'a' | 'b', title: string, serviceArea = 'housing'): Promise<string> {
    const editor = people[by].editor.viewer;
    const draft = await problems.create(editor, { title, summary: 'Written for the consumer tests.', serviceArea });
    await problems.publish(editor, draft.id);
    return draft.id;
  }
  async function append(...events: NewEvent[]): Promise<number[]> {
    return db.transaction().execute(async (trx) => {
      const positions: number[] = [];
      for (const event of events) positions.push(await appendEvent(trx, event));
      return positions;
    });
  }
  /** Every event after `after`, as the runtime hands a batch to a consumer. */
  const batchAfter = (after: number) => readEventsAfter(db, after, 10_000);
  const indexed = async () => (await db.selectFrom('search_documents').select('id').orderBy('id').execute()).map((r) => r.id);
  const publishedOf = async (councilId: string) => (await db.selectFrom('problems').select('id').where('council_id', '=', councilId)
    .where('visibility', '=', 'published').where('status', '<>', 'archived').orderBy('id').execute()).map((r) => r.id);

  it('keeps the names its cursors are stored under, or a deployed hub would start them afresh', () => {
    const names = [
      createSearchIndexer({ db, engine: search }).name,
      createWebhookFanout({ db, onQueued: () => {} }).name,
      createNotificationsConsumer({ db, engine: search, onAdded: () => {}, queueEmail: false }).name,
    ];
    expect(names).toEqual(['search-indexer', 'webhooks', 'notifications']);
  });

  describe('search indexer', () => {
    const calls: string[] = [];
    const indexer = () => createSearchIndexer({ db, engine: recordingEngine(search, calls) });
    const handle = async (events: readonly StoredEvent[]) => {
      calls.length = 0;
      await indexer().handle(events, async () => { calls.push('midBatch'); });
      return [...calls];
    };

    it('prepares the engine\'s settings before its first batch', async () => {
      calls.length = 0;
      await indexer().prepare!();
      expect(calls).toEqual(['ensureSettings']);
    });

    it('writes each changed item once, as it is now: deletes first, then the middle, then upserts', async () => {
      const gone = await publish('a', 'Missed bin collections');
      // Council b has a document too, which only a change to council b would rewrite.
      await publish('b', 'Library book returns');
      await handle(await batchAfter(0));
      expect(await indexed()).toContain(gone);

      const before = await headPosition(db);
      await problems.archive(people.a.editor.viewer, gone);
      const fresh = await publish('a', 'Bulky waste bookings');
      // The same item twice more, and events about subjects the index does not hold.
      await append(
        { type: 'problem.updated', subjectType: 'problem', subjectId: fresh, councilId: people.a.council.id, visibility: 'published', payload: {} },
        { type: 'member.updated', subjectType: 'member', subjectId: people.a.member.id, councilId: people.a.council.id, visibility: 'published', payload: {} },
        { type: 'council.created', subjectType: 'council', subjectId: people.b.council.id, councilId: people.b.council.id, visibility: 'published', payload: {} },
      );
      expect(await handle(await batchAfter(before))).toEqual([`delete ${gone}`, 'midBatch', `upsert ${fresh}`]);
      expect(await indexed()).toContain(fresh);
      expect(await indexed()).not.toContain(gone);
    });

    it('writes nothing but the middle for a batch that touches no indexed item', async () => {
      const before = await headPosition(db);
      await append({ type: 'member.added', subjectType: 'member', subjectId: people.b.member.id, councilId: people.b.council.id, visibility: 'published', payload: {} });
      expect(await handle(await batchAfter(before))).toEqual(['delete ', 'midBatch', 'upsert ']);
    });

    it.each([
      [['name'], true],
      [['region', 'systems'], true],
      [['systems', 'name'], true],
      [undefined, true],
      ['systems', true],
      // Only a list names fields; an object that merely looks like one does not.
      [{ 0: 'systems', length: 1 }, true],
      [['systems'], false],
    ] as const)('rewrites every document of a council whose %j changed: %s', async (changed, rewritten) => {
      await publish('b', `Council tax reminders ${randomUUID().slice(0, 8)}`);
      const before = await headPosition(db);
      await append({
        type: 'council.updated', subjectType: 'council', subjectId: people.b.council.id, councilId: people.b.council.id, visibility: 'published',
        payload: changed === undefined ? {} : { changed },
      });
      const ids = rewritten ? (await publishedOf(people.b.council.id)).join(',') : '';
      expect(await handle(await batchAfter(before))).toEqual(['delete ', 'midBatch', `upsert ${ids}`]);
    });
  });

  describe('webhook fan-out', () => {
    const published = (positionOf: () => string, visibility: 'published' | 'draft' = 'published'): NewEvent =>
      ({ type: 'problem.published', subjectType: 'problem', subjectId: positionOf(), councilId: people.a.council.id, visibility, payload: {} });
    async function endpoint(fromPosition: number, eventTypes = ['problem.published'], active = true): Promise<string> {
      const row = await db.insertInto('webhook_endpoints').values({
        council_id: people.a.council.id, url: `https://receiver-${randomUUID().slice(0, 8)}.example.gov.uk/hook`, event_types: eventTypes, active, from_position: fromPosition,
      }).returning('id').executeTakeFirstOrThrow();
      return row.id;
    }
    const deliveries = (endpointId: string) => db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId)
      .orderBy('event_position').execute();
    function fanout() {
      const queued: number[] = [];
      const consumer = createWebhookFanout({ db, onQueued: () => queued.push(1) });
      return { consumer, queued };
    }

    it('queues each published event for every endpoint that takes it and registered before it, paused ones too', async () => {
      const start = await headPosition(db);
      const [first, second] = await append(published(randomUUID), published(randomUUID), published(randomUUID, 'draft'));
      const all = await endpoint(start);
      const late = await endpoint(first!);
      const paused = await endpoint(start, ['problem.published'], false);
      const other = await endpoint(start, ['solution.published']);
      const { consumer, queued } = fanout();
      const before = Date.now();
      await consumer.handle(await batchAfter(start), async () => { throw new Error('one chunk has no middle'); });

      const rows = await deliveries(all);
      expect(rows.map((d) => [Number(d.event_position), d.status, d.attempts])).toEqual([[first, 'pending', 0], [second, 'pending', 0]]);
      expect(rows[0]!.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      expect(rows[0]!.next_attempt_at!.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
      expect(new Set(rows.map((d) => d.webhook_id)).size).toBe(2);
      expect((await deliveries(late)).map((d) => Number(d.event_position))).toEqual([second]);
      expect((await deliveries(paused)).map((d) => Number(d.event_position))).toEqual([first, second]);
      expect(await deliveries(other)).toEqual([]);
      expect(queued).toEqual([1]);

      // A replay of the batch queues nothing twice and keeps each delivery's webhook-id.
      await consumer.handle(await batchAfter(start), async () => {});
      expect((await deliveries(all)).map((d) => d.webhook_id)).toEqual(rows.map((d) => d.webhook_id));
      await db.deleteFrom('webhook_endpoints').where('id', 'in', [all, late, paused, other]).execute();
    });

    it('rings nobody for a batch of drafts, or of events no endpoint takes', async () => {
      const start = await headPosition(db);
      const only = await endpoint(start, ['solution.published']);
      const { consumer, queued } = fanout();
      await append(published(randomUUID, 'draft'));
      await consumer.handle(await batchAfter(start), async () => {});
      const drafts = await headPosition(db);
      await append(published(randomUUID));
      await consumer.handle(await batchAfter(drafts), async () => {});
      expect(await deliveries(only)).toEqual([]);
      expect(queued).toEqual([]);
      await db.deleteFrom('webhook_endpoints').where('id', '=', only).execute();
    });

    it('inserts a large batch 1,000 rows at a time, with the middle between inserts', async () => {
      const start = await headPosition(db);
      const endpoints: string[] = [];
      for (let i = 0; i < 8; i++) endpoints.push(await endpoint(start));
      // 8 endpoints × 250 events = 2,000 rows: two full inserts, and no third, empty one.
      const positions = await append(...Array.from({ length: 250 }, () => published(randomUUID)));
      const { consumer, queued } = fanout();
      const queuedRows = () => db.selectFrom('webhook_deliveries').select(['endpoint_id', 'event_position']).where('endpoint_id', 'in', endpoints).execute();
      let atMiddle: Awaited<ReturnType<typeof queuedRows>> = [];
      let middles = 0;
      await consumer.handle(await batchAfter(start), async () => { middles++; atMiddle = await queuedRows(); });
      expect(middles).toBe(1);
      // The first insert holds the first 125 events for every endpoint: rows go in position
      // order, so no endpoint's later event is queued before an earlier one.
      expect(atMiddle).toHaveLength(1_000);
      expect(Math.max(...atMiddle.map((d) => Number(d.event_position)))).toBe(positions[124]);
      expect((await queuedRows())).toHaveLength(2_000);
      expect(queued).toEqual([1]);
      await db.deleteFrom('webhook_endpoints').where('id', 'in', endpoints).execute();
    });
  });

  describe('notifications', () => {
    const added: number[] = [];
    const consumer = (queueEmail: boolean) =>
      createNotificationsConsumer({ db, engine: search, onAdded: () => added.push(1), queueEmail });
    const inbox = async (memberId: string, after: number) => (await db.selectFrom('notifications').select(['event_position', 'follow_id'])
      .where('member_id', '=', memberId).where('event_position', '>', after).orderBy('event_position').execute());
    const emails = async (memberId: string, after: number) => (await db.selectFrom('email_sends').select(['key', 'kind', 'from_position', 'to_position'])
      .where('member_id', '=', memberId).where('from_position', '>', after).orderBy('from_position').execute())
      .map((e) => [e.key, e.kind, Number(e.from_position), Number(e.to_position)]);
    const publishedPosition = async (id: string) => Number((await db.selectFrom('outbox_events').select('position')
      .where('subject_id', '=', id).where('type', '=', 'problem.published').executeTakeFirstOrThrow()).position);

    it('waits for the search index: its horizon is the indexer\'s cursor', async () => {
      const cursor = await readCursor(db, SEARCH_INDEXER);
      const head = await headPosition(db);
      await advanceCursor(db, cursor, head);
      expect(await consumer(false).horizon!()).toBe(head);
    });

    it('adds one inbox row per follower and event, once, and emails only what is due now and only in this batch', async () => {
      const follows = createFollowService({ db });
      const follower = people.b.member;
      const instant = await follows.follow(follower.viewer, { serviceArea: 'waste', email: 'immediate' });
      await follows.follow(people.b.editor.viewer, { serviceArea: 'waste', email: 'daily' });
      const start = await headPosition(db);

      // An earlier batch, handled without email: its rows must not be emailed later.
      const earlier = await publish('a', 'Fly-tipping on the ring road', 'waste');
      await consumer(false).handle(await batchAfter(start), async () => {});
      expect((await inbox(follower.id, start)).map((n) => n.event_position)).toEqual([await publishedPosition(earlier)]);
      expect(await emails(follower.id, start)).toEqual([]);
      expect(added).toEqual([1]);

      const middle = await headPosition(db);
      const ids = [await publish('a', 'Clinical waste collections', 'waste'), await publish('a', 'Garden waste permits', 'waste')];
      await publish('a', 'Housing repairs backlog', 'housing');
      const batch = await batchAfter(middle);
      await consumer(true).handle(batch, async () => {});
      const positions = [await publishedPosition(ids[0]!), await publishedPosition(ids[1]!)];
      expect(await inbox(follower.id, middle)).toEqual(positions.map((p) => ({ event_position: p, follow_id: instant.id })));
      expect((await inbox(people.b.editor.id, middle)).map((n) => n.event_position)).toEqual(positions);
      expect(await emails(follower.id, start)).toEqual(positions.map((p) => [`immediate:${follower.id}:${p}`, 'immediate', p, p]));
      expect(await emails(people.b.editor.id, start)).toEqual([]);
      expect(added).toEqual([1, 1]);

      // A replay adds nothing.
      await consumer(true).handle(batch, async () => {});
      expect(await inbox(follower.id, middle)).toHaveLength(2);
      expect(await emails(follower.id, start)).toHaveLength(2);
    });

    it('adds nothing and rings nobody for a batch nobody follows', async () => {
      const start = await headPosition(db);
      added.length = 0;
      await publish('b', 'Local plan consultation', 'democracy');
      await consumer(true).handle(await batchAfter(start), async () => {});
      expect(added).toEqual([]);
      expect(Number((await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('event_position', '>', start).executeTakeFirstOrThrow()).n)).toBe(0);
    });
  });
});
