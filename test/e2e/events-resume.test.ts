import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const TOTAL = 1_000;
const EVENTS = `subscription($after: Position, $filter: EventFilterInput) {
  events(after: $after, filter: $filter) { position type subjectId } }`;

/**
 * Invariant 4: a subscriber dropped in the middle of a stream that resumes with the last
 * position it saw gets every later event once, in order, across the replay/live seam.
 */
describe.each(testDatabases())('resuming a 1,000-event stream on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  it('delivers every event exactly once, in order, to WebSocket and SSE subscribers cut off mid-stream', async () => {
    const start = hub.app.tail.position;
    const councils = [Buffer.from(`Council:${people.a.council.id}`).toString('base64url')];
    const variables = (after: number) => ({ after, filter: { types: ['PROBLEM_CREATED'], councilIds: councils } });
    const token = people.a.member.token;

    // Council B's events interleave with A's and must be filtered out on both sides of the seam.
    // PRODUCERS write at the same time, so transactions commit out of position order on
    // PostgreSQL: the stream must still have no gap and no duplicate (invariant 2).
    let produced = 0;
    const PRODUCERS = 4;
    const producing = Promise.all(Array.from({ length: PRODUCERS }, async (_, producer) => {
      for (let i = producer; i < TOTAL; i += PRODUCERS) {
        await hub.app.services.problems.create(people.a.member.viewer, {
          title: `Resume test ${i}`, summary: 'Generated for the resume test.', serviceArea: 'waste',
        });
        if (i % 50 === 0) {
          await hub.app.services.problems.create(people.b.member.viewer, { title: `Noise ${i}`, summary: 'Noise.', serviceArea: 'waste' });
        }
        // PGlite answers without real I/O, so a loop of service calls would never let the
        // event loop serve the sockets: yield, so events stream while they are produced.
        await new Promise((resolve) => setImmediate(resolve));
        produced++;
      }
    }));

    async function cutAndResume(
      name: string,
      open: (after: number) => TestSubscription,
      cut: (sub: TestSubscription) => Promise<void>,
    ): Promise<number[]> {
      const first = open(start);
      const cutAt = 150 + Math.floor(Math.random() * 500);
      await waitFor(() => first.received.length >= cutAt, { timeoutMs: 150_000, what: `${name}: ${cutAt} events before the cut` });
      await cut(first);
      console.log(`${engine.engine} ${name}: cut after ${first.received.length} events, with ${produced} of ${TOTAL} produced`);
      const before = first.received.map((d) => d.events.position as number);
      const second = open(before[before.length - 1]!);
      await waitFor(() => before.length + second.received.length >= TOTAL, { timeoutMs: 240_000, what: `${name}: the rest after resuming` });
      // Anything extra would be a duplicate: give it the chance to show up.
      await hub.app.services.problems.create(people.a.member.viewer, { title: `${name} marker`, summary: 'Marker.', serviceArea: 'waste' });
      await waitFor(() => before.length + second.received.length > TOTAL, { what: `${name}: the marker` });
      await second.close();
      expect(first.errors, name).toEqual([]);
      expect(second.errors, name).toEqual([]);
      return [...before, ...second.received.map((d) => d.events.position as number)];
    }

    const [ws, sse] = await Promise.all([
      cutAndResume('ws', (after) => subscribeWs(hub.url, EVENTS, variables(after), token),
        // An abrupt drop, as a network failure would be: no complete message is sent.
        async (sub) => { (sub as ReturnType<typeof subscribeWs>).client.terminate(); await sub.close(); }),
      cutAndResume('sse', (after) => subscribeSse(hub.url, EVENTS, variables(after), token), (sub) => sub.close()),
    ]);
    await producing;

    const expected = (await database.db.selectFrom('outbox_events').select('position')
      .where('position', '>', start).where('type', '=', 'problem.created').where('council_id', '=', people.a.council.id)
      .orderBy('position').execute()).map((r) => r.position);
    expect(expected.length).toBe(TOTAL + 2);
    for (const [name, got] of [['ws', ws], ['sse', sse]] as const) {
      // Each stream ends with its own marker and may or may not hold the other's.
      const withoutMarkers = got.slice(0, TOTAL);
      expect(withoutMarkers, `${name}: every event once, in order`).toEqual(expected.slice(0, TOTAL));
      expect(new Set(got).size, `${name}: no duplicates`).toBe(got.length);
    }
  }, 420_000); // PGlite runs every statement on one connection: slow under a loaded machine
});
