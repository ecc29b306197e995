import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../server/events/catalogue.js';
import { appendEvent, MalformedEventError } from '../../server/events/outbox.js';
import { headPosition, readEventsAfter } from '../../server/events/reader.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';

// Every reader of the outbox (event tail, consumers, replays, webhook bodies) goes through
// toStoredEvent: an event that does not fit its type is refused there, not handed on.
describe.each(testDatabases())('event payloads are checked where they are read on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let councilId: string;
  beforeAll(async () => {
    database = await engine.create();
    councilId = (await createCouncil(database.db)).id;
  });
  afterAll(async () => { await database?.close(); });

  const append = (event: Omit<NewEvent, 'councilId' | 'subjectId'>) =>
    database.db.transaction().execute((trx) => appendEvent(trx, { councilId, subjectId: randomUUID(), ...event }));

  it('reads a well-formed event with its typed payload', async () => {
    const start = await headPosition(database.db);
    await append({ type: 'api_token.created', subjectType: 'api_token', visibility: 'draft', payload: { memberId: randomUUID(), label: 'CRM' } });
    const [event] = await readEventsAfter(database.db, start, 10);
    expect(event?.type).toBe('api_token.created');
    if (event?.type !== 'api_token.created') throw new Error('unreachable');
    expect(event.payload).toMatchObject({ v: 1, label: 'CRM' });
    expect(typeof event.payload.memberId).toBe('string');
  });

  it('stamps content events, and only those, with their council\'s region and kind; keeps subject, target and visibility', async () => {
    const owner = await createCouncil(database.db, { region: 'North West', kind: 'metropolitan borough' });
    const start = await headPosition(database.db);
    const problemId = randomUUID();
    const appended: number[] = [];
    const appendFor = async (event: Omit<NewEvent, 'councilId'>) =>
      appended.push(await database.db.transaction().execute((trx) => appendEvent(trx, { councilId: owner.id, ...event })));
    await appendFor({ type: 'problem.updated', subjectType: 'problem', subjectId: problemId, visibility: 'draft', payload: { title: 'Bins' } });
    await appendFor({ type: 'solution.updated', subjectType: 'solution', subjectId: randomUUID(), visibility: 'published', payload: {} });
    await appendFor({ type: 'case_study.updated', subjectType: 'case_study', subjectId: randomUUID(), visibility: 'published', payload: {} });
    await appendFor({ type: 'council.updated', subjectType: 'council', subjectId: owner.id, visibility: 'published', payload: {} });
    const commentId = randomUUID();
    await appendFor({ type: 'comment.added', subjectType: 'comment', subjectId: commentId, target: { type: 'problem', id: problemId }, visibility: 'published', payload: {} });
    const events = await readEventsAfter(database.db, start, 10);
    const owned = { region: 'North West', councilKind: 'metropolitan borough' };
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ['problem.updated', { v: 1, title: 'Bins', ...owned }],
      ['solution.updated', { v: 1, ...owned }],
      ['case_study.updated', { v: 1, ...owned }],
      ['council.updated', { v: 1 }],
      ['comment.added', { v: 1, target: { type: 'problem', id: problemId } }],
    ]);
    const [problem, , , , comment] = events;
    expect(problem).toMatchObject({ subjectType: 'problem', subjectId: problemId, councilId: owner.id, visibility: 'draft', target: undefined });
    expect(problem!.createdAt).toBeInstanceOf(Date);
    expect(comment).toMatchObject({ subjectType: 'comment', subjectId: commentId, target: { type: 'problem', id: problemId } });
    expect(events.map((event) => event.position)).toEqual(appended);
  });

  it('refuses a row of a type it does not know, naming it', async () => {
    const row = await database.db.insertInto('outbox_events').values({
      type: 'problem.exploded', subject_type: 'problem', subject_id: randomUUID(), council_id: councilId,
      visibility: 'published', payload: JSON.stringify({ v: 1 }),
    }).returning('position').executeTakeFirstOrThrow();
    const position = Number(row.position);
    const error = await readEventsAfter(database.db, position - 1, 1).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect(error).toMatchObject({ name: 'MalformedEventError', position, message: `outbox event ${position} does not fit its type: unknown type "problem.exploded"` });
  });

  it.each<[string, Omit<NewEvent, 'councilId' | 'subjectId'>, RegExp]>([
    ['a token event whose member id is not a string', { type: 'api_token.revoked', subjectType: 'api_token', visibility: 'draft', payload: { memberId: 42 } }, /memberId/],
    ['a token event with no member id', { type: 'api_token.created', subjectType: 'api_token', visibility: 'draft', payload: { label: 'CRM' } }, /memberId/],
    ['content whose tags are not a list', { type: 'problem.published', subjectType: 'problem', visibility: 'published', payload: { tags: 'bins' } }, /tags/],
    ['an event about the wrong kind of subject', { type: 'council.updated', subjectType: 'problem', visibility: 'published', payload: {} }, /cannot be about a problem/],
  ])('refuses %s, at its position, and reads nothing past it', async (_name, event, detail) => {
    const start = await headPosition(database.db);
    const position = await append(event);
    await append({ type: 'problem.updated', subjectType: 'problem', visibility: 'published', payload: { title: 'Fine' } });
    const read = readEventsAfter(database.db, start, 10);
    await expect(read).rejects.toBeInstanceOf(MalformedEventError);
    await expect(read).rejects.toMatchObject({ position, message: expect.stringMatching(detail) });
    // The events after it are not skipped: a reader past the bad one still gets them.
    expect((await readEventsAfter(database.db, position, 10)).map((e) => e.type)).toEqual(['problem.updated']);
  });
});
