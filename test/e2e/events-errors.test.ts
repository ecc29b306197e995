import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeAfterEach, subscribeSse, subscribeWs, type TestSubscription } from '../support/subscribers.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// `council` is read when each event executes; the test breaks that read in the database.
const PROBLEM_PUBLISHED = 'subscription { problemPublished { position subjectId council { name } } }';
const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`;
const PUBLISH = `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`;

describe.each(testDatabases())('a subscription whose execution fails, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const track = closeAfterEach();

  // A database of its own (as every file has): the test renames a column under the running hub.
  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  async function publishProblem(title: string): Promise<string> {
    const created = await hub.gql(CREATE, {
      input: { title, summary: 'Residents report it by phone and we re-key it.', serviceArea: 'WASTE', tags: ['bins'] },
    }, people.a.editor.token);
    expect(created.errors).toBeUndefined();
    const id = created.data.createProblem.problem.id as string;
    const published = await hub.gql(PUBLISH, { id }, people.a.editor.token);
    expect(published.errors).toBeUndefined();
    return id;
  }

  it('masks the error on both transports (no SQL, a stable code) and keeps the stream going', async () => {
    const subscribers: TestSubscription[] = [
      track(subscribeWs(hub.url, PROBLEM_PUBLISHED)),
      track(subscribeSse(hub.url, PROBLEM_PUBLISHED)),
    ];
    await Promise.all(subscribers.map((s) => s.ready));
    await waitFor(() => hub.app.tail.listenerCount === 2, { what: 'both subscribers to attach' });

    const first = await publishProblem('Missed bin reports arrive by phone');
    await waitFor(() => subscribers.every((s) => s.received.length === 1), { what: 'the first event' });

    // Every council read now fails inside the database, as after a bad deployment.
    await sql`alter table councils rename column name to name_gone`.execute(database.db);
    const second = await publishProblem('Bulky waste bookings are re-keyed');
    await waitFor(() => subscribers.every((s) => s.errors.length === 1), { what: 'the failed event' });
    await sql`alter table councils rename column name_gone to name`.execute(database.db);
    const third = await publishProblem('Garden waste renewals are on paper');
    await waitFor(() => subscribers.every((s) => s.received.length === 2), { what: 'the event after the failure' });

    for (const subscriber of subscribers) {
      expect(subscriber.errors).toHaveLength(1);
      expect(subscriber.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(subscriber.errors.map((e: any) => [e.message, e.extensions]))).not.toMatch(/name_gone|column|select|at .*\.(ts|js)/i);
      expect(subscriber.received.map((d) => d.problemPublished.subjectId)).toEqual([first, third]);
      expect(subscriber.ended).toBe(false);
    }
    // The event that failed is the one published while the column was gone: the stream
    // skipped exactly that position, between the two it delivered.
    const titles = ['Missed bin reports arrive by phone', 'Bulky waste bookings are re-keyed', 'Garden waste renewals are on paper'];
    const rows = await database.db.selectFrom('outbox_events').innerJoin('problems', 'problems.id', 'outbox_events.subject_id')
      .select(['problems.title', 'outbox_events.position']).where('outbox_events.type', '=', 'problem.published').where('problems.title', 'in', titles).execute();
    const [p1, p2, p3] = titles.map((title) => rows.find((row) => row.title === title)!.position);
    expect(second).not.toBe(first);
    expect(p1).toBeLessThan(p2!);
    expect(p2).toBeLessThan(p3!);
    for (const subscriber of subscribers) expect(subscriber.received.map((d) => d.problemPublished.position)).toEqual([p1, p3]);
  });
});
