import { COUNCILS } from '../seeds/councils.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createPostgresEngine } from '../server/search/postgres-engine.js';
import { reindex } from '../server/search/reindex.js';
import { createSessionStore } from '../server/auth/sessions.js';
import { createMember } from '../test/support/factories.js';
import { generateCorpus, insertCorpus } from '../test/support/search-corpus.js';
import { SEARCH_PAGE_QUERY } from '../web/pages/search-query.js';
import { parseSearch, searchPageVariables } from '../web/search-state.js';
import { createBenchDatabase } from './bench-database.js';
import { hubPort, startChildServer } from './child-server.js';
import { testEmbedder } from '../test/support/embedder.js';

/**
 * Server time of the search page against its own GraphQL request:
 *   npx tsx bench/web.ts [documents=100000] [repeats=8] [rounds=3]
 * The hub runs in its own process on a throw-away PostgreSQL database holding `documents`
 * generated problems, solutions and case studies (the search bench's corpus), indexed by
 * the Postgres engine. For each search, GET /?… (the page: GraphQL in process plus HTML)
 * and POST /graphql with the very document and variables the page sends (the baseline)
 * alternate, sequentially, over loopback; each round's median is taken, then the median
 * of the rounds. The difference is what rendering the page costs; the page's own
 * Server-Timing header gives the same cost measured inside the server (routing and HTML).
 * Then the same pages anonymous and signed in (p95 side by side), and the publish form's
 * round trip from submit to confirmation.
 */
const [documentsArg = '100000', repeatsArg = '8', roundsArg = '3'] = process.argv.slice(2);
const DOCUMENTS = Number(documentsArg);
const REPEATS = Number(repeatsArg);
const ROUNDS = Number(roundsArg);

const SEARCHES = [
  'q=missed+bins',
  'q=housng+repiars',
  'q=council+tax&area=REVENUES_BENEFITS&kind=PROBLEM',
  'q=contact+centre&page=3',
  'q=spreadsheets&kind=SOLUTION&status=active',
  '',
];

