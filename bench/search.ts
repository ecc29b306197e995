import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createPostgresEngine } from '../server/search/postgres-engine.js';
import { countSearchable } from '../server/search/documents.js';
import { reindex } from '../server/search/reindex.js';
import { COUNCILS } from '../seeds/councils.js';
import { createMember } from '../test/support/factories.js';
import { generateCorpus, insertCorpus } from '../test/support/search-corpus.js';
import { TEST_MODEL_DIR, testEmbedder } from '../test/support/embedder.js';

/**
 * Search benchmark on the Postgres engine (PostgreSQL; the hub in its own process with the
 * indexer in-process):
 *   npm run bench:search -- [sizes=10000,100000] [searches=400] [publishes=100] [rate=5]
 * The server is used only once /readyz answers. For each corpus size: search latency (hybrid
 * ranking against words only, interleaved, median of 3 rounds) through GraphQL over HTTP,
 * the draft duplicate check, reindex throughput (with embeddings), and
 * publish-to-searchable lag (publish via GraphQL, then poll search until the item appears)
 * under a steady publish rate. Uses a throw-away database on TEST_POSTGRES_URL's server.
 */
const [sizesArg = '10000,100000', searchesArg = '400', publishesArg = '100', rateArg = '5'] = process.argv.slice(2);
const SIZES = sizesArg.split(',').map(Number);
const SEARCHES = Number(searchesArg);
const PUBLISHES = Number(publishesArg);
const RATE = Number(rateArg);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const QUERIES = [
  'housing repairs', 'housng repiars', 'SEND transport', 'missed bins', 'council tax', 'ctax reminders', 'pothole repairs',
  'blue badge renewals', 'garden waste subscriptions', 'contact centre', 'spreadsheets', 'adult social care transport',
  'ASC day centre', 'planning application validation', 'food hygiene inspections', 'flood warning', 'temporary accommodation',
  'freedom of information', 'text message updates', 'low-code workflow', 'online form', 'paper forms', 'litter bins parks',
  'EHCP', 'homelessness prevention', '',
];
// Every fourth search is filtered by two service areas, other ones in each round.
const ROUND_FILTERS = [['HOUSING', 'WASTE'], ['HIGHWAYS_TRANSPORT', 'REVENUES_BENEFITS'], ['ADULT_SOCIAL_CARE', 'EDUCATION_SEND']];
const ROUNDS = 3;
interface Round { hybrid: number[]; words: number[]; specific: number[]; engine: number[]; estimated: number }
const SEARCH = `query($q: String!, $filter: SearchFilterInput, $ratio: Float) { search(query: $q, filter: $filter, first: 20, semanticRatio: $ratio) {
  totalCount countsAreEstimates processingTimeMs edges { cursor highlights { title summary } node { contentId title kind serviceArea council { name } } }
  facets { kinds { kind count } serviceAreas { serviceArea count } councils { council { name } count } tags { tag count } statuses { status count } } } }`;

const CHECK = `query($title: String!, $summary: String) { duplicateCheck(kind: PROBLEM, title: $title, summary: $summary) { likeness score item { id: contentId } } }`;
const DRAFTS = ['Missed bin reports typed in twice', 'Housing repair requests chased by phone', 'Blue badge renewals take months', 'Pothole reports duplicated across channels'];

