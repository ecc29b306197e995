import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Viewer } from '../../server/auth/viewer.js';
import type { EventType, StoredEvent } from '../../server/events/catalogue.js';
import { canSeeEvent, eventConditions, matchesFilter, type EventFilter } from '../../server/events/filter.js';
import { appendEvent, toStoredEvent } from '../../server/events/outbox.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil, createMember } from '../support/factories.js';

// Live events are filtered in JavaScript, replays and the events query in SQL: a subscriber
// crossing the seam must get the same answer from both.
describe.each(testDatabases())('event filters agree in JavaScript and SQL on $engine', (engine) => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await engine.create(); });
  afterAll(async () => { await database?.close(); });

  it('selects the same events for every combination of filter and viewer', async () => {
    const { db } = database;
    const councils = [await createCouncil(db), await createCouncil(db)];
    const [editor, admin, other] = [
      await createMember(db, councils[0]!.id), await createMember(db, councils[0]!.id, 'admin'), await createMember(db, councils[1]!.id),
    ];
    const viewers: Viewer[] = [ANONYMOUS, editor.viewer, admin.viewer, other.viewer];
    const subjects = [randomUUID(), randomUUID(), randomUUID()];
    const types: EventType[] = ['problem.created', 'problem.published', 'comment.added', 'council.updated'];
    const start = Number((await db.selectFrom('outbox_events').select((e) => e.fn.max('position').as('p')).executeTakeFirst())?.p ?? 0);
    let n = 0;
    for (const type of types) {
      for (const council of councils) {
        for (const visibility of ['draft', 'published'] as const) {
          n++;
          await db.transaction().execute((trx) => appendEvent(trx, {
            type, subjectType: type === 'comment.added' ? 'comment' : type === 'council.updated' ? 'council' : 'problem',
            subjectId: type === 'comment.added' ? randomUUID() : subjects[n % 3]!,
            target: type === 'comment.added' ? { type: 'problem', id: subjects[n % 3]! } : undefined,
            councilId: council.id, visibility,
            payload: type === 'council.updated' ? {} : {
              serviceArea: n % 2 ? 'waste' : 'housing', tags: n % 3 ? ['bins', `t${n % 4}`] : [],
              // Events recorded before the facets were added carry none of them.
              ...(n % 5 ? { region: n % 2 ? 'South East' : 'Wales', councilKind: n % 3 ? 'unitary' : 'county', phase: n % 4 ? 'live' : 'beta', outcome: n % 3 ? 'worked' : null } : {}),
            },
          }));
        }
      }
    }
    // Council drafts that only some members see: tokens (their owner and admins) and
    // webhook endpoints (admins).
    const tokenTypes = ['api_token.created', 'api_token.revoked'] as const;
    const endpointTypes = ['webhook_endpoint.created', 'webhook_endpoint.updated', 'webhook_endpoint.secret_rotated',
      'webhook_endpoint.disabled', 'webhook_endpoint.deleted'] as const;
    for (const member of [editor, admin]) {
      for (const type of tokenTypes) {
        await db.transaction().execute((trx) => appendEvent(trx, {
          type, subjectType: 'api_token', subjectId: randomUUID(),
          councilId: councils[0]!.id, visibility: 'draft', payload: { memberId: member.id, label: 'CRM' },
        }));
      }
    }
    for (const type of endpointTypes) {
      await db.transaction().execute((trx) => appendEvent(trx, {
        type, subjectType: 'webhook_endpoint', subjectId: randomUUID(), councilId: councils[0]!.id, visibility: 'draft', payload: {},
      }));
    }
    const all: StoredEvent[] = (await db.selectFrom('outbox_events').selectAll().where('position', '>', start).orderBy('position').execute()).map(toStoredEvent);
    const filters: EventFilter[] = [
      {}, { types: ['problem.published'] }, { types: ['comment.added', 'council.updated'] },
      { councilIds: [councils[1]!.id] }, { serviceAreas: ['waste'] }, { serviceAreas: ['housing', 'waste'] },
      { tags: ['bins'] }, { tags: ['t1', 't3'] }, { subjectIds: [subjects[0]!] }, { subjectIds: [subjects[1]!, subjects[2]!] },
      { types: ['problem.created'], serviceAreas: ['waste'], tags: ['t2'], councilIds: [councils[0]!.id] },
      { types: [], tags: [], councilIds: null },
      { regions: ['Wales'] }, { regions: ['South East', 'Wales'], councilKinds: ['county'] }, { phases: ['beta'] }, { outcomes: ['worked'] },
      { types: ['problem.published'], regions: ['South East'], phases: ['live', 'beta'], serviceAreas: ['waste'] },
    ];
    for (const viewer of viewers) {
      for (const filter of filters) {
        const inJs = all.filter((e) => canSeeEvent(viewer, e) && matchesFilter(e, filter)).map((e) => e.position);
        const inSql = (await db.selectFrom('outbox_events').select('position').where('position', '>', start)
          .where(eventConditions(viewer, filter)).orderBy('position').execute()).map((r) => r.position);
        expect(inSql, `${viewer.kind} ${JSON.stringify(filter)}`).toEqual(inJs);
      }
    }
    const seen = (viewer: Viewer) => all.filter((e) => canSeeEvent(viewer, e) && e.type !== 'problem.created'
      && e.type !== 'problem.published' && e.type !== 'comment.added' && e.type !== 'council.updated').map((e) => e.type);
    // A member sees the events of their own tokens and of no webhook endpoint; an admin, all.
    expect(seen(editor.viewer)).toEqual([...tokenTypes]);
    expect(seen(admin.viewer)).toEqual([...tokenTypes, ...tokenTypes, ...endpointTypes]);
    expect(seen(other.viewer)).toEqual([]);
    // The filters are not vacuous: each narrows the set for the anonymous viewer differently.
    const sizes = filters.map((f) => all.filter((e) => canSeeEvent(ANONYMOUS, e) && matchesFilter(e, f)).length);
    expect(new Set(sizes).size).toBeGreaterThanOrEqual(5);
  });
});
