import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeilisearchEngine } from '../../server/search/meilisearch-engine.js';
import { createPostgresEngine } from '../../server/search/postgres-engine.js';
import type { SearchEngine } from '../../server/search/engine.js';
import { reindex } from '../../server/search/reindex.js';
import { seedIfEmpty } from '../../seeds/seed.js';
import { createMember } from '../support/factories.js';
import { pgliteDatabase, testDatabases, type TestDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { generateCorpus, insertCorpus } from '../support/search-corpus.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testEmbedder } from '../support/embedder.js';

const SEARCH = `query($q: String!) { search(query: $q, first: 3) { totalCount edges { node { title kind } } } }`;
const CORPUS_SIZE = 3_000;

/** Written as council staff would, alongside the seeds: the items the queries are after. */
const REALISTIC = [
  { kind: 'problem' as const, serviceArea: 'waste', tags: ['missed bins', 'contact centre'],
    title: 'Missed bin reports are re-keyed by the contact centre',
    summary: 'Residents phone in missed collections and we type them into the crew system by hand.',
    body: 'About 300 a week. Crews cannot see reports on their in-cab devices, so some are missed twice.' },
  { kind: 'solution' as const, serviceArea: 'waste', tags: ['in-cab', 'refuse'],
    title: 'In-cab tablets let refuse crews close missed bin reports on the round',
    summary: 'Crews see each reported missed collection on their round and mark it done with a photo.',
    body: 'Works with the main collection round software; residents get a text when the bin is emptied.' },
  { kind: 'case_study' as const, serviceArea: 'housing', tags: ['housing repairs', 'tenants'],
    title: 'Online housing repairs reporting cut chaser calls by 40%',
    summary: 'Tenants book repairs online and get a text when the operative is on the way.',
    body: 'We replaced three intake channels with one repairs form that writes straight into the repairs system.' },
];

const meilisearchUrl = process.env.MEILISEARCH_URL;
if (!meilisearchUrl) console.warn('\n*** SKIPPED: search relevance on Meilisearch (set MEILISEARCH_URL to run it).\n');

const setups: { name: string; database: TestDatabase; meilisearch: boolean }[] = [
  ...testDatabases().map((database) => ({ name: `Postgres search on ${database.engine}`, database, meilisearch: false })),
  { name: 'Meilisearch (MEILISEARCH_URL)', database: pgliteDatabase, meilisearch: true },
];

describe.each(setups)('search relevance on the seeds and a generated corpus: $name', (setup) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  const run = it.skipIf(setup.meilisearch && !meilisearchUrl);

  beforeAll(async () => {
    if (setup.meilisearch && !meilisearchUrl) return;
    database = await setup.database.create();
    const engine: SearchEngine = setup.meilisearch
      ? createMeilisearchEngine({ url: meilisearchUrl!, apiKey: process.env.MEILISEARCH_API_KEY, indexUid: `cc_relevance_${randomBytes(4).toString('hex')}`, embedder: await testEmbedder() })
      : createPostgresEngine(database.db, { embedder: await testEmbedder() });
    hub = await startTestApp(database, { IN_PROCESS_WORKERS: 'false' }, { searchEngine: engine });
    await seedIfEmpty({ db: database.db, transact: hub.app.transact, dataDir: `/tmp/cc-relevance-${randomBytes(4).toString('hex')}` });
    const councils = await database.db.selectFrom('councils').select('id').execute();
    const authors = [];
    for (const { id } of councils) authors.push({ councilId: id, memberId: (await createMember(database.db, id)).id });
    await insertCorpus(database.db, [...generateCorpus(CORPUS_SIZE, 7), ...REALISTIC], authors);
    await reindex({ db: database.db, engine });
  }, 300_000);
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const top3 = async (q: string): Promise<string[]> => {
    const res = await hub.gql(SEARCH, { q });
    expect(res.errors).toBeUndefined();
    return res.data.search.edges.map((e: any) => e.node.title as string);
  };

  run('puts a housing repairs item in the top three for the misspelt "housng repiars"', async () => {
    const titles = await top3('housng repiars');
    expect(titles.some((t) => /housing repairs/i.test(t)), titles.join(' | ')).toBe(true);
  });

  run('puts a SEND transport item in the top three for the abbreviation "SEND transport"', async () => {
    const titles = await top3('SEND transport');
    expect(titles.some((t) => /\bSEND\b|special educational needs/i.test(t) && /transport|travel/i.test(t)), titles.join(' | ')).toBe(true);
  });

  run('puts a missed bins item in the top three for the jargon "missed bins"', async () => {
    const titles = await top3('missed bins');
    expect(titles.some((t) => /missed (bin|collection)/i.test(t)), titles.join(' | ')).toBe(true);
  });

  run('searches the whole generated corpus, not just the seeds', async () => {
    const res = await hub.gql(`{ search(query: "", first: 1) { totalCount } }`);
    expect(res.data.search.totalCount).toBeGreaterThanOrEqual(CORPUS_SIZE);
  });
});
