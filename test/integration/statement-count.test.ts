import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCouncil, createMember, type TestMember } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createStatementCounter } from '../support/statement-counter.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A page of 100 problems with their council, author and counts must cost a fixed number of
 * statements, however many councils and authors it spans: one for the page with its owning
 * councils joined, and one batched load of members (DataLoader), plus the token lookup when
 * there is one.
 */
const PAGE = `{ problems(first: 100) { edges { node {
  id title council { name slug } author { name } supporterCount adoptionCount solutionCount
} } } }`;

const COUNCILS = 6;
const PROBLEMS = 150;

describe.each(testDatabases())('statements per page of problems on $engine', (engine) => {
  // Statements are attributed to the request that caused them, not to background work.
  const counter = createStatementCounter();
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let member: TestMember;
  const expected = new Map<string, { council: string; author: string; supporterCount: number; adoptionCount: number }>();

  beforeAll(async () => {
    database = await engine.create({ onQuery: counter.onQuery });
    hub = await startTestApp(database);
    counter.attach(hub);
    const { db } = database;

    const councils = [];
    for (let i = 0; i < COUNCILS; i++) {
      const council = await createCouncil(db);
      councils.push({ ...council, authors: [await createMember(db, council.id), await createMember(db, council.id)] });
    }
    member = councils[0]!.authors[0]!;
    const memberNames = new Map((await db.selectFrom('members').select(['id', 'name']).execute()).map((m) => [m.id, m.name]));

    const start = Date.now() - PROBLEMS * 1000;
    for (let i = 0; i < PROBLEMS; i++) {
      const owner = councils[i % COUNCILS]!;
      const author = owner.authors[Math.floor(i / COUNCILS) % 2]!;
      const supporters = councils.filter((c) => c.id !== owner.id).slice(0, i % COUNCILS);
      const adoptionCount = i % 4;
      const { id } = await db.insertInto('problems').values({
        council_id: owner.id, author_id: author.id, title: `Problem ${i}`, summary: 'A summary', body: '',
        service_area: 'housing', tags: [], visibility: 'published', published_at: new Date(start + i * 1000),
        created_at: new Date(start + i * 1000), supporter_count: supporters.length, adoption_count: adoptionCount,
      }).returning('id').executeTakeFirstOrThrow();
      for (const supporter of supporters) {
        await db.insertInto('problem_supporters')
          .values({ problem_id: id, council_id: supporter.id, member_id: supporter.authors[0]!.id }).execute();
      }
      expected.set(`Problem ${i}`, { council: owner.slug, author: memberNames.get(author.id)!, supporterCount: supporters.length, adoptionCount });
    }
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  async function countedPage(token?: string) {
    const { body, statements } = await counter.request(hub, PAGE, {}, token);
    expect(body.errors).toBeUndefined();
    return { nodes: body.data.problems.edges.map((e: any) => e.node), statements };
  }

  function expectFullPage(nodes: any[]) {
    expect(nodes).toHaveLength(100);
    for (const node of nodes) {
      const want = expected.get(node.title)!;
      expect(node.council.slug).toBe(want.council);
      expect(node.author.name).toBe(want.author);
      expect(node.supporterCount).toBe(want.supporterCount);
      expect(node.adoptionCount).toBe(want.adoptionCount);
      expect(node.solutionCount).toBe(0);
    }
    expect(new Set(nodes.map((n) => n.council.slug)).size).toBe(COUNCILS);
    expect(new Set(nodes.map((n) => n.author.name)).size).toBe(COUNCILS * 2);
  }

  it('costs 2 statements anonymously: the page with its councils, and its authors', async () => {
    const { nodes, statements } = await countedPage();
    expectFullPage(nodes);
    expect(tablesOf(statements)).toEqual(['problems', 'members']);
    expect(statements[0]).toMatch(/join "councils"/);
  });

  it('costs 1 more with a token, plus 1 when last_used_at is due (at most once a minute)', async () => {
    await database.db.updateTable('api_tokens').set({ last_used_at: null }).execute();
    const first = await countedPage(member.token);
    expectFullPage(first.nodes);
    expect(tablesOf(first.statements)).toEqual(['api_tokens', 'api_tokens', 'problems', 'members']);
    expect(first.statements[1]).toMatch(/^update "api_tokens" set "last_used_at"/);

    const second = await countedPage(member.token);
    expectFullPage(second.nodes);
    expect(tablesOf(second.statements)).toEqual(['api_tokens', 'problems', 'members']);
  });
});

/**
 * Publishing is the hot write: every subscriber waits behind it, and each statement costs the
 * hub a round trip's CPU. One statement each for the token, the transaction's ends, the graph
 * lock (shared: see publishLinked), the guarded update (which also returns the linked
 * solutions' ids) and the event (which takes the outbox lock itself). A problem with links
 * finds them in that update, rolls back and runs again holding the graph lock exclusively,
 * with one more statement to recount them. The doorbell NOTIFY after the commit, and the
 * event tail's read it wakes, are left out: both are coalesced across requests (a burst of
 * publishes costs two of each), so they are no one request's.
 */
describe.each(testDatabases())('statements per publishProblem on $engine', (engine) => {
  const counter = createStatementCounter();
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let editor: TestMember;

  beforeAll(async () => {
    database = await engine.create({ onQuery: counter.onQuery });
    hub = await startTestApp(database);
    counter.attach(hub);
    editor = await createMember(database.db, (await createCouncil(database.db)).id, 'editor');
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const PUBLISH = 'mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename ... on PublishProblemPayload { problem { visibility } } } }';

  async function countedPublish(problemId: string) {
    // The token's last use was just recorded by the set-up, so no last_used_at write is due.
    await database.db.updateTable('api_tokens').set({ last_used_at: new Date() }).execute();
    const { body, statements } = await counter.request(hub, PUBLISH, { id: Buffer.from(`Problem:${problemId}`).toString('base64url') }, editor.token);
    expect(body.errors).toBeUndefined();
    expect(body.data.publishProblem.problem.visibility).toBe('PUBLISHED');
    return statements.map(kindOf).filter((kind) => kind !== 'select pg_notify' && kind !== 'select outbox_events');
  }

  // PGlite's transactions begin and commit inside PGlite, so Kysely logs no statement for them.
  const onEngine = (kinds: string[]) => kinds.filter((kind) => engine.engine === 'postgres' || !['begin', 'commit', 'rollback'].includes(kind));

  it('costs 6 statements for a problem with no links (4 logged on PGlite)', async () => {
    const problem = await hub.app.services.problems.create(editor.viewer, { title: 'Fly-tipping reports re-keyed', summary: 'Reports come in by phone.', serviceArea: 'waste' });
    expect(await countedPublish(problem.id)).toEqual(onEngine(['select api_tokens',
      'begin', 'select pg_advisory_xact_lock_shared', 'update problems', 'insert outbox_events', 'commit']));
  });

  it('costs 11 (7 on PGlite) for a problem linked to solutions: a rolled-back shared attempt, then an exclusive one that recounts', async () => {
    const { problems, solutions } = hub.app.services;
    const problem = await problems.create(editor.viewer, { title: 'Missed bins chased by phone', summary: 'Crews cannot see reports.', serviceArea: 'waste' });
    const input = { title: 'In-cab missed bin app', summary: 'Crews see reports live.', serviceArea: 'waste', kind: 'software', phase: 'live' };
    for (let i = 0; i < 2; i++) {
      const solution = await solutions.publish(editor.viewer, (await solutions.create(editor.viewer, input)).id);
      await solutions.linkSolutionToProblem(editor.viewer, solution.id, problem.id);
    }
    expect(await countedPublish(problem.id)).toEqual(onEngine(['select api_tokens',
      'begin', 'select pg_advisory_xact_lock_shared', 'update problems', 'rollback',
      'begin', 'select pg_advisory_xact_lock', 'update problems', 'update solutions', 'insert outbox_events', 'commit']));
    const counts = await database.db.selectFrom('solutions').select('problem_count').execute();
    expect(counts.map((c) => c.problem_count)).toEqual([1, 1]);
  });
});

/** A statement as its command and the table it writes or first reads, e.g. "update problems". */
function kindOf(sql: string): string {
  const command = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? sql;
  const target = command === 'update' ? /^\s*update\s+"?(\w+)/i.exec(sql)?.[1]
    : command === 'insert' ? /^\s*insert\s+into\s+"?(\w+)/i.exec(sql)?.[1]
    : command === 'select' ? (/^\s*select\s+(\w+)\(/i.exec(sql) ?? /\bfrom\s+"?(\w+)/i.exec(sql))?.[1]
    : undefined;
  return target ? `${command} ${target}` : command;
}

/**
 * The table each statement reads or writes first, e.g. "problems". The two loaders run
 * concurrently on PostgreSQL's pool, so their statements are put in a fixed order.
 */
function tablesOf(statements: string[]): string[] {
  const tables = statements.map((sql) => /(?:from|update|into)\s+"?(\w+)"?/i.exec(sql)?.[1] ?? sql);
  const loaded = tables.filter((t) => t === 'councils' || t === 'members').sort();
  return [...tables.filter((t) => t !== 'councils' && t !== 'members'), ...loaded];
}