const database = await createBenchDatabase();
let stopServer: (() => Promise<void>) | undefined;
try {
  const started = performance.now();
  const { db, close } = await connectDatabase({ url: database.url, poolSize: 10 });
  await migrateToLatest(db);
  const authors = [];
  for (const council of COUNCILS) {
    const row = await db.insertInto('councils').values({ slug: council.slug, name: council.name, kind: council.kind, region: council.region }).returning('id').executeTakeFirstOrThrow();
    authors.push({ councilId: row.id, memberId: (await createMember(db, row.id, 'editor')).id });
  }
  await insertCorpus(db, generateCorpus(DOCUMENTS, 1), authors);
  const { documents } = await reindex({ db, engine: createPostgresEngine(db, { embedder: await testEmbedder() }) });
  // A signed-in editor's session, made as sign-in makes it (the demo sign-in is off on PostgreSQL).
  const session = await createSessionStore({ db, settings: { idleMs: 3_600_000, absoluteMs: 86_400_000 } }).start(authors[0]!.memberId);
  await close();
  log(`${documents} documents inserted and indexed in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  const server = await startChildServer('server/main.ts', {
    DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', SEED: 'false', IN_PROCESS_WORKERS: 'false', MEILISEARCH_URL: '', LOG_LEVEL: 'info',
    // One client on loopback measures the page, not the rate limiter.
    RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_TOKEN: '0',
  }, hubPort);
  stopServer = server.stop;
  const base = `http://127.0.0.1:${server.port}`;

  const page = async (search: string) => timed(() => fetch(`${base}/${search ? `?${search}` : ''}`));
  const graphql = async (search: string) => timed(() => fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: SEARCH_PAGE_QUERY, variables: searchPageVariables(parseSearch(new URLSearchParams(search))) }),
  }));

  for (const search of SEARCHES) { await page(search); await graphql(search); } // warm-up
  const rounds: { page: number; graphql: number }[] = [];
  const perSearch = new Map(SEARCHES.map((s) => [s, { page: [] as number[], graphql: [] as number[], render: [] as number[], bytes: 0 }]));
  const renders: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const all = { page: [] as number[], graphql: [] as number[] };
    for (let i = 0; i < REPEATS; i++) {
      for (const search of SEARCHES) {
        // A/B interleaved, alternating which goes first so neither always meets a warm cache.
        const order = (i + round) % 2 === 0 ? ['page', 'graphql'] as const : ['graphql', 'page'] as const;
        for (const which of order) {
          const result = await (which === 'page' ? page(search) : graphql(search));
          all[which].push(result.ms);
          perSearch.get(search)![which].push(result.ms);
          if (which === 'page') {
            perSearch.get(search)!.bytes = result.bytes;
            perSearch.get(search)!.render.push(result.renderMs!);
            renders.push(result.renderMs!);
          }
        }
      }
    }
    rounds.push({ page: median(all.page), graphql: median(all.graphql) });
    log(`round ${round + 1}: page median ${ms(rounds.at(-1)!.page)}, GraphQL median ${ms(rounds.at(-1)!.graphql)}`);
  }

  const signedIn = await compareSignedIn(base, session);
  const publish = await publishRoundTrips(base, session);

  const pageMedian = median(rounds.map((r) => r.page));
  const graphqlMedian = median(rounds.map((r) => r.graphql));
  const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\nSearch page at ${documents.toLocaleString('en-GB')} documents (Postgres search engine on PostgreSQL, hub in its own process),`
    + ` ${SEARCHES.length} searches x ${REPEATS} repeats x ${ROUNDS} rounds, sequential over loopback. Load average at the end: ${load}.\n`);
  printTable(['search', 'page median', 'GraphQL median', 'page − GraphQL', 'render (Server-Timing)', 'page HTML'], [
    ...SEARCHES.map((s) => {
      const { page: p, graphql: g, render, bytes } = perSearch.get(s)!;
      return [s === '' ? '(everything)' : s, ms(median(p)), ms(median(g)), ms(median(p) - median(g)), ms(median(render)), `${(bytes / 1024).toFixed(0)} KiB`];
    }),
    ['all: median of round medians', ms(pageMedian), ms(graphqlMedian), `${ms(pageMedian - graphqlMedian)} (x${(pageMedian / graphqlMedian).toFixed(2)})`, ms(median(renders)), ''],
  ]);
  console.log(`\nThe same search pages anonymous and signed in (session cookie: the session lookup, the member as viewer), interleaved, p95 of each round, median of ${ROUNDS} rounds:`);
  printTable(['page', 'p95 anonymous', 'p95 signed in', 'signed in / anonymous'], [
    ['search pages', ms(signedIn.anonymous), ms(signedIn.signedIn), `x${(signedIn.signedIn / signedIn.anonymous).toFixed(2)}`],
  ]);
  console.log(`\nPublishing a problem from the form (POST /problems/new, 303, GET the confirmation), ${publish.count} publishes: p50 ${ms(publish.p50)}, p95 ${ms(publish.p95)}`);
} finally {
  await stopServer?.();
  await database.drop();
}

/** p95 of anonymous and signed-in search pages, A/B interleaved, median of the rounds' p95s. */
async function compareSignedIn(base: string, session: { id: string }): Promise<{ anonymous: number; signedIn: number }> {
  const cookie = { cookie: `cc_session=${session.id}` };
  const rounds: { anonymous: number; signedIn: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const times = { anonymous: [] as number[], signedIn: [] as number[] };
    for (let i = 0; i < REPEATS; i++) {
      for (const search of SEARCHES) {
        const order = (i + round) % 2 === 0 ? ['anonymous', 'signedIn'] as const : ['signedIn', 'anonymous'] as const;
        for (const who of order) {
          const result = await timed(() => fetch(`${base}/${search ? `?${search}` : ''}`, { headers: who === 'signedIn' ? cookie : {} }));
          times[who].push(result.ms);
        }
      }
    }
    rounds.push({ anonymous: percentile(times.anonymous, 0.95), signedIn: percentile(times.signedIn, 0.95) });
  }
  return { anonymous: median(rounds.map((r) => r.anonymous)), signedIn: median(rounds.map((r) => r.signedIn)) };
}

/** Submit to confirmation: the publish form's POST, its redirect and the confirmation page. */
async function publishRoundTrips(base: string, session: { id: string; csrfToken: string }): Promise<{ count: number; p50: number; p95: number }> {
  const times: number[] = [];
  const count = REPEATS * ROUNDS * 2;
  for (let i = 0; i < count; i++) {
    const form = new URLSearchParams({
      csrf: session.csrfToken, action: 'publish', serviceArea: 'WASTE',
      title: `Bench problem ${i}: side waste left beside communal bins after collection`,
      summary: 'Crews cannot take side waste on the round, so it waits a week and draws fly-tipping.',
    });
    const t = performance.now();
    const posted = await fetch(`${base}/problems/new`, {
      method: 'POST', redirect: 'manual', body: form,
      headers: { cookie: `cc_session=${session.id}`, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    });
    if (posted.status !== 303) throw new Error(`publish form answered ${posted.status}: ${(await posted.text()).slice(0, 300)}`);
    const done = await fetch(new URL(posted.headers.get('location')!, base), { headers: { cookie: `cc_session=${session.id}` } });
    await done.arrayBuffer();
    if (!done.ok) throw new Error(`confirmation page answered ${done.status}`);
    times.push(performance.now() - t);
  }
  return { count, p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

async function timed(request: () => Promise<Response>): Promise<{ ms: number; bytes: number; renderMs?: number }> {
  const t = performance.now();
  const response = await request();
  const body = await response.arrayBuffer();
  const elapsed = performance.now() - t;
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${new TextDecoder().decode(body).slice(0, 300)}`);
  const render = /render;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
  return { ms: elapsed, bytes: body.byteLength, ...(render ? { renderMs: Number(render[1]) } : {}) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
function ms(value: number): string { return `${value.toFixed(1)} ms`; }
function log(message: string): void { console.error(`[bench] ${message}`); }

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n'));
}
