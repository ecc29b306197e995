import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionStore, type SessionStore } from '../../server/auth/sessions.js';
import { hashToken } from '../../server/auth/tokens.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils, type People } from '../support/factories.js';

const MINUTE = 60_000;

describe.each(testDatabases())('web sessions on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let people: People;
  let now = Date.parse('2026-12-05T09:00:00Z');
  let sessions: SessionStore;

  beforeAll(async () => {
    database = await engine.create();
    people = await createTwoCouncils(database.db);
    sessions = createSessionStore({ db: database.db, clock: () => now, settings: { idleMs: 30 * MINUTE, absoluteMs: 12 * 60 * MINUTE } });
  });
  afterAll(() => database?.close());

  it('stores only a hash of the id, and finds the member with their current role and council', async () => {
    const { id, csrfToken } = await sessions.start(people.a.editor.id);
    const rows = await database.db.selectFrom('web_sessions').selectAll().where('member_id', '=', people.a.editor.id).execute();
    expect(rows.map((r) => r.id_hash)).toEqual([hashToken(id)]);
    const found = await sessions.find(id);
    expect(found?.viewer).toEqual({ kind: 'member', memberId: people.a.editor.id, councilId: people.a.council.id, role: 'editor', isPlatformAdmin: false, tokenId: null });
    expect(found?.csrfToken).toBe(csrfToken);
    expect(found?.council.name).toBe(people.a.council.name);
    await database.db.updateTable('members').set({ role: 'admin' }).where('id', '=', people.a.editor.id).execute();
    expect((await sessions.find(id))?.viewer.role).toBe('admin');
    await database.db.updateTable('members').set({ role: 'editor' }).where('id', '=', people.a.editor.id).execute();
  });

  it('ends a session left idle past the idle timeout, and keeps one in use', async () => {
    const idle = await sessions.start(people.a.member.id);
    const busy = await sessions.start(people.a.member.id);
    now += 20 * MINUTE;
    expect(await sessions.find(busy.id)).not.toBeNull();
    now += 20 * MINUTE;
    expect(await sessions.find(idle.id)).toBeNull();
    expect(await sessions.find(busy.id)).not.toBeNull();
    const left = await database.db.selectFrom('web_sessions').select('id_hash').where('id_hash', '=', hashToken(idle.id)).execute();
    expect(left).toEqual([]);
  });

  it('ends a session at the absolute timeout however busy it is', async () => {
    const { id } = await sessions.start(people.b.editor.id);
    // Used every 20 minutes: never idle, yet over after 12 hours.
    for (let step = 0; step < 35; step++) {
      now += 20 * MINUTE;
      expect(await sessions.find(id)).not.toBeNull();
    }
    now += 20 * MINUTE;
    expect(await sessions.find(id)).toBeNull();
  });

  it('ends a removed member\'s sessions, one session on sign-out, and all of them everywhere', async () => {
    const one = await sessions.start(people.b.member.id);
    const two = await sessions.start(people.b.member.id);
    const admin = await sessions.start(people.b.admin.id);
    await sessions.end(one.id);
    expect(await sessions.find(one.id)).toBeNull();
    expect(await sessions.find(two.id)).not.toBeNull();
    const three = await sessions.start(people.b.member.id);
    expect(await sessions.endAllFor(people.b.member.id)).toBe(2);
    expect(await sessions.find(three.id)).toBeNull();
    expect(await sessions.find(admin.id)).not.toBeNull();

    await database.db.updateTable('members').set({ removed_at: new Date(now) }).where('id', '=', people.b.admin.id).execute();
    expect(await sessions.find(admin.id)).toBeNull();
    expect(await database.db.selectFrom('web_sessions').select('id_hash').where('member_id', '=', people.b.admin.id).execute()).toEqual([]);
  });

  it('refuses ids of the wrong shape without a query, and keeps a member to 20 sessions', async () => {
    expect(await sessions.find('short')).toBeNull();
    expect(await sessions.find(`${'x'.repeat(42)}'`)).toBeNull();
    const started = [];
    for (let i = 0; i < 22; i++) {
      now += 1_000;
      started.push(await sessions.start(people.a.admin.id));
    }
    const held = await database.db.selectFrom('web_sessions').select('id_hash').where('member_id', '=', people.a.admin.id).execute();
    expect(held).toHaveLength(20);
    expect(await sessions.find(started[0]!.id)).toBeNull();
    expect(await sessions.find(started[21]!.id)).not.toBeNull();
  });
});
