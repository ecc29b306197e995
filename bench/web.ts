import { COUNCILS } from '../seeds/councils.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createPostgresEngine } from '../server/search/postgres-engine.js';
import { reindex } from '../server/search/reindex.js';
import { createMember } from '../test/support/factories.js';
import { generateCorpus, insertCorpus } from '../test/support/search-corpus.js';
import { SEARCH_PAGE_QUERY } from '../web/pages/search-query.js';
import { parseSearch, searchPageVariables } from '../web/search-state.js';
import { createBenchDatabase } from './bench-database.js';
import { hubPort, startChildServer } from './child-server.js';

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
  const { documents } = await reindex({ db, engine: createPostgresEngine(db) });
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
} finally {
  await stopServer?.();
  await database.drop();
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
