import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { SearchDocument, SearchEngine } from '../../server/search/engine.js';
import { createPostgresEngine } from '../../server/search/postgres-engine.js';
import { postgresDatabase, testDatabases } from '../support/databases.js';
import { searchEngineContract } from './search-engine-contract.js';
import { testEmbedder } from '../support/embedder.js';

describe.each(testDatabases())('the Postgres search engine on $engine', (engine) => {
  searchEngineContract(async () => {
    const database = await engine.create();
    return { engine: createPostgresEngine(database.db, { embedder: await testEmbedder() }), close: () => database.close() };
  });
});

// Concurrent writers need more than PGlite's one connection.
describe('the Postgres engine\'s vector index on PostgreSQL', () => {
  it('finds a document whose writer began before a catch-up and committed after a later writer was seen', async () => {
    const database = await postgresDatabase.create();
    try {
      const embedder = await testEmbedder();
      const reader = createPostgresEngine(database.db, { embedder });
      const writer = createPostgresEngine(database.db, { embedder });
      const similar = (text: string) => reader.moreLikeThis({ text, limit: 5 }).then((hits) => hits.map((h) => h.document.title));
      await writer.upsert([doc('Street lights left on all day', 'Lamps burn in daylight across the district')]);
      expect(await similar('street lamps lit in daylight')).toContain('Street lights left on all day');

      // Another session holds the word the slow writer will record uncommitted, so that
      // writer's transaction stays open after it wrote its document (and took its xid).
      const blocker = await database.db.connection().execute(async (conn) => {
        await sql`begin`.execute(conn);
        await sql`insert into search_words (word) values ('fortnightly')`.execute(conn);
        const slow = writer.upsert([doc('Fortnightly bin collections missed', 'Fortnightly rounds skip whole streets of bins')]);
        await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(database.db)).rows[0]!.n > 0);
        // A later writer commits and is seen by a catch-up while the slow one is still open.
        await writer.upsert([doc('Potholes reported twice', 'Road defects logged on two channels')]);
        expect(await similar('road defects reported on two channels')).toContain('Potholes reported twice');
        await sql`rollback`.execute(conn);
        return slow;
      });
      await blocker;
      expect(await similar('bins missed on fortnightly rounds')).toContain('Fortnightly bin collections missed');
    } finally {
      await database.close();
    }
  });
});

describe.each(testDatabases())('the Postgres engine\'s vector index on $engine', (engine) => {
  it('drops a deleted document, also in a process that had read it, so it no longer takes a nearest place', async () => {
    const database = await engine.create();
    try {
      const embedder = await testEmbedder();
      // Two engines on one database: the reader stands for another server process.
      const reader = createPostgresEngine(database.db, { embedder });
      const writer = createPostgresEngine(database.db, { embedder });
      const nearest = (text: string) => reader.moreLikeThis({ text, limit: 1 }).then((hits) => hits.map((h) => h.document.title));
      const duplicate = doc('Missed bin reports typed in twice', 'Crews get missed bin reports keyed in by hand twice');
      await writer.upsert([duplicate, doc('Missed bins reported by phone', 'Residents ring about missed bins and staff key them in')]);
      expect(await nearest('missed bin reports keyed in twice by hand')).toEqual(['Missed bin reports typed in twice']);
      await writer.delete([duplicate.id]);
      // Without the deletion, the one nearest place goes to a document no longer there: no result.
      expect(await nearest('missed bin reports keyed in twice by hand')).toEqual(['Missed bins reported by phone']);
      // A rebuild that leaves a document out deletes it the same way.
      const rebuild = await writer.beginRebuild();
      await rebuild.upsert([doc('Garden waste renewals by post', 'Subscriptions renewed on paper forms')]);
      await rebuild.finish();
      expect(await nearest('missed bin reports keyed in twice by hand')).toEqual(['Garden waste renewals by post']);
    } finally {
      await database.close();
    }
  });
});

describe.each(testDatabases())('the Postgres engine\'s ranking on $engine', (engine) => {
  /** A fresh database and engine for one test, closed after it. */
  const onFreshEngine = async (test: (search: SearchEngine) => Promise<void>) => {
    const database = await engine.create();
    try {
      await test(createPostgresEngine(database.db, { embedder: await testEmbedder() }));
    } finally {
      await database.close();
    }
  };

  it('puts the items with every word first on every page, also those that rank lower on words alone', () => onFreshEngine(async (search) => {
    // "street" is in most documents (a common word), "pothole" in few (a rare one). Titles
    // full of potholes outrank, on words alone, the items that have both words once each.
    const both = [1, 2, 3].map((i) => doc(`Report ${i} from the highways team`, `A pothole in the street outside number ${i}`));
    const loud = [1, 2, 3, 4, 5, 6].map((i) => doc(`Pothole pothole pothole ${i}`, `Pothole after pothole on route ${i}`));
    const common = Array.from({ length: 40 }, (_, i) => doc(`Lighting note ${i}`, `The street lamp ${i} flickers`));
    await search.upsert([...both, ...loud, ...common]);
    const ids = async (offset: number, limit: number) =>
      (await search.search({ query: 'pothole street', offset, limit, semanticRatio: 0 })).hits.map((h) => h.document.id);
    const whole = await ids(0, 50);
    expect(whole).toHaveLength(both.length + loud.length);
    expect(whole.slice(0, 3).sort()).toEqual(both.map((d) => d.id).sort());
    // Each page is ranked on its own: pages of two, one after another, give the same list.
    const paged: string[] = [];
    for (let offset = 0; offset < whole.length + 2; offset += 2) paged.push(...await ids(offset, 2));
    expect(paged).toEqual(whole);
  }));

  it('puts the items with every word in their title before those with the words elsewhere, unless meaning is asked for most', () => onFreshEngine(async (search) => {
    const titled = doc('Missed bin reports reach crews a day late', 'Crews hear about reports from the contact centre the next morning.');
    // The words more often, and in a text nearer "missed bins" in meaning, but not both in the title.
    const loud = doc('In-cab devices on every bin wagon', 'Missed bins fall when crews see missed bin reports in the cab: missed bins, bins, bins.');
    await search.upsert([titled, loud, doc('Street lighting faults', 'Lamps flicker on the ring road.')]);
    const ids = async (semanticRatio?: number) =>
      (await search.search({ query: 'missed bins', offset: 0, limit: 5, ...(semanticRatio === undefined ? {} : { semanticRatio }) })).hits.map((h) => h.document.id);
    for (const ratio of [undefined, 0]) expect((await ids(ratio)).slice(0, 2), String(ratio)).toEqual([titled.id, loud.id]);
    // Asking mostly for meaning, the nearer text leads: the title's bonus is the words' share.
    const [nearest] = await search.moreLikeThis({ text: 'missed bins', limit: 1 });
    expect(nearest?.document.id).toBe(loud.id);
    expect((await ids(0.9))[0]).toBe(loud.id);
  }));
});

function doc(title: string, summary: string): SearchDocument {
  return {
    id: randomUUID(), kind: 'problem', councilId: randomUUID(), councilName: 'Test Council', title, summary, body: summary,
    serviceArea: 'WASTE', tags: [], status: 'open', region: 'London', councilKind: 'london_borough', phase: null, outcome: null,
    publishedAt: Date.now(), updatedAt: Date.now(),
  };
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met in 5 s');
}
