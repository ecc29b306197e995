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