const name = `cc_bench_${randomBytes(4).toString('hex')}`;
await admin(`create database ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const rows: string[][] = [];
let server: { url: string; stop(): Promise<void> } | undefined;
let database: Awaited<ReturnType<typeof connectDatabase>> | undefined;
try {
  database = await connectDatabase({ url: url.toString(), poolSize: 10 });
  await migrateToLatest(database.db);
  const authors = [];
  for (const council of COUNCILS) {
    const row = await database.db.insertInto('councils').values({ slug: council.slug, name: council.name, kind: council.kind, region: council.region }).returning('id').executeTakeFirstOrThrow();
    const member = await createMember(database.db, row.id, 'editor');
    authors.push({ councilId: row.id, memberId: member.id, token: member.token });
  }
  let inserted = 0;
  for (const size of SIZES) {
    const started = performance.now();
    await insertCorpus(database.db, generateCorpus(size - inserted, inserted + 1), authors);
    inserted = size;
    log(`${size}: inserted corpus in ${seconds(started)} s`);

    const engine = createPostgresEngine(database.db, { embedder: await testEmbedder() });
    const reindexStarted = performance.now();
    const { documents } = await reindex({ db: database.db, engine });
    const reindexRate = documents / ((performance.now() - reindexStarted) / 1000);
    log(`${size}: reindexed ${documents} documents in ${seconds(reindexStarted)} s`);

    // The hub runs in a process of its own, as in production, so the load generator does not
    // share its event loop.
    server = await startServer(url.toString());
    const endpoint = `${server.url}/graphql`;
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json() as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };

    for (const q of QUERIES) await gql(SEARCH, { q }); // warm-up
    // Rounds of SEARCHES searches, each hybrid search interleaved with the same search by
    // words only (semanticRatio 0: the baseline, what meaning costs). Every fourth search is
    // filtered, by other service areas in each round, so that each round meets searches
    // the engine has not seen (and has not kept a sample of) in the same share.
    const rounds: Round[] = [];
    const byQuery = new Map<string, { ms: number[]; total: number }>();
    for (let r = 0; r < ROUNDS; r++) {
      const round: Round = { hybrid: [], words: [], specific: [], engine: [], estimated: 0 };
      for (let i = 0; i < SEARCHES; i++) {
        const q = QUERIES[i % QUERIES.length]!;
        const filter = i % 4 === 3 ? { serviceAreas: ROUND_FILTERS[r % ROUND_FILTERS.length] } : undefined;
        for (const mode of (i + r) % 2 === 0 ? ['hybrid', 'words'] as const : ['words', 'hybrid'] as const) {
          const t = performance.now();
          const data = await gql(SEARCH, { q, filter, ...(mode === 'words' ? { ratio: 0 } : {}) });
          const elapsed = performance.now() - t;
          round[mode].push(elapsed);
          if (mode === 'words') continue;
          // Queries matching under 5% of the corpus: what staff usually type.
          if (data.search.totalCount < size * 0.05 && q !== '') round.specific.push(elapsed);
          round.engine.push(data.search.processingTimeMs);
          if (data.search.countsAreEstimates) round.estimated++;
          const entry = byQuery.get(q) ?? { ms: [] as number[], total: data.search.totalCount as number };
          entry.ms.push(elapsed);
          byQuery.set(q, entry);
        }
      }
      log(`${size}: round ${r + 1}: hybrid p50 ${ms(percentile(round.hybrid, 50))}, p95 ${ms(percentile(round.hybrid, 95))}; words only p95 ${ms(percentile(round.words, 95))}`);
      rounds.push(round);
    }
    log(`${size}: slowest queries (median ms, matches unfiltered):`);
    for (const [q, { ms: times, total }] of [...byQuery].sort((x, y) => percentile(y[1].ms, 50) - percentile(x[1].ms, 50)).slice(0, 6)) {
      log(`    ${JSON.stringify(q).padEnd(32)} ${percentile(times, 50).toFixed(1).padStart(7)} ms  ${total} matches`);
    }

    // The draft duplicate check: one embedding and a nearest-neighbour pass per request.
    const checks: number[] = [];
    for (let i = 0; i < Math.min(SEARCHES, 200); i++) {
      const t = performance.now();
      await gql(CHECK, { title: DRAFTS[i % DRAFTS.length]!, summary: 'Residents ring us and we re-key every report by hand.' }, authors[i % authors.length]!.token);
      checks.push(performance.now() - t);
    }
    const lags = await publishLag(gql, authors[0]!.token);
    log(`${size}: ${lags.length} publishes measured`);
    await server.stop();
    server = undefined;
    // Each figure is the median of the rounds' figures.
    const median = (of: (round: Round) => number) => percentile(rounds.map(of), 50);
    const hybridP95 = median((r) => percentile(r.hybrid, 95));
    const wordsP95 = median((r) => percentile(r.words, 95));
    rows.push([
      size.toLocaleString('en-GB'), ms(median((r) => percentile(r.hybrid, 50))), ms(hybridP95), ms(median((r) => percentile(r.engine, 95))),
      ms(wordsP95), (hybridP95 / wordsP95).toFixed(2),
      `${ms(median((r) => percentile(r.specific, 95)))} (${Math.round((rounds[0]!.specific.length / SEARCHES) * 100)}%)`,
      `${Math.round(median((r) => r.estimated / SEARCHES) * 100)}%`, ms(percentile(checks, 95)),
      Math.round(reindexRate).toLocaleString('en-GB'), ms(percentile(lags, 50)), ms(percentile(lags, 95)),
    ]);
    if (await countSearchable(database.db) < size) throw new Error('corpus smaller than expected');
  }
} finally {
  // The server first, then our pool: dropping the database while they are connected would
  // cut the server's connections from under it (and `with (force)` did exactly that).
  await server?.stop();
  await database?.close();
  await admin(`drop database if exists ${name}`);
}

const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`\nPostgres search engine on PostgreSQL, hybrid ranking (words and meaning) against words only (semanticRatio 0), interleaved; medians of ${ROUNDS} rounds of ${SEARCHES} searches per size (sequential, GraphQL over HTTP, facets and highlights on),`
  + ` ${PUBLISHES} publishes at ${RATE}/s with the indexer in-process. Load average at the end: ${load}.\n`);
printTable(['documents', 'search p50', 'search p95', 'engine p95', 'words only p95', 'ratio', 'p95, matches <5% (share)', 'estimated counts', 'draft check p95', 'reindex docs/s', 'publish→searchable p50', 'publish→searchable p95'], rows);

/** Publishes drafts at a steady rate; each one's lag runs from the publish response until search returns it. */
async function publishLag(gql: (q: string, v: Record<string, unknown>, t?: string) => Promise<any>, token: string): Promise<number[]> {
  const drafts: { id: string; word: string }[] = [];
  for (let i = 0; i < PUBLISHES; i++) {
    const word = `benchmark${randomBytes(5).toString('hex').replace(/\d/g, 'q')}`;
    const data = await gql(`mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`,
      { input: { title: `Fly-tipping reports ${word}`, summary: 'Reports arrive by email and are re-keyed.', serviceArea: 'WASTE' } }, token);
    drafts.push({ id: data.createProblem.problem.id, word });
  }
  const lags: number[] = [];
  const start = performance.now();
  await Promise.all(drafts.map(async (draft, i) => {
    await sleep(start + (i * 1000) / RATE - performance.now());
    await gql(`mutation($id: ID!) { publishProblem(input: { id: $id }) { ... on PublishProblemPayload { problem { id } } } }`, { id: draft.id }, token);
    const published = performance.now();
    for (;;) {
      const data = await gql(`query($q: String!) { search(query: $q, first: 5) { edges { node { id: contentId } } } }`, { q: draft.word });
      if (data.search.edges.some((e: any) => e.node.id === draft.id)) break;
      await sleep(20);
    }
    lags.push(performance.now() - published);
  }));
  return lags;
}

/** `npm start` in server mode with the indexer in-process, on a free port. */
async function startServer(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, MODEL_DIR: TEST_MODEL_DIR, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', IN_PROCESS_WORKERS: 'true', SEED: 'false', LOG_LEVEL: 'info', MEILISEARCH_URL: '',
      // One client on loopback measures the engine, not the rate limiter.
      RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_TOKEN: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const served = /"url":"http:\/\/localhost:(\d+)\/graphql"/.exec(line);
      if (served) resolve(`http://127.0.0.1:${served[1]}`);
    });
  });
  // Listening is not ready: the first searches used to reach a server still starting.
  const deadline = Date.now() + 120_000;
  while ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error('the server was not ready within 120 s');
    await sleep(100);
  }
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function ms(value: number): string { return `${value.toFixed(1)} ms`; }
function seconds(since: number): string { return ((performance.now() - since) / 1000).toFixed(1); }
function sleep(ms: number): Promise<void> { return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))); }
function log(message: string): void { console.error(`[bench] ${message}`); }

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n'));
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try { await client.query(text); } finally { await client.end(); }
}
